"""A county's monthly report (附件1) and each of its submissions, frozen when submitted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.models import Reconciliation, Region


class MonthlyReport(models.Model):
    """One county's report for one month: a draft with live figures until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")
        RETURNED = "returned", pgettext_lazy("report", "Returned")

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    remarks = models.TextField(_("remarks (备注)"), blank=True)  # the draft's, as typed
    # when the first submission came: lateness is judged by it, whatever happens after
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "month"], name="one_report_per_county_month")
        ]

    def __str__(self):
        return f"{self.county} {self.month:%Y-%m}"


class Submission(models.Model):
    """What a county supervisor submitted: the figures, the remarks and the laborer (or
    workshop, post) ids behind each figure, as they were; nothing changes them later. The
    city's answer (accepted, or returned with a reason) is recorded on it."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")
        RETURNED = "returned", pgettext_lazy("report", "Returned")

    report = models.ForeignKey(MonthlyReport, on_delete=models.PROTECT, related_name="submissions")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"))
    # {"cumulative": {"1a": n, …}, "month_only": {…}}
    figures = models.JSONField(_("figures"))
    # {"cumulative": {"1a": [ids], …}, "month_only": {…}}
    members = models.JSONField(default=dict)
    remarks = models.TextField(_("remarks (备注)"), blank=True)
    reconciliation = models.ForeignKey(
        Reconciliation, verbose_name=_("reconciliation round"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    no_reconciliation_reason = models.TextField(_("why without a reconciliation"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        verbose_name = _("report submission")
        verbose_name_plural = _("report submissions")
        ordering = ["report", "submitted_at", "pk"]

    def __str__(self):
        return f"{self.report} {self.submitted_at:%Y-%m-%d %H:%M}"


# --- the dashboards' summaries (reports.snapshots) ------------------------------------------
# Plain integer place columns (a case's county, township and village; 0 for none), as in the
# registry's tallies: a summary row protects nothing and outlives nothing.


class Snapshot(models.Model):
    """When one part of the dashboards' summaries was last taken: "targets", "months" or
    "overdue:<day>" (one per day counted)."""

    part = models.CharField(max_length=40, unique=True)
    taken_at = models.DateTimeField()

    def __str__(self):
        return f"{self.part} {self.taken_at:%Y-%m-%d %H:%M}"


class PlaceTargets(models.Model):
    """The two 100% targets' counts of the cases placed in one county, township and village,
    as of the "targets" snapshot."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    region_id = models.IntegerField()
    eligible = models.IntegerField()
    served = models.IntegerField()
    covered = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_id", "township_id", "region_id"], name="place_targets_key"
            )
        ]

    def __str__(self):
        return f"{self.county_id}/{self.township_id}/{self.region_id}: {self.eligible}"


class OverdueAt(models.Model):
    """How many tasks of one place were open and past their due date at the end of `day`."""

    day = models.DateField()
    county_id = models.IntegerField()
    township_id = models.IntegerField()
    region_id = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "county_id", "township_id", "region_id"], name="overdue_at_key"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.county_id}/{self.township_id}/{self.region_id}: {self.n}"


class MonthOnly(models.Model):
    """One figure of 附件1 counted within one month for one county, live (not as submitted),
    as of the "months" snapshot."""

    county_id = models.IntegerField()
    month = models.DateField()  # its first day
    key = models.CharField(max_length=10)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county_id", "month", "key"], name="month_only_key")
        ]

    def __str__(self):
        return f"{self.county_id} {self.month:%Y-%m} {self.key}: {self.n}"
