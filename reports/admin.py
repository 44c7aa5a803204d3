from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from .models import MonthlyReport, Submission


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ("county", "month", "status", "first_submitted_at")
    list_filter = ("status", "county")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("report", "submitted_by", "submitted_at", "decision", "decided_at")
    exclude = ("members",)
