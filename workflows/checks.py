"""System checks of the workflows: a missing holiday schedule makes every deadline wrong."""

from django.core.checks import Warning, register
from django.utils import timezone

from .deadlines import calendar_gaps


@register()
def holiday_schedule_known(app_configs, **kwargs):
    gaps = calendar_gaps(timezone.localdate())
    if not gaps:
        return []
    years = ", ".join(str(year) for year in gaps)
    return [
        Warning(
            f"The holiday library has no published schedule for {years}: due dates in those "
            "years count weekends only, plus the admin's calendar days.",
            hint="Upgrade chinesecalendar once the State Council publishes the schedule, or "
            "enter the holidays and make-up working days under 工作日历 in the admin.",
            id="workflows.W001",
        )
    ]
