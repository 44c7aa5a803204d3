"""A message's words: the history event's own wording in a language, no full number in it."""

import re

from django.utils import translation
from django.utils.translation import gettext as _

from casework import history
from casework.idnumber import mask_id_number, mask_numbers_in_text, mask_phone
from casework.models import CaseEvent

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
