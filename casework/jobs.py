"""Background work: named, registered jobs run in a thread of the web process by default, on
Celery when configured, inline in tests. Only a registered name runs, never any dotted path.

Progress is kept in Django's cache (shared by the threads of one process, or Redis), because the
job's own transaction hides its rows from other connections until it commits.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

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


# Periodic work: each job is registered under the key it counts in `run_periodic --json` and
# is run with the clock it is given (`--now`), in the order of PERIODIC_KEYS. A job makes itself
# safe to run from several hosts at once (constraints, row locks) and returns what it did.
PERIODIC_KEYS = (
    "timers_fired",
    "rechecks_created",
    "case_escalations",
    "county_escalations",
    "notifications_sent",
)
PERIODIC: dict[str, list[Callable[[datetime], int]]] = {key: [] for key in PERIODIC_KEYS}


def periodic(key: str):
    """Register the decorated function `f(now) -> int` as periodic work counted under `key`."""
    if key not in PERIODIC:
        raise ValueError(f"Unknown periodic key {key!r}; add it to PERIODIC_KEYS.")

    def register(function: Callable[[datetime], int]) -> Callable[[datetime], int]:
        if function not in PERIODIC[key]:
            PERIODIC[key].append(function)
        return function

    return register


def periodic_run(*, now: datetime) -> tuple[dict[str, int], list[str]]:
    """Run every periodic job due at `now`; a job that fails is logged and the others still run.
    Returns the counts by key and the names of the jobs that failed."""
    counts = dict.fromkeys(PERIODIC_KEYS, 0)
    failed = []
    for key in PERIODIC_KEYS:
        for function in PERIODIC[key]:
            try:
                counts[key] += function(now)
            except Exception:  # one failing job must not stop the others
                logger.exception("periodic job %s failed", function.__qualname__)
                failed.append(function.__qualname__)
    return counts, failed


@shared_task(name="casework.run_periodic")
def run_periodic_task() -> dict[str, int]:
    """Celery beat's entry: the same periodic work as `manage.py run_periodic`."""
    counts, _failed = periodic_run(now=timezone.now())
    return counts
