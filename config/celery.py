"""Celery for background and periodic work in production (CELERY_BROKER_URL, e.g. Redis).

The app only finds the project's tasks (casework.tasks); the jobs themselves are registered by
name in casework.jobs, so this module imports nothing of the project.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
