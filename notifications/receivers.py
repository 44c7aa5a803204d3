"""Where messages come from: each history event, each quarter's generated re-surveys, the
monthly reports' submissions and answers, and the county escalation ladder's steps, once their
transaction has committed."""

from django.dispatch import receiver

from casework.history import case_event_recorded
from casework.models import CaseEvent
from reports.models import MonthlyReport
from reports.services import report_decided
from supervision.ladder import ladder_stepped
from supervision.models import CountyMonth, Step
from workflows.escalation import city_staff, county_supervisors
from workflows.models import QuarterlyCheck
from workflows.rechecks import resurveys_generated

from .services import county_summaries_send, notifications_for_event, summaries_send
from .wording import LADDER, REPORT, RESURVEYS


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


@receiver(ladder_stepped, sender=CountyMonth, dispatch_uid="notifications_of_the_ladder")
def ladder_moved(sender, county_months: list[CountyMonth], at, **kwargs) -> None:
    """Each step tells whom the assessment wrote down (`notified`); a month's circular is one
    message naming all its counties, to everyone it is sent to."""
    circulars: dict[int, list[CountyMonth]] = {}
    for row in county_months:
        if row.step == Step.CIRCULAR:
            circulars.setdefault(row.circular_id, []).append(row)
        elif row.notified:
            data = {"step": row.step, "county": row.county.name, "county_id": row.county_id,
                    "month": f"{row.month:%Y-%m}", "level": row.level,
                    "reasons": row.reasons}  # fmt: skip
            _ladder_send(data, row.notified["users"], row.notified["counties"], at)
    for circular_id, rows in circulars.items():
        data = {"step": Step.CIRCULAR, "circular_id": circular_id,
                "month": f"{rows[0].month:%Y-%m}",
                "counties": [row.county.name for row in rows]}  # fmt: skip
        users = {pk for row in rows for pk in row.notified["users"]}
        counties = {pk for row in rows for pk in row.notified["counties"]}
        _ladder_send(data, users, counties, at)


def _ladder_send(data: dict, users, counties, at) -> None:
    summaries_send(kind=LADDER, per_user=dict.fromkeys(users, data), at=at)
    county_summaries_send(kind=LADDER, per_county=dict.fromkeys(counties, data), at=at)
