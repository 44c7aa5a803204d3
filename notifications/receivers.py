"""Where messages come from: each history event, once its transaction has committed."""

from django.dispatch import receiver

from casework.history import case_event_recorded
from casework.models import CaseEvent

from .services import notifications_for_event


@receiver(case_event_recorded, sender=CaseEvent, dispatch_uid="notifications_from_events")
def event_recorded(sender, event: CaseEvent, **kwargs) -> None:
    if (event.data or {}).get("notify") or (event.data or {}).get("notify_county") is not None:
        notifications_for_event(event=event)
