from django.urls import path

from . import privacy_views, views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("program/<slug:slug>/", views.programme_detail, name="programme"),
    path("nettverk/<slug:slug>/", views.network_detail, name="network_detail"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
    path("mine-sider/", views.my_pages, name="my_pages"),
    path("mine-sider/mine-data/", privacy_views.my_data, name="my_data"),
    path("mine-sider/mine-data/last-ned/", privacy_views.my_data_download, name="my_data_download"),
    path("mine-sider/mine-data/slett/", privacy_views.my_data_delete, name="my_data_delete"),
    path("personvern/", privacy_views.privacy, name="privacy"),
    path("passord/glemt/", views.password_reset, name="password_reset"),
    path("passord/sendt/", views.password_reset_done, name="password_reset_done"),
    path(
        "passord/ny/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("passord/endret/", views.password_reset_complete, name="password_reset_complete"),
    path("passord/endre/", views.PasswordChangeView.as_view(), name="password_change"),
]
