from django.urls import path

from .views import accounts, privacy, public

app_name = "network"

urlpatterns = [
    path("", public.home, name="home"),
    path("program/<slug:slug>/", public.programme_detail, name="programme"),
    path("nettverk/<slug:slug>/", public.network_detail, name="network_detail"),
    path("tilgjengelighet/", public.accessibility, name="accessibility"),
    path("logg-inn/", accounts.LoginView.as_view(), name="login"),
    path("logg-ut/", accounts.LogoutView.as_view(), name="logout"),
    path("mine-sider/", accounts.my_pages, name="my_pages"),
    path("mine-sider/mine-data/", privacy.my_data, name="my_data"),
    path("mine-sider/mine-data/last-ned/", privacy.my_data_download, name="my_data_download"),
    path("mine-sider/mine-data/slett/", privacy.my_data_delete, name="my_data_delete"),
    path("personvern/", privacy.privacy, name="privacy"),
    path("passord/glemt/", accounts.password_reset, name="password_reset"),
    path("passord/sendt/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "passord/ny/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("passord/endret/", accounts.password_reset_complete, name="password_reset_complete"),
    path("passord/endre/", accounts.PasswordChangeView.as_view(), name="password_change"),
]
