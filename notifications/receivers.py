"""Where messages come from: each history event, and each quarter's generated re-surveys, once
their transaction has committed."""

from django.dispatch import receiver

from casework.history import case_event_recorded
from casework.models import CaseEvent
from workflows.models import QuarterlyCheck
from workflows.rechecks import resurveys_generated

from .services import notifications_for_event, summaries_send
from .wording import RESURVEYS


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
