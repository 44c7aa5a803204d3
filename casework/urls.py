from django.urls import path

from . import views
from .programmes import views as programme_views
from .roster import views as roster_views

app_name = "casework"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("find/", views.case_find, name="case_find"),
    path("ledger.xlsx", views.case_ledger_export, name="ledger_export"),
    path("<int:pk>/correct-id/", roster_views.case_correct_id_view, name="case_correct_id"),
    path("<int:pk>/outreach/", programme_views.case_outreach, name="case_outreach"),
    path("<int:pk>/benefit/", programme_views.case_benefit, name="case_benefit"),
    path("import/", roster_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", roster_views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", roster_views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", roster_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/cancel/", roster_views.import_cancel, name="import_cancel"),
    path("import/<int:pk>/report.xlsx", roster_views.import_report, name="import_report"),
    path("left-list/", roster_views.left_list, name="left_list"),
    path("left-list/decide/", roster_views.left_list_batch, name="left_list_batch"),
    path(
        "import/conflicts/",
        roster_views.registration_conflicts,
        name="registration_conflicts",
    ),
    path(
        "left-list/<int:pk>/<str:decision>/",
        roster_views.left_list_decision,
        name="left_list_decision",
    ),
]
