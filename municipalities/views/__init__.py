"""The municipalities app's views, by area: ``projects`` (municipalities and the project page),
``page_editor`` (the page's editor and its history), ``participants``, ``stories`` (stories and
documents), ``invitations`` and ``privacy`` (a participant's listing, requests to be deleted).
A view fetches its local project with ``lookups.project_for``."""
