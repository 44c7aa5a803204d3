"""Background work: named, registered jobs run in a thread of the web process by default, on
Celery when configured, inline in tests. Only a registered name runs, never any dotted path.

Progress is kept in Django's cache (shared by the threads of one process, or Redis), because the
job's own transaction hides its rows from other connections until it commits.
"""

import logging
import threading
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

JOBS: dict[str, Callable[..., None]] = {}


class UnknownJob(LookupError):
    """A job name nobody registered."""


def job(name: str):
    """Register the decorated function as the background job `name`."""

    def register(function: Callable[..., None]) -> Callable[..., None]:
        if JOBS.setdefault(name, function) is not function:
            raise ValueError(f"Two jobs are named {name!r}.")
        return function

    return register


def run(name: str, kwargs: dict) -> None:
    if name not in JOBS:
        raise UnknownJob(name)
    JOBS[name](**kwargs)


def submit(name: str, **kwargs) -> None:
    """Run the registered job `name` with kwargs in the background."""
    if name not in JOBS:
        raise UnknownJob(name)
    mode = settings.CASEWORK_JOBS
    if mode == "sync":
        run(name, kwargs)
    elif mode == "celery":
        run_job.delay(name, kwargs)
    else:
        threading.Thread(target=_in_thread, args=(name, kwargs), daemon=True).start()


@shared_task(name="casework.run_job")
def run_job(name: str, kwargs: dict) -> None:
    """The one Celery task: it runs a registered job by name (the worker loads casework.tasks)."""
    run(name, kwargs)


def _in_thread(name, kwargs):
    try:
        run(name, kwargs)
    except Exception:  # a background failure must be logged, not lost
        logger.exception("background job %s failed", name)
    finally:
        connections.close_all()


def set_progress(key: str, fraction: float) -> None:
    cache.set(f"casework-progress:{key}", int(fraction * 100), timeout=3600)


def get_progress(key: str) -> int | None:
    return cache.get(f"casework-progress:{key}")
