"""The notifications' writes: messages made from a history event, read marks, preferences and a
county's channel."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import history
from casework.contacts.selectors import county_contacts
from casework.models import CaseEvent, Region, User

from .models import (
    Channel,
    CountyChannel,
    CountyMessage,
    Delivery,
    Frequency,
    Notification,
    Preference,
)
from .wording import SUMMARIES, message_text, notification_text

# a robot message is at most 4096 bytes; one event's text is cut well below that
BODY_CHARACTERS = 1000


def preference_of(user: User) -> Preference:
    """The user's preferences, or the defaults (unsaved) when the user never chose."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


def _cut(text: str) -> str:
    return text if len(text) <= BODY_CHARACTERS else text[: BODY_CHARACTERS - 1] + "…"


def email_text(*, title: str, summary: str, message_id) -> tuple[str, str]:
    """(subject, body) of an e-mail about one event, in the active language."""
    subject = _("[Casework] %(title)s") % {"title": title}
    body = "\n\n".join(
        [
            summary,
            _("See your notifications in Casework: %(path)s") % {"path": "/notifications/"},
            _("Message ref: %(ref)s") % {"ref": message_id},
        ]
    )
    return subject, _cut(body)


# what WeCom's markdown reads as links, tags or emphasis, shown as itself in people's text
MARKDOWN_LOOKALIKES = str.maketrans({"[": "［", "]": "］", "<": "＜", ">": "＞", "*": "＊",
                                     "`": "｀", "(": "（", ")": "）"})  # fmt: skip


def robot_text(*, title: str, summary: str, message_id) -> str:
    """One event as the markdown a WeCom group robot shows, with its short ref; what people
    typed (names, notes) cannot make links or tags there."""
    ref = _("ref %(ref)s") % {"ref": message_id.hex[:12]}
    title, summary = title.translate(MARKDOWN_LOOKALIKES), summary.translate(MARKDOWN_LOOKALIKES)
    return _cut(f'**{title}**\n{summary}\n<font color="comment">{ref}</font>')


def _notify_users(event: CaseEvent, user_ids) -> list[Notification]:
    users = User.objects.filter(pk__in=user_ids, is_active=True).select_related(
        "notification_preference"
    )
    made = []
    for user in users:
        notification, created = Notification.objects.get_or_create(
            recipient=user, event=event, defaults={"created_at": event.at}
        )
        if created:
            made.append(notification)
            _mail_at_once(notification, user)
    return made


def _mail_at_once(notification: Notification, user: User) -> None:
    """The notification's e-mail, when the user chose each message at once by e-mail."""
    preference = preference_of(user)
    if preference.email and preference.frequency == Frequency.IMMEDIATE and user.email:
        title, summary = notification_text(notification, preference.language)
        with translation.override(preference.language):
            subject, body = email_text(title=title, summary=summary, message_id=notification.uid)
        Delivery.objects.create(
            notification=notification, channel=Channel.EMAIL, message_id=notification.uid,
            address=user.email, subject=subject[:200], body=body,
            next_attempt_at=notification.created_at,
        )  # fmt: skip


@transaction.atomic
def summaries_send(*, kind: str, per_user: dict[int, dict], at=None) -> list[Notification]:
    """One summary notification of `kind` to each active user of `per_user` (id -> its data)."""
    at = at or timezone.now()
    users = User.objects.filter(pk__in=per_user, is_active=True).select_related(
        "notification_preference"
    )
    made = []
    for user in users:
        notification = Notification.objects.create(
            recipient=user, kind=kind, data=per_user[user.pk], created_at=at
        )
        _mail_at_once(notification, user)
        made.append(notification)
    return made


def _notify_county(event: CaseEvent, county_id) -> CountyMessage | None:
    county = Region.objects.filter(pk=county_id, level=Region.Level.COUNTY).first()
    if county is None:
        return None
    message, created = CountyMessage.objects.get_or_create(county=county, event=event)
    if created:
        title, summary = message_text(event, settings.LANGUAGE_CODE)
        _county_deliveries(message, title=title, summary=summary, at=event.at)
    return message


