from django.urls import path

from . import views

app_name = "municipalities"

urlpatterns = [
    path("kommuner/", views.municipality_list, name="list"),
    path("kommuner/<str:number>/", views.municipality_detail, name="detail"),
    path("prosjekter/<slug:slug>/", views.project_detail, name="project_detail"),
]
