"""Sending what is due, at least once: claim in one short transaction (a lease), send outside
any transaction, record the outcome in another; the daily digests.

An acknowledged delivery is never sent again; a failed or timed-out one is tried again after
a growing pause; a run that dies leaves its lease to expire, and the delivery is due again.
Two runs at once claim different rows (select_for_update(skip_locked=True) on PostgreSQL,
SQLite's write lock taken at BEGIN elsewhere).
"""

import contextlib
import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.models import User

from . import channels
from .channels import Outcome
from .models import (
    Channel,
    CountyChannel,
    CountyMessage,
    Delivery,
    DeliveryAttempt,
    Digest,
    Frequency,
    Notification,
    Preference,
)
from .services import BODY_CHARACTERS
from .wording import notification_text

LEASE = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 12
FIRST_PAUSE = datetime.timedelta(minutes=1)
LONGEST_PAUSE = datetime.timedelta(hours=6)
CLAIM_BATCH = 200
# a WeCom group robot takes 20 messages a minute, each at most 4096 bytes of markdown
ROBOT_PER_MINUTE = 20
ROBOT_WINDOW = datetime.timedelta(minutes=1)
ROBOT_BYTES = 4000
DIGEST_HOUR = 8  # Asia/Shanghai


def pause_after(attempts: int) -> datetime.timedelta:
    """How long to wait after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


def _due(now: datetime.datetime) -> Q:
    return Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) & (
        Q(lease_until=None) | Q(lease_until__lt=now)
    )


def deliveries_claim(*, now: datetime.datetime, channel: str) -> list[Delivery]:
    """Take the due deliveries of a channel for this run: leased, so no other run takes them."""
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(_due(now), channel=channel)
            .order_by("next_attempt_at", "pk")[:CLAIM_BATCH]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(lease_until=now + LEASE)
    return claimed


def _record(deliveries: Iterable[Delivery], outcome: Outcome, *, now: datetime.datetime) -> int:
    """Record one attempt of each delivery (a robot message carries several) and what follows:
    sent, due again after a pause, or given up after the last attempt."""
    deliveries = list(deliveries)
    request_id = uuid.uuid4()
    outcome_code = (
        DeliveryAttempt.Outcome.ACKNOWLEDGED
        if outcome.acknowledged
        else DeliveryAttempt.Outcome.TIMEOUT
        if outcome.timed_out
        else DeliveryAttempt.Outcome.FAILED
    )
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                delivery=delivery, at=now, outcome=outcome_code, error=outcome.error[:2000],
                response=outcome.response[:2000], request_id=request_id,
            )
            for delivery in deliveries
        )  # fmt: skip
        pending = Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], status=Delivery.Status.PENDING
        )
        if outcome.acknowledged:
            pending.update(
                status=Delivery.Status.SENT, sent_at=now, attempts=F("attempts") + 1,
                lease_until=None,
            )  # fmt: skip
            return len(deliveries)
        for delivery in deliveries:
            attempts = delivery.attempts + 1
            pending.filter(pk=delivery.pk).update(
                attempts=attempts, lease_until=None, next_attempt_at=now + pause_after(attempts),
                status=Delivery.Status.FAILED if attempts >= MAX_ATTEMPTS else F("status"),
            )  # fmt: skip
    return 0


def _release(deliveries: Iterable[Delivery]) -> None:
    """Give back deliveries claimed but not sent in this run (a robot's minute is full)."""
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(lease_until=None)


def emails_send(*, now: datetime.datetime) -> int:
    """Send the due e-mails over one SMTP connection; the number acknowledged."""
    claimed = deliveries_claim(now=now, channel=Channel.EMAIL)
    if not claimed:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        for delivery in claimed:
            outcome = channels.email_send(
                connection=connection, to=delivery.address, subject=delivery.subject,
                body=delivery.body, message_id=delivery.message_id,
            )  # fmt: skip
            sent += _record([delivery], outcome, now=now)
    finally:
        with contextlib.suppress(Exception):  # a connection that broke is closed already
            connection.close()
    return sent


def _pack(deliveries: list[Delivery]) -> list[list[Delivery]]:
    """The deliveries in as few robot messages as fit in a message's size."""
    messages: list[list[Delivery]] = []
    size = 0
    for delivery in deliveries:
        length = len(delivery.body.encode()) + 2
        if not messages or size + length > ROBOT_BYTES:
            messages.append([])
            size = 0
        messages[-1].append(delivery)
        size += length
    return messages


def _robot_book(county_id: int, wanted: int, now: datetime.datetime) -> tuple[str, int]:
    """The county's robot address and how many of `wanted` messages it may take now; the calls
    are booked under the channel's row lock, so two runs at once share the minute's 20."""
    with transaction.atomic():
        channel = CountyChannel.objects.select_for_update().filter(county_id=county_id).first()
        if channel is None or not channel.wecom_webhook:
            return "", 0
        # the calls of the minute before `now` (a run with a later --now left later ones)
        since = now - ROBOT_WINDOW
        recent = [
            at for at in channel.recent_calls if since < datetime.datetime.fromisoformat(at) <= now
        ]
        allowed = max(0, min(wanted, ROBOT_PER_MINUTE - len(recent)))
        channel.recent_calls = recent + [now.isoformat()] * allowed
        channel.save(update_fields=["recent_calls"])
    return channel.wecom_webhook, allowed


def robots_send(*, now: datetime.datetime) -> int:
    """Send the due robot messages, a county's merged into as few as fit and no more than its
    robot takes in a minute (the rest wait for the next run); the number acknowledged."""
    claimed = deliveries_claim(now=now, channel=Channel.WECOM)
    if not claimed:
        return 0
    counties = dict(
        CountyMessage.objects.filter(pk__in=[d.county_message_id for d in claimed]).values_list(
            "pk", "county_id"
        )
    )
    by_county: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in claimed:
        by_county[counties[delivery.county_message_id]].append(delivery)
    sent = 0
    for county_id, deliveries in by_county.items():
        messages = _pack(deliveries)
        url, allowed = _robot_book(county_id, len(messages), now)
        if not url:
            _record(deliveries, Outcome(False, error="no robot configured"), now=now)
            continue
        for message in messages[allowed:]:
            _release(message)
        for message in messages[:allowed]:
            content = "\n\n".join(delivery.body for delivery in message)
            sent += _record(message, channels.robot_post(url=url, content=content), now=now)
    return sent


# --- digests ---------------------------------------------------------------------------------


def _digest_text(notifications: list[Notification], digest: Digest) -> tuple[str, str]:
    lines = []
    for notification in notifications:
        title, summary = notification_text(notification, translation.get_language())
        when = timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M")
        lines.append(f"- {when} {title}: {summary}")
    subject = _("[Casework] %(count)s new messages, %(day)s") % {
        "count": len(notifications), "day": digest.day.isoformat(),
    }  # fmt: skip
    listing = "\n".join(lines)
    if len(listing) > BODY_CHARACTERS * 20:
        listing = listing[: BODY_CHARACTERS * 20] + "\n…"
    body = "\n\n".join(
        [
            listing,
            _("See your notifications in Casework: %(path)s") % {"path": "/notifications/"},
            _("Message ref: %(ref)s") % {"ref": digest.uid},
        ]
    )
    return subject, body


def digest_make(*, user: User, language: str, now: datetime.datetime) -> Digest | None:
    """The user's digest of the day, once: the unread messages since the previous digest, and
    its e-mail when there are any. None when the day's digest exists already."""
    day = timezone.localtime(now).date()
    with transaction.atomic():
        previous = Digest.objects.filter(recipient=user, day__lt=day).order_by("-day").first()
        digest, created = Digest.objects.get_or_create(
            recipient=user, day=day, defaults={"created_at": now}
        )
        if not created:
            return None
        # unread, and not mailed one by one before the user chose the digest
        items = Notification.objects.filter(
            recipient=user, read_at=None, created_at__lte=now
        ).exclude(deliveries__channel=Channel.EMAIL)
        if previous is not None:
            items = items.filter(created_at__gt=previous.created_at)
        items = list(items.select_related("event__case__person").order_by("created_at", "pk"))
        digest.notifications.set(items)
        if items:
            with translation.override(language):
                subject, body = _digest_text(items, digest)
            Delivery.objects.create(
                digest=digest, channel=Channel.EMAIL, message_id=digest.uid, address=user.email,
                subject=subject[:200], body=body, next_attempt_at=now,
            )  # fmt: skip
    return digest


def digests_make(*, now: datetime.datetime) -> int:
    """From 08:00 (Asia/Shanghai) on, each user who chose a daily digest gets the day's."""
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return 0
    done = Digest.objects.filter(day=local.date()).values("recipient_id")
    preferences = (
        Preference.objects.filter(frequency=Frequency.DAILY, email=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(user_id__in=done)
        .select_related("user")
    )
    return sum(
        digest_make(user=p.user, language=p.language, now=now) is not None for p in preferences
    )


def notifications_deliver(*, now: datetime.datetime) -> int:
    """The day's digests when due, then every due e-mail and robot message: the number
    acknowledged in this run."""
    digests_make(now=now)
    return emails_send(now=now) + robots_send(now=now)
