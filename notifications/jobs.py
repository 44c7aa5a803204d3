"""The notifications' periodic work, registered with the runner (casework.tasks imports it)."""

import datetime

from casework import jobs

from .delivery import notifications_deliver


@jobs.periodic("notifications_sent")
def notifications_sent(now: datetime.datetime) -> int:
    """Due digests, e-mails and robot messages; the deliveries acknowledged in this run."""
    return notifications_deliver(now=now)
