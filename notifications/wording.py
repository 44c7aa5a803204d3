"""A message's words: the history event's own wording in a language, no full number in it."""

import datetime
import re

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework import history
from casework.idnumber import mask_id_number, mask_numbers_in_text, mask_phone
from casework.models import CaseEvent
from supervision.models import Reason, Step

from .models import Notification

# landlines with their area code (0762-1234567), which the ID and mobile pattern leaves alone
LANDLINE = re.compile(r"(?<![\d-])0\d{2,3}-?\d{7,8}(?![\d-])", re.ASCII)


def numbers_masked(text: str, event: CaseEvent) -> str:
    """Text with every ID or phone number masked: the case's own, and any other written in it."""
    person = event.case.person
    for number, masked in (
        (person.id_number, mask_id_number(person.id_number)),
        (person.phone, mask_phone(person.phone)),
    ):
        if number and len(number) > 4:
            text = text.replace(number, masked)
    text = mask_numbers_in_text(text)
    return LANDLINE.sub(lambda match: mask_phone(match.group(0)), text)


def event_title(event: CaseEvent) -> str:
    """What happened, in the active language."""
    return history.event_title(event)


def event_summary(event: CaseEvent) -> str:
    """The case and the event's details in the active language, numbers masked."""
    details = history.event_text(event)
    case = _("%(name)s (case #%(case)s)") % {"name": event.case.person.name, "case": event.case_id}
    return numbers_masked(f"{case} {details}".strip() if details else case, event)


def message_text(event: CaseEvent, language: str) -> tuple[str, str]:
    """(title, summary) of the event in `language`."""
    with translation.override(language):
        return event_title(event), event_summary(event)


# summaries (notifications without an event): their kind's title and text from their data
RESURVEYS = "resurveys"


def _resurveys_text(data: dict) -> tuple[str, str]:
    quarter = datetime.date.fromisoformat(data["quarter"])
    summary = ngettext(
        "%(count)s quarterly re-survey of %(year)s Q%(q)s is in your tasks, due by %(due)s.",
        "%(count)s quarterly re-surveys of %(year)s Q%(q)s are in your tasks, due by %(due)s.",
        data["count"],
    ) % {"count": data["count"], "year": quarter.year, "q": (quarter.month + 2) // 3,
         "due": data["due_on"]}  # fmt: skip
    return _("Quarterly re-surveys"), summary


# a county's monthly report submitted (to city staff), accepted or returned (to the county)
REPORT = "monthly_report"


def _report_text(data: dict) -> tuple[str, str]:
    names = {"county": data["county"], "month": data["month"], "reason": data.get("reason", "")}
    if data["status"] == "submitted":
        return _("Monthly report submitted"), _(
            "%(county)s submitted its monthly report for %(month)s."
        ) % names
    if data["status"] == "accepted":
        return _("Monthly report accepted"), _(
            "The city accepted %(county)s's monthly report for %(month)s."
        ) % names
    return _("Monthly report returned"), _(
        "The city returned %(county)s's monthly report for %(month)s: %(reason)s"
    ) % names


# a step of the county escalation ladder (a circular names all its month's counties at once)
LADDER = "county_ladder"


def _ladder_text(data: dict) -> tuple[str, str]:
    reasons = _(", ").join(str(Reason(reason).label) for reason in data.get("reasons", []))
    names = {"county": data.get("county", ""), "month": data["month"], "reasons": reasons,
             "level": data.get("level"), "counties": _(", ").join(data.get("counties", [])),
             "path": "/supervision/"}  # fmt: skip
    step = data["step"]
    if step == Step.REMINDER:
        return _("Reminder: %(county)s is behind") % names, _(
            "%(county)s earned a strike for %(month)s (%(reasons)s) and stands at level "
            "%(level)s of the escalation ladder. See %(path)s"
        ) % names
    if step == Step.CIRCULAR:
        names["path"] = f"/supervision/circulars/{data['circular_id']}/"
        return _("Circular (通报) for %(month)s") % names, _(
            "The city's circular for %(month)s names %(counties)s. Read it at %(path)s"
        ) % names
    if step == Step.INTERVIEW:
        return _("Interview (约谈) called: %(county)s") % names, _(
            "%(county)s reached the interview level for %(month)s (%(reasons)s); city staff "
            "arrange the interview. See %(path)s"
        ) % names
    return _("%(county)s steps down") % names, _(
        "%(county)s earned no strike in %(month)s and steps down to level %(level)s."
    ) % names


SUMMARIES = {RESURVEYS: _resurveys_text, REPORT: _report_text, LADDER: _ladder_text}


def notification_text(notification: Notification, language: str) -> tuple[str, str]:
    """(title, summary) of a notification in `language`: its event's, or its summary's."""
    if notification.event_id is not None:
        return message_text(notification.event, language)
    with translation.override(language):
        return SUMMARIES[notification.kind](notification.data)
