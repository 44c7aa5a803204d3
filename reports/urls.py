from django.urls import path, register_converter

from . import views
from .periods import Month


class MonthConverter:
    """A month in a URL: 2026-10."""

    regex = "[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> Month:
        return Month.parse(value)  # ValueError: no match, 404

    def to_url(self, value) -> str:
        return str(value)


register_converter(MonthConverter, "month")

app_name = "reports"

urlpatterns = [
    path("monthly/", views.month_overview, name="monthly"),
    path("monthly/<id:pk>/<month:month>/", views.county_report, name="county"),
    path("monthly/<id:pk>/<month:month>/submit/", views.report_submit, name="submit"),
    path("monthly/<id:pk>/<month:month>/remarks/", views.report_remarks, name="remarks"),
    path("monthly/<id:pk>/<month:month>/decide/", views.report_decide, name="decide"),
    path(
        "monthly/<id:pk>/<month:month>/<str:scope>/<str:key>/",
        views.figure_members,
        name="members",
    ),
]
