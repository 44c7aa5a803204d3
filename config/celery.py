"""Celery for background and periodic work in production (CELERY_BROKER_URL, e.g. Redis).

The app only finds the project's tasks (casework.tasks); the jobs themselves are registered by
name in casework.jobs, so this module imports nothing of the project. Celery beat sends
`casework.run_periodic` (the same work as `manage.py run_periodic`) every
CASEWORK_PERIODIC_MINUTES (default 5): run `celery -A config beat` once, and any number of
`celery -A config worker`.
"""

import os
from datetime import timedelta

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule(minutes: float) -> dict:
    """Beat's one entry: the periodic work every `minutes`; a send not taken by a worker
    within the interval expires (the next one does the same work), so a stopped worker does
    not find a pile of runs when it comes back."""
    return {
        "casework.run_periodic": {
            "task": "casework.run_periodic",
            "schedule": timedelta(minutes=minutes),
            "options": {"expires": minutes * 60},
        }
    }


@app.on_after_configure.connect
def schedule_periodic_work(sender, **kwargs):
    sender.conf.beat_schedule = beat_schedule(settings.CASEWORK_PERIODIC_MINUTES)
