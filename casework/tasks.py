"""What a Celery worker loads (autodiscovery): the modules that register background jobs."""

from workflows import rechecks, timers  # noqa: F401  (register rechecks_created, timers_fired)

from .roster import jobs  # noqa: F401  (registers roster.analyse and roster.execute)
