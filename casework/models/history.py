"""What happened to a case: dated, placed stage changes, events and transfers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case, Stage
from .regions import Region


class Located(models.Model):
    """Where the case was when the record's event happened: the county and township the monthly
    report counts it for. Filled on save from Case.place_on (bulk inserts, which skip save, pass
    casework.records.located); a later transfer moves the case, never its past records."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )

    date_field = ""  # the field holding the day the record's event happened

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.county_id is None or self.township_id is None:
            self.county_id, self.township_id = self.case.place_on(getattr(self, self.date_field))
        super().save(*args, **kwargs)


class StageChangeQuerySet(models.QuerySet):
    def standing(self):
        """The changes that stand: neither an undo nor a change that was undone."""
        return self.exclude(transition="undo").filter(undone_by__isnull=True)


class StageChange(Located):
    """One move of a case's stage: from, to, who, when (the day it happened), why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    transition = models.CharField(_("transition"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)  # as typed
    source = models.CharField(_("source"), max_length=100, blank=True)
    # codes behind the change (a closing reason, the import or merge that made it), worded
    # when shown by casework.history.change_text
    data = models.JSONField(default=dict, blank=True)
    # an undo names the change it undid; neither counts anywhere (StageChange.objects.standing)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="undone_by",
        editable=False,
    )  # fmt: skip

    date_field = "on"

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["case", "on"]),
            models.Index(fields=["to_stage", "at"]),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"

    def save(self, *args, **kwargs):
        if self.on is None:
            self.on = timezone.localdate(self.at)
        super().save(*args, **kwargs)


class CaseEvent(models.Model):
    """Something done to a case besides a stage change: task work, hand-overs, requests."""

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Claimed a task")
        RELEASE = "release", _("Released a task to the queue")
        HAND_OVER = "hand_over", _("Handed a task over")
        REASSIGN = "reassign", _("Reassigned a task")
        COMPLETE = "complete", _("Completed a task")
        CANCEL = "cancel", _("Cancelled a task")
        ASSISTANCE = "assistance", _("Recorded help")
        CLOSE_REQUEST = "close_request", _("Asked to close the case")
        CLOSE_APPROVE = "close_approve", _("Approved closing")
        CLOSE_REFUSE = "close_refuse", _("Refused closing")
        TRANSFER_REQUEST = "transfer_request", _("Asked to transfer the case")
        TRANSFER_ACCEPT = "transfer_accept", _("Accepted the transfer")
        TRANSFER_REFUSE = "transfer_refuse", _("Refused the transfer")
        RESURVEY_START = "resurvey_start", _("Started a re-survey")
        UNDO = "undo", _("Undid a stage change")
        OWNER = "owner", _("Changed the responsible caseworker")
        ROSTER_UPDATE = "roster_update", _("Updated from the roster")
        LEFT_LIST = "left_list", _("Left the registered poor list")
        ID_CORRECTED = "id_corrected", _("Corrected the ID number")
        MERGED = "merged", _("Merged two cases")
        TASK_ESCALATED = "task_escalated", _("Deadline reminder")
        NUMBERS_ERASED = "numbers_erased", _("Personal numbers erased")
        LEGACY_TEXT = "legacy_text", _("Earlier entry")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    task = models.ForeignKey(
        "viewflow.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # what happened, as codes and typed text (casework.history words it when shown)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return f"{self.case_id}: {self.kind}"


class Transfer(models.Model):
    """A case moved from one county to another: the day, who accepted it, from where to where.
    Records dated before it keep the county they were written for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    on = models.DateField(_("date"))
    from_county = models.ForeignKey(
        Region, verbose_name=_("from county"), on_delete=models.PROTECT, related_name="+"
    )
    from_township = models.ForeignKey(
        Region, verbose_name=_("from township"), on_delete=models.PROTECT, related_name="+"
    )
    to_county = models.ForeignKey(
        Region, verbose_name=_("to county"), on_delete=models.PROTECT, related_name="+"
    )
    to_township = models.ForeignKey(
        Region, verbose_name=_("to township"), on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["case", "on"])]

    def __str__(self):
        return f"{self.case_id} {self.from_county_id}→{self.to_county_id} {self.on}"


class ChangeRecord(models.Model):
    """A write that no history row of its own records (help given on a case, a programme or
    round created, a report's remarks, an inspection corrected, a county's robot set): who,
    when, what kind of write, on which record, in which county, and the fields it set (old and
    new for an edit), kept as codes and typed values with numbers masked
    (casework.history.change_record writes it; casework.audit shows it)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("at"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=40)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.ForeignKey(
        Region, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    target = models.CharField(max_length=60, blank=True)  # "<app.model>:<pk>"
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"]), models.Index(fields=["actor", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
