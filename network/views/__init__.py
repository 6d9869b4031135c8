"""The network app's views, by area: ``public`` (the front page, programmes, networks, the
accessibility statement), ``accounts`` («Mine sider», signing in and out, passwords) and
``privacy`` («Mine data» and the privacy statement). The error pages are in ``core.errors``."""
