"""Background work: a thread of the web process by default, Celery when configured, inline in tests.

Progress is kept in Django's cache (shared by the threads of one process, or Redis), because the
job's own transaction hides its rows from other connections until it commits.
"""

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def run(path: str, kwargs: dict) -> None:
    import_string(path)(**kwargs)


def submit(path: str, **kwargs) -> None:
    """Run the function named by path with kwargs in the background."""
    mode = settings.CASEWORK_JOBS
    if mode == "sync":
        run(path, kwargs)
    elif mode == "celery":
        from config.celery import run_job

        run_job.delay(path, kwargs)
    else:
        threading.Thread(target=_in_thread, args=(path, kwargs), daemon=True).start()


def _in_thread(path, kwargs):
    try:
        run(path, kwargs)
    except Exception:  # a background failure must be logged, not lost
        logger.exception("background job %s failed", path)
    finally:
        connections.close_all()


def set_progress(key: str, fraction: float) -> None:
    cache.set(f"casework-progress:{key}", int(fraction * 100), timeout=3600)


def get_progress(key: str) -> int | None:
    return cache.get(f"casework-progress:{key}")
