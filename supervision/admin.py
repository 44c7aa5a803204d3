from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from .models import Circular, CountyMonth, Inspection, Interview, LadderRule, YearEvaluation


@admin.register(LadderRule)
class LadderRuleAdmin(admin.ModelAdmin):
    """The ladder's thresholds and the subsidy rule: one row, which the ladder reads each run."""

    fieldsets = (
        (None, {"fields": ("overdue_percent", "late_report_strikes")}),
        (None, {"fields": ("reminder_at", "circular_at", "interview_at")}),
        (None, {"fields": ("subsidy_strikes", "subsidy_late_reports", "subsidy_target_percent")}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not LadderRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CountyMonth)
class CountyMonthAdmin(ReadOnlyAdmin):
    list_display = ("county", "month", "reasons", "level", "step", "assessed_at")
    list_filter = ("step", "county")


@admin.register(Circular)
class CircularAdmin(ReadOnlyAdmin):
    list_display = ("month", "issued_at")


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ("county", "created_at", "held_on", "follow_up_on")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("county", "held_on", "follow_up_due")


@admin.register(YearEvaluation)
class YearEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("county", "year", "strikes", "late_reports", "subsidy_stopped")
    list_filter = ("year", "subsidy_stopped")
