from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_index, name="index"),
    path("contacts.xlsx", views.contact_export, name="export"),
    path("<id:pk>/", views.contact_county, name="county"),
    path("<id:pk>/edit/", views.contact_edit, name="edit"),
]
