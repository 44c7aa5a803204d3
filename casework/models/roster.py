"""The poverty office's roster: imports, left-list candidates, numbers registered elsewhere."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .fields import EncryptedJSONField
from .regions import Region


class RosterImport(models.Model):
    """One file from the poverty office: who, when, which file, what it did, row by row."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("Reading the file")
        PREVIEW = "preview", _("Waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Could not be read")
        CANCELLED = "cancelled", _("Cancelled")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_file = models.CharField(max_length=255, blank=True)
    county = models.ForeignKey(
        Region, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    complete = models.BooleanField(_("complete roster of the county"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ANALYSING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    left_list = models.PositiveIntegerField(_("left-list candidates"), default=0)
    # rejected rows and warnings (encrypted at rest: a refused row may hold a near-valid number)
    report = EncryptedJSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("casework:import_detail", args=[self.pk])


class LeftListCandidate(models.Model):
    """A case of a county whose complete roster no longer names the laborer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To be decided")
        CONFIRMED = "confirmed", _("Confirmed: left the list")
        DISMISSED = "dismissed", _("Dismissed: still on the list")

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.PROTECT, related_name="left_list_candidates"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="left_list_candidates")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("left-list candidate")
        verbose_name_plural = _("left-list candidates")
        indexes = [models.Index(fields=["status", "case"])]

    def __str__(self):
        return f"{self.case_id} {self.status}"


class RegistrationConflict(models.Model):
    """A county's roster names a laborer whose case is registered in another county.

    The importing county is told only that the number is registered elsewhere; the city sees
    these rows and arranges a transfer.
    """

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.CASCADE, related_name="conflicts"
    )
    row = models.PositiveIntegerField(_("row"))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(
        Region, verbose_name=_("county naming the laborer"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration conflict")
        verbose_name_plural = _("registration conflicts")
        ordering = ["-found_at", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster_import", "case"], name="one_conflict_per_import_and_case"
            )
        ]

    def __str__(self):
        return f"{self.roster_import_id}:{self.row} → {self.case_id}"
