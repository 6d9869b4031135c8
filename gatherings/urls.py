from django.urls import path

from . import views

app_name = "gatherings"

urlpatterns = [
    path("samlinger/", views.gathering_list, name="list"),
    path("samlinger/<int:pk>/", views.gathering_detail, name="detail"),
    path("samlinger/<int:pk>/kalender.ics", views.gathering_ical, name="ical"),
]
