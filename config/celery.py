"""Celery for background and periodic work in production (CELERY_BROKER_URL, e.g. Redis)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="casework.run_job")
def run_job(path: str, kwargs: dict) -> None:
    from casework.jobs import run

    run(path, kwargs)
