"""Project configuration: settings, URLs, WSGI and Celery."""
