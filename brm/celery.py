"""The Celery app. Workers and beat read the same Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brm.settings.base")

app = Celery("brm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
