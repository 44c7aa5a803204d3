"""What a Celery worker loads (autodiscovery): the modules that register background jobs."""

from notifications import jobs as notification_jobs  # noqa: F401  (notifications_sent)
from workflows import escalation  # noqa: F401  (registers the periodic case_escalations)
from workflows import rechecks, timers  # noqa: F401  (register rechecks_created, timers_fired)

from .roster import jobs  # noqa: F401  (registers roster.analyse and roster.execute)
