from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("program/<slug:slug>/", views.programme_detail, name="programme"),
    path("nettverk/<slug:slug>/", views.network_detail, name="network_detail"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("mine-sider/", views.my_pages, name="my_pages"),
]
