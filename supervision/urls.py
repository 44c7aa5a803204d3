from django.urls import path

from . import printing, views

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
    path("report/", printing.report, name="report"),
    path("report/<id:pk>/", printing.report_progress, name="report_progress"),
    path("report/<id:pk>/download.pdf", printing.report_download, name="report_download"),
]
