from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("<id:pk>/read/", views.mark_read, name="read"),
    path("read/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("channels/", views.county_channels, name="channels"),
]
