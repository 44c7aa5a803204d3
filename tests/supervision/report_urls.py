"""The project's URLs with the supervision report's three pages under supervision/, for the
tests of this branch until supervision/urls.py (written beside it) routes them: once that
module is included in config.urls, this adds nothing and the project's own routes are used."""

from django.urls import include, path

from config.urls import urlpatterns as project
from supervision import printing

REPORT = [
    path("report/", printing.report, name="report"),
    path("report/<id:pk>/", printing.report_progress, name="report_progress"),
    path("report/<id:pk>/download.pdf", printing.report_download, name="report_download"),
]

routed = {getattr(pattern, "namespace", None) for pattern in project}
urlpatterns = list(project)
if "supervision" not in routed:
    urlpatterns.append(path("supervision/", include((REPORT, "supervision"))))
