"""The record of each run of the periodic work (cron's `run_periodic` or Celery beat's task)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One run of the periodic work: when, on which host, with what clock, what it did. Shows
    that cron or beat is alive; kept for 30 days."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    clock = models.DateTimeField(_("clock"), help_text=_("the time the jobs were run for (--now)"))
    host = models.CharField(_("host"), max_length=100, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    failed = models.JSONField(default=list, blank=True)
    waited = models.FloatField(_("waited (seconds)"), default=0)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["started_at"])]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.host}"
