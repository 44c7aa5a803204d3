"""Deadlines, the local working-day calendar and the escalation ladder in the admin."""

from django.contrib import admin

from .models import CalendarDay, DeadlineRule, EscalationStep


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "working_days", "months")
    list_editable = ("working_days", "months")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ("level", "working_days")
    list_editable = ("working_days",)
