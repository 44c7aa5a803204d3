"""The county escalation ladder's rule, each county's month on it, the circulars, interviews
and inspections, the year-end evaluation (年终考评), frozen when December is assessed, and the
supervision reports (督导报告) printed in the background."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import ContactRole, Region, Role

COUNTY = {"level": Region.Level.COUNTY}


def county_field() -> models.ForeignKey:
    """The county a supervision record is about."""
    return models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to=COUNTY,
    )  # fmt: skip


class Step(models.TextChoices):
    """What a county's month on the ladder brought."""

    NONE = "none", _("No step")
    REMINDER = "reminder", _("Reminder")
    CIRCULAR = "circular", _("Circular (通报)")
    INTERVIEW = "interview", _("Interview (约谈)")
    STEP_DOWN = "step_down", _("Stepped down")


class Reason(models.TextChoices):
    """Why a county earned a strike."""

    LATE_REPORT = "late_report", _("Monthly report late")
    OVERDUE = "overdue", _("Too many overdue tasks")


class LadderRule(models.Model):
    """The ladder's thresholds and the year-end subsidy rule: one row, edited in the admin. An
    assessment keeps a copy of the rule it was made under."""

    overdue_percent = models.DecimalField(
        _("overdue share that earns a strike (%)"), max_digits=5, decimal_places=1, default=10,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A county earns a strike when more than this share of its open tasks are "
                    "overdue at the end of the month."),
    )  # fmt: skip
    late_report_strikes = models.BooleanField(
        _("a late monthly report earns a strike"), default=True
    )
    reminder_at = models.PositiveSmallIntegerField(
        _("reminder at level"), default=1, validators=[MinValueValidator(1)]
    )
    circular_at = models.PositiveSmallIntegerField(
        _("circular at level"), default=2, validators=[MinValueValidator(1)]
    )
    interview_at = models.PositiveSmallIntegerField(
        _("interview at level"), default=3, validators=[MinValueValidator(1)],
        help_text=_("Each strike climbs one level, each month without a strike steps down one; "
                    "the interview level is the top."),
    )  # fmt: skip
    subsidy_strikes = models.PositiveSmallIntegerField(
        _("subsidy stopped at strikes in a year"), default=6,
        help_text=_("0: strikes alone never stop the subsidy."),
    )  # fmt: skip
    subsidy_late_reports = models.PositiveSmallIntegerField(
        _("subsidy stopped at late reports in a year"), default=3,
        help_text=_("0: late reports alone never stop the subsidy."),
    )  # fmt: skip
    subsidy_target_percent = models.DecimalField(
        _("subsidy stopped below this target rate (%)"), max_digits=5, decimal_places=1,
        default=90, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Either 100% target under this rate at year end stops the subsidy; "
                    "0: the targets alone never stop it."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rule")

    def __str__(self):
        return str(_("Escalation rule"))

    @classmethod
    def current(cls) -> "LadderRule":
        """The rule in force (the defaults until an administrator saves one)."""
        return cls.objects.order_by("pk").first() or cls()

    def as_dict(self) -> dict:
        return {
            "overdue_percent": str(self.overdue_percent),
            "late_report_strikes": self.late_report_strikes,
            "reminder_at": self.reminder_at,
            "circular_at": self.circular_at,
            "interview_at": self.interview_at,
            "subsidy_strikes": self.subsidy_strikes,
            "subsidy_late_reports": self.subsidy_late_reports,
            "subsidy_target_percent": str(self.subsidy_target_percent),
        }


class Circular(models.Model):
    """A circular of criticism (通报批评) naming the counties that reached its step in a month,
    with their figures as they were then; every county reads it."""

    month = models.DateField(_("month"), unique=True)  # the assessed month's first day
    issued_at = models.DateTimeField(_("issued at"))
    # [{county_id, county, code, reasons, report_month, report_deadline, report_submitted_at,
    #   open_tasks, overdue_tasks, overdue_share, level}], frozen when issued
    rows = models.JSONField(default=list)

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class CountyMonth(models.Model):
    """A county's month on the ladder, assessed once after the month ends: the report due in
    the month (the month before's) and the overdue share at its end, the strike they earn, the
    level it leaves and the step it brought, with who was told."""

    county = county_field()
    month = models.DateField(_("month"))  # its first day
    report_month = models.DateField(_("report of"), null=True, blank=True)  # None: none was due
    report_deadline = models.DateField(_("report deadline"), null=True, blank=True)
    report_submitted_at = models.DateTimeField(_("report first submitted"), null=True, blank=True)
    report_late = models.BooleanField(_("report late"), default=False)
    open_tasks = models.PositiveIntegerField(_("open tasks"), default=0)
    overdue_tasks = models.PositiveIntegerField(_("overdue tasks"), default=0)
    reasons = models.JSONField(_("strike reasons"), default=list, blank=True)  # Reason values
    level_before = models.PositiveSmallIntegerField(_("level before"), default=0)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.NONE)
    # {"users": [ids told in the app], "counties": [ids whose channels are told],
    #  "people": [[name, role], …]}: see ladder._Recipients.of
    notified = models.JSONField(_("notified"), default=dict, blank=True)
    circular = models.ForeignKey(
        Circular, null=True, blank=True, on_delete=models.PROTECT, related_name="county_months"
    )
    rule = models.JSONField(default=dict)  # LadderRule.as_dict() it was assessed under
    assessed_at = models.DateTimeField(_("assessed at"))
    run = models.UUIDField(default=uuid.uuid4, editable=False)  # the run that assessed it

    class Meta:
        verbose_name = _("county month on the ladder")
        verbose_name_plural = _("county months on the ladder")
        ordering = ["-month", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "month"], name="ladder_once_per_county_month")
        ]

    def __str__(self):
        return f"{self.county} {self.month:%Y-%m}"

    @property
    def strike(self) -> bool:
        return bool(self.reasons)

    @property
    def overdue_share(self) -> float | None:
        """Overdue tasks as a percentage of open tasks (None: no open task)."""
        if not self.open_tasks:
            return None
        return round(100 * self.overdue_tasks / self.open_tasks, 1)

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(reason).label) for reason in self.reasons]

    @property
    def notified_people(self) -> list[str]:
        """Each person told, "name (role)" in the active language."""
        labels = dict(Role.choices) | dict(ContactRole.choices)
        return [f"{name} ({labels.get(role, role)})"
                for name, role in (self.notified or {}).get("people", [])]  # fmt: skip


