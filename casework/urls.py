from django.urls import path

from . import printing, views
from .programmes import views as programme_views
from .roster import views as roster_views

app_name = "casework"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("<id:pk>/", views.case_detail, name="case_detail"),
    path("<id:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("find/", views.case_find, name="case_find"),
    path("<id:pk>/survey-form.pdf", printing.case_survey_form, name="case_survey_form"),
    path("survey-forms/", printing.survey_forms, name="survey_forms"),
    path("survey-forms/blank.pdf", printing.survey_form_blank, name="survey_form_blank"),
    path("survey-forms/village.pdf", printing.village_survey_forms, name="village_survey_forms"),
    path("ledger.xlsx", views.case_ledger_export, name="ledger_export"),
    path("<id:pk>/correct-id/", roster_views.case_correct_id_view, name="case_correct_id"),
    path("<id:pk>/outreach/", programme_views.case_outreach, name="case_outreach"),
    path("<id:pk>/benefit/", programme_views.case_benefit, name="case_benefit"),
    path("import/", roster_views.import_upload, name="import_upload"),
    path("import/<id:pk>/", roster_views.import_detail, name="import_detail"),
    path("import/<id:pk>/progress/", roster_views.import_progress, name="import_progress"),
    path("import/<id:pk>/confirm/", roster_views.import_confirm, name="import_confirm"),
    path("import/<id:pk>/cancel/", roster_views.import_cancel, name="import_cancel"),
    path("import/<id:pk>/report.xlsx", roster_views.import_report, name="import_report"),
    path("left-list/", roster_views.left_list, name="left_list"),
    path("left-list/decide/", roster_views.left_list_batch, name="left_list_batch"),
    path(
        "import/conflicts/",
        roster_views.registration_conflicts,
        name="registration_conflicts",
    ),
    path(
        "left-list/<id:pk>/<str:decision>/",
        roster_views.left_list_decision,
        name="left_list_decision",
    ),
]
