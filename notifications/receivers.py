"""Where messages come from: each history event, and each quarter's generated re-surveys, once
their transaction has committed."""

from django.dispatch import receiver

from casework.history import case_event_recorded
from casework.models import CaseEvent
from reports.models import MonthlyReport
from reports.services import report_decided
from workflows.escalation import city_staff, county_supervisors
from workflows.models import QuarterlyCheck
from workflows.rechecks import resurveys_generated

from .services import notifications_for_event, summaries_send
from .wording import REPORT, RESURVEYS


@receiver(case_event_recorded, sender=CaseEvent, dispatch_uid="notifications_from_events")
def event_recorded(sender, event: CaseEvent, **kwargs) -> None:
    if (event.data or {}).get("notify") or (event.data or {}).get("notify_county") is not None:
        notifications_for_event(event=event)


@receiver(resurveys_generated, sender=QuarterlyCheck, dispatch_uid="notifications_of_rechecks")
def resurveys_made(sender, quarter, due_on, per_owner: dict[int, int], at, **kwargs) -> None:
    """Each caseworker is told once how many of the quarter's re-surveys are theirs."""
    data = {"quarter": quarter.isoformat(), "due_on": due_on.isoformat()}
    per_user = {user: data | {"count": count} for user, count in per_owner.items()}
    summaries_send(kind=RESURVEYS, per_user=per_user, at=at)


@receiver(report_decided, sender=MonthlyReport, dispatch_uid="notifications_of_reports")
def report_moved(sender, report: MonthlyReport, submission, actor, **kwargs) -> None:
    """A submission tells city staff; the city's answer tells the county's supervisors."""
    data = {"county": report.county.name, "county_id": report.county_id,
            "month": f"{report.month:%Y-%m}", "status": report.status,
            "reason": submission.return_reason}  # fmt: skip
    if report.status == MonthlyReport.Status.SUBMITTED:
        readers = city_staff()
    else:
        readers = county_supervisors().get(report.county_id, [])
    per_user = {user: data for user in readers if user != actor.pk}
    summaries_send(
        kind=REPORT, per_user=per_user, at=submission.decided_at or submission.submitted_at
    )
