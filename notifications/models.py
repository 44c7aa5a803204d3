"""Messages and their deliveries: a notification per recipient, a message per county, the
daily digest, each channel's delivery with its attempts, and who wants what where."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import CaseEvent, Region


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Each message at once")
    DAILY = "daily", _("One digest a day")


class Preference(models.Model):
    """What a user wants besides the notification centre (which always gets every message)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(
        _("by e-mail"), default=True, help_text=_("Sent to the e-mail address of your account.")
    )
    frequency = models.CharField(
        _("e-mail frequency"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(
        _("language of the messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class CountyChannel(models.Model):
    """A county's WeCom group robot (企业微信群机器人), which gets the county's messages."""

    county = models.OneToOneField(
        Region,
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="notification_channel",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    wecom_webhook = models.URLField(
        _("WeCom group robot webhook"),
        max_length=300,
        blank=True,
        help_text=_("The robot's address: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"),
    )
    # when the robot was last called (ISO times, the last minute's only): it takes 20 a minute
    recent_calls = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("county channel")
        verbose_name_plural = _("county channels")

    def __str__(self):
        return str(self.county)


class Notification(models.Model):
    """One message to one staff member, about an event of a case's history or summing up many
    (the quarter's re-surveys given to a caseworker)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # about an event of a case's history, or (no event) a summary of its `kind` with its data
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient_id}: {self.event_id}"


class CountyMessage(models.Model):
    """One message to a county's channels, about an event of a case's history or (no event) a
    summary of its `kind` with its data (a step of the county escalation ladder)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    county = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county", "event"], name="county_message_once")
        ]

    def __str__(self):
        return f"{self.county_id}: {self.event_id}"


class Digest(models.Model):
    """The day's e-mail listing a user's messages since the previous one: once a user a day."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    notifications = models.ManyToManyField(Notification, related_name="+", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.day}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")


class Delivery(models.Model):
    """A message on its way through one channel: sent at least once, acknowledged at most once.

    Due when pending, its next attempt has come and no run holds its lease; a run claims it
    (sets the lease), sends outside any transaction and records the attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    county_message = models.ForeignKey(
        CountyMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # the same id in every attempt, so that a receiver can drop a duplicate
    message_id = models.UUIDField()
    address = models.CharField(max_length=300, blank=True)  # e-mail address (a robot: county's)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(notification__isnull=False, county_message=None, digest=None)
                    | Q(notification=None, county_message__isnull=False, digest=None)
                    | Q(notification=None, county_message=None, digest__isnull=False)
                ),
                name="delivery_of_one_message",
            ),
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_notification"
            ),
            models.UniqueConstraint(
                fields=["county_message", "channel"], name="delivery_once_per_county_message"
            ),
            models.UniqueConstraint(fields=["digest", "channel"], name="delivery_once_per_digest"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel} {self.message_id} ({self.status})"

    @property
    def ref(self) -> str:
        """The short form of the message id shown in a robot's text."""
        return self.message_id.hex[:12]


class DeliveryAttempt(models.Model):
    """One try of a delivery: when, how it ended, and what the other side answered."""

    class Outcome(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        FAILED = "failed", _("failed")
        TIMEOUT = "timeout", _("timed out")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    error = models.TextField(blank=True)
    response = models.TextField(blank=True)
    # the deliveries one robot message carried together share it
    request_id = models.UUIDField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.outcome}"
