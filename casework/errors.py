"""The errors a refused or unreadable request raises, shown to the user as they are."""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A request the rules refuse; its message is shown to the user as is."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class BadInput(BadRequest):
    """A request whose data cannot be read (a tampered form): answered 400 with its message."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# a record number: ASCII digits only (not ² or ３), and few enough to fit the database's bigint
AN_ID = re.compile(r"[0-9]{1,18}", re.ASCII)

NOT_AN_ID = _(
    "The form sent something other than record numbers, so nothing was changed. Reload the "
    "page and try again."
)


def posted_ids(data, name: str) -> list[int]:
    """The ids ticked in a form's list (`<input name=… value=id>`), or BadInput if one is not
    a whole number: a tampered form is refused whole, never half-applied."""
    values = [value.strip() for value in data.getlist(name)]
    if not all(AN_ID.fullmatch(value) for value in values):
        raise BadInput(NOT_AN_ID)
    return [int(value) for value in values]


def posted_id(data, name: str) -> int | None:
    """One id a form sends (a chosen colleague): None when empty, BadInput if not a number."""
    value = data.get(name, "").strip()
    if not value:
        return None
    if not AN_ID.fullmatch(value):
        raise BadInput(NOT_AN_ID)
    return int(value)
