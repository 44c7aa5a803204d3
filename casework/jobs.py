"""Background work: named, registered jobs run in a thread of the web process by default, on
Celery when configured, inline in tests. Only a registered name runs, never any dotted path.

Progress is kept in Django's cache (shared by the threads of one process, or Redis), because the
job's own transaction hides its rows from other connections until it commits.
"""

import datetime as dt
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from .models import PeriodicRun

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
    "personal_numbers_erased",
    "tallies_folded",
    "dashboards_refreshed",
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
    Runs take turns across hosts (see _periodic_turn) and each is recorded (PeriodicRun).
    Returns the counts by key and the names of the jobs that failed."""
    counts = dict.fromkeys(PERIODIC_KEYS, 0)
    failed = []
    started = timezone.now()
    with _periodic_turn(settings.CASEWORK_PERIODIC_WAIT) as held:
        waited = (timezone.now() - started).total_seconds()
        if not held:
            logger.warning("periodic run skipped: another run held the turn for %.0f s", waited)
            failed.append("waiting for another run")
            return counts, failed
        for key in PERIODIC_KEYS:
            for function in PERIODIC[key]:
                try:
                    counts[key] += function(now)
                except Exception:  # one failing job must not stop the others
                    logger.exception("periodic job %s failed", function.__qualname__)
                    failed.append(function.__qualname__)
        _periodic_record(started=started, now=now, counts=counts, failed=failed, waited=waited)
    return counts, failed


# an arbitrary constant naming the periodic work's advisory lock
PERIODIC_LOCK_KEY = 7_212_012


@contextmanager
def _periodic_turn(wait: float) -> Iterator[bool]:
    """One periodic run at a time on PostgreSQL, across hosts: a session-level advisory lock,
    waited for at most `wait` seconds (yields whether it is held). It holds no transaction, so
    the jobs' own transactions and network calls are as without it. A run killed midway frees
    it with its connection. SQLite serves one host, whose writers take turns already."""
    if connection.vendor != "postgresql":
        yield True
        return
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [PERIODIC_LOCK_KEY])
            held = cursor.fetchone()[0]
            if held or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [PERIODIC_LOCK_KEY])


def _periodic_record(*, started, now, counts, failed, waited) -> None:
    """Record the run (cron or beat is alive) and forget runs older than 30 days."""
    finished = timezone.now()
    PeriodicRun.objects.create(
        started_at=started, finished_at=finished, clock=now, host=socket.gethostname()[:100],
        counts=counts, failed=failed, waited=waited,
    )  # fmt: skip
    PeriodicRun.objects.filter(started_at__lt=finished - dt.timedelta(days=30)).delete()


@shared_task(name="casework.run_periodic")
def run_periodic_task() -> dict[str, int]:
    """Celery beat's entry: the same periodic work as `manage.py run_periodic`."""
    counts, _failed = periodic_run(now=timezone.now())
    return counts
