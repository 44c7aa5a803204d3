from django.urls import path

from . import views as programme_views

app_name = "programmes"

urlpatterns = [
    path("", programme_views.programme_index, name="index"),
    path(
        "enrolments/<id:pk>/complete/",
        programme_views.enrolment_complete,
        name="enrolment_complete",
    ),
    path("reconciliations/", programme_views.reconciliation_list, name="reconciliations"),
    path("reconciliations/<id:pk>/", programme_views.reconciliation_detail, name="reconciliation"),
    path(
        "reconciliations/<id:pk>/export.xlsx",
        programme_views.reconciliation_export,
        name="reconciliation_export",
    ),
    path("<slug:kind>/", programme_views.programme_list, name="list"),
    path("<slug:kind>/<id:pk>/", programme_views.programme_detail, name="detail"),
    path("<slug:kind>/<id:pk>/edit/", programme_views.programme_edit, name="edit"),
    path("<slug:kind>/<id:pk>/close/", programme_views.programme_close, name="close"),
]
