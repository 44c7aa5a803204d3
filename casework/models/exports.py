"""The record of every export and reveal of personal numbers, and the files of large exports."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """Every export of case data and every reveal of full ID numbers: who, when, what."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    description = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    full_id_numbers = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class ExportFile(models.Model):
    """An export too large to answer within its request: written in the background, kept
    encrypted under MEDIA_ROOT for its asker only, deleted CASEWORK_EXPORT_KEEP_HOURS later.
    Each download is recorded as an export (ExportLog) of its kind."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # the registered export, and the ExportLog kind
    params = models.JSONField(default=dict)  # what the export is made again from
    language = models.CharField(max_length=10, default="zh-hans")
    filename = models.CharField(max_length=200)
    description = models.CharField(max_length=200)
    full_id_numbers = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    stored_file = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} #{self.pk}"

    def get_absolute_url(self):
        return reverse("export_progress", args=[self.pk])

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
