from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core.health import healthz
from core.metrics import metrics

admin.site.site_header = "Nettverksportalen"
admin.site.site_title = "Nettverksportalen"

# A database fault in a middleware answers with the friendly 503 page, not a 500 or a 400.
handler400 = "core.errors.bad_request"
handler500 = "core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]

if settings.BENCHMARK:
    from core.benchmark import hello

    urlpatterns.append(path("benchmark/hello/", hello))

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("network.urls")),
    path("", include("municipalities.urls")),
    path("", include("gatherings.urls")),
    path("", include("measurements.urls")),
    path("", include("surveys.urls")),
    prefix_default_language=False,
)
