from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from network.views import healthz

admin.site.site_header = "Nettverksportalen"
admin.site.site_title = "Nettverksportalen"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("network.urls")),
    path("", include("municipalities.urls")),
    path("", include("gatherings.urls")),
    path("", include("measurements.urls")),
    prefix_default_language=False,
)
