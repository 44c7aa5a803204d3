"""Project configuration; the Celery app is loaded with Django so that jobs go to its broker."""

from .celery import app as celery_app

__all__ = ("celery_app",)
