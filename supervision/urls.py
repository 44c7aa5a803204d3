from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("year/", views.year, name="year"),
    path("<id:pk>/", views.county, name="county"),
    path("<id:pk>/inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<id:pk>/", views.inspection_edit, name="inspection_edit"),
    path("interviews/<id:pk>/", views.interview, name="interview"),
    path("circulars/", views.circulars, name="circulars"),
    path("circulars/<id:pk>/", views.circular, name="circular"),
    path("circulars/<id:pk>/circular.pdf", views.circular_pdf, name="circular_pdf"),
    # the supervision report (督导报告), from supervision.printing: report, report_progress,
    # report_download (merged with the `report` helper's branch)
]