@transaction.atomic
def county_summaries_send(*, kind: str, per_county: dict[int, dict], at=None) -> list:
    """One summary message of `kind` to each county of `per_county` (id -> its data): its
    WeCom robot and its contacts' e-mail, in the site's language."""
    at = at or timezone.now()
    made = []
    for county in Region.objects.filter(pk__in=per_county, level=Region.Level.COUNTY):
        message = CountyMessage.objects.create(
            county=county, kind=kind, data=per_county[county.pk], created_at=at
        )
        with translation.override(settings.LANGUAGE_CODE):
            title, summary = SUMMARIES[kind](message.data)
        _county_deliveries(message, title=title, summary=summary, at=at)
        made.append(message)
    return made


def _county_deliveries(message: CountyMessage, *, title: str, summary: str, at) -> None:
    """The county's robot (if it has one) and its contacts (附件3) with an address, who get
    one e-mail together, under one id."""
    channel = CountyChannel.objects.filter(county=message.county).exclude(wecom_webhook="").first()
    if channel is not None:
        Delivery.objects.create(
            county_message=message, channel=Channel.WECOM, message_id=message.uid,
            body=robot_text(title=title, summary=summary, message_id=message.uid),
            next_attempt_at=at,
        )  # fmt: skip
    addresses = [contact.email for contact in county_contacts(message.county)]
    if addresses:
        subject, body = email_text(title=title, summary=summary, message_id=message.uid)
        Delivery.objects.create(
            county_message=message, channel=Channel.EMAIL, message_id=message.uid,
            address=", ".join(addresses)[:300], subject=subject[:200], body=body,
            next_attempt_at=at,
        )  # fmt: skip


@transaction.atomic
def notifications_for_event(*, event: CaseEvent) -> list[Notification]:
    """The messages an event asks for: one per user in data["notify"] (in the centre, and by
    e-mail at once for those who chose so), one to the county in data["notify_county"].
    Making them twice makes nothing more."""
    data = event.data or {}
    user_ids = [pk for pk in data.get("notify") or [] if isinstance(pk, int)]
    made = _notify_users(event, user_ids) if user_ids else []
    if data.get("notify_county") is not None:
        _notify_county(event, data["notify_county"])
    return made


def notification_mark_read(*, notification: Notification, actor: User) -> None:
    """Mark one of the actor's notifications as read."""
    Notification.objects.filter(pk=notification.pk, recipient=actor, read_at=None).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor as read."""
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


def preference_update(*, actor: User, email: bool, frequency: str, language: str) -> Preference:
    """Save the actor's own choice of channels, frequency and language."""
    preference, _created = Preference.objects.update_or_create(
        user=actor, defaults={"email": email, "frequency": frequency, "language": language}
    )
    return preference


def county_channel_update(*, actor: User, county: Region, wecom_webhook: str) -> CountyChannel:
    """Set (or clear) a county's WeCom group robot; the change is recorded (the robot's key
    shown by its last characters only)."""
    before = CountyChannel.objects.filter(county=county).values_list("wecom_webhook", flat=True)
    old = before.first() or ""
    channel, _created = CountyChannel.objects.update_or_create(
        county=county, defaults={"wecom_webhook": wecom_webhook}
    )
    if old != wecom_webhook:
        history.change_record(actor=actor, kind="county_channel", county=county, target=channel,
                              changes={"wecom_webhook": [_key_hidden(old),
                                                         _key_hidden(wecom_webhook)]})  # fmt: skip
    return channel


def _key_hidden(webhook: str) -> str:
    """A robot's address with its key shortened to the last four characters (the key lets
    anyone post to the county's group)."""
    address, separator, key = webhook.partition("key=")
    return f"{address}{separator}…{key[-4:]}" if key else webhook