class Interview(models.Model):
    """An interview (约谈) a county's third strike calls for: created by the ladder, arranged
    and recorded by city staff."""

    county = county_field()
    county_month = models.OneToOneField(
        CountyMonth, on_delete=models.PROTECT, related_name="interview", null=True, blank=True
    )
    held_on = models.DateField(_("date"), null=True, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    created_at = models.DateTimeField(_("called at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.county} {self.created_at:%Y-%m-%d}"

    @property
    def arranged(self) -> bool:
        return self.held_on is not None


class Inspection(models.Model):
    """A special inspection (专项督导检查) of a county by city staff."""

    county = county_field()
    held_on = models.DateField(_("date"))
    inspectors = models.TextField(_("inspectors"))
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("required follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.county} {self.held_on}"


class YearEvaluation(models.Model):
    """A county's year-end evaluation (年终考评), frozen when the year's December is assessed:
    the year's strikes and late reports, the two targets then, and whether the rule stops the
    county's service-fund subsidy (停发基层服务经费补贴)."""

    county = county_field()
    year = models.PositiveSmallIntegerField(_("year"))
    strikes = models.PositiveSmallIntegerField(_("strikes"))
    late_reports = models.PositiveSmallIntegerField(_("late reports"))
    interviews = models.PositiveSmallIntegerField(_("interviews"))
    eligible = models.PositiveIntegerField(_("laborers who want work"))
    served = models.PositiveIntegerField(_("given refined service"))
    covered = models.PositiveIntegerField(_("covered by a policy"))
    subsidy_stopped = models.BooleanField(_("subsidy stopped"))
    rule = models.JSONField(default=dict)
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("year-end evaluation")
        verbose_name_plural = _("year-end evaluations")
        ordering = ["-year", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_evaluation_per_year")
        ]

    def __str__(self):
        return f"{self.county} {self.year}"


class SupervisionReport(models.Model):
    """A supervision report (督导报告) asked for on its page and printed in the background.

    The PDF is kept in the row (a few hundred kilobytes to a few megabytes): it is then read
    under the same access rule as its record, reaches a Celery worker on another host without
    a shared MEDIA_ROOT, is in the database's backups, and goes when the row is deleted, with no
    file left behind. Lists defer it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    period = models.CharField(_("period"), max_length=7)  # 2026Q4 or 2026-11
    language = models.CharField(_("language"), max_length=10)  # printed in the asker's
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    annex_rows = models.PositiveIntegerField(_("overdue cases in the annex"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("supervision report")
        verbose_name_plural = _("supervision reports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.period} #{self.pk}"

    def get_absolute_url(self):
        return reverse("supervision:report_progress", args=[self.pk])

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
