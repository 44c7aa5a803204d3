"""What a Celery worker loads (autodiscovery): the modules that register background jobs."""

from . import roster_jobs  # noqa: F401  (registers roster.analyse and roster.execute)
