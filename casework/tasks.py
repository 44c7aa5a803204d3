"""What a Celery worker loads (autodiscovery): the modules that register background jobs."""

from .roster import jobs  # noqa: F401  (registers roster.analyse and roster.execute)
