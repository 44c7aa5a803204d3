"""The resident ID number rule (GB 11643): format, check character and birth date, not place."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# ASCII only: \d would also let through other scripts' digits, which are not ID numbers.
ID_PATTERN = re.compile(r"^\d{17}[\dX]$", re.ASCII)

# ISO 7064 MOD 11-2 as GB 11643 writes it out: the weight of digit i (1-based) is 2**(18-i) mod 11,
# and the check character makes the weighted sum of all 18 (X counting 10) equal 1 mod 11.
CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum of the 17 digits mod 11


class IdNumberError(ValueError):
    """An ID number that cannot be accepted, with a stable code and a translatable reason."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message

    @classmethod
    def of(cls, code: str) -> "IdNumberError":
        return cls(code, ID_NUMBER_REASONS[code])


# Why a number is refused, by code (a roster report keeps the code and words it when shown).
ID_NUMBER_REASONS = {
    "id_missing": _("The ID number is missing."),
    "id_format": _("The ID number must be 17 digits followed by a digit or X."),
    "id_checksum": _("The ID number's check character is wrong."),
    "id_birthdate": _("The ID number holds an impossible birth date."),
}


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"

    @property
    def place_code(self) -> str:
        return self.number[:6]


def id_check_character(body17: str) -> str:
    """The check character (0-9 or X) of an ID number's first 17 digits."""
    # Spelled out rather than taken from python-stdnum: its calc_check_digit expects the
    # whole 18-character number and drops the last character of whatever it is given.
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise ValueError(f"an ID number body is 17 digits, not {body17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(body17, CHECK_WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalize_id_number(value: str | None) -> str:
    """Strip spaces and full-width characters people paste from Excel; upper-case the x."""
    if value is None:
        return ""
    text = str(value).strip().translate(FULL_WIDTH).replace(" ", "").upper()
    return text


FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ\u3000", "0123456789XX ")


def parse_id_number(value: str | None, *, today: datetime.date | None = None) -> IdNumber:
    """Accept an 18-character ID number whose check character and birth date are valid.

    The six-digit place code is deliberately not checked: it records where the card was
    first issued, and real numbers carry codes of counties that no longer (or did not yet) exist.
    """
    number = normalize_id_number(value)
    if not number:
        raise IdNumberError.of("id_missing")
    if not ID_PATTERN.match(number):
        raise IdNumberError.of("id_format")
    if id_check_character(number[:17]) != number[17]:
        raise IdNumberError.of("id_checksum")
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError.of("id_birthdate") from None
    today = today or datetime.date.today()
    if birth_date > today or birth_date.year < 1900:
        raise IdNumberError.of("id_birthdate")
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumber(number=number, birth_date=birth_date, sex=sex)


def make_id_number(place_code: str, birth_date: datetime.date, sequence: int) -> str:
    """Build a valid ID number (demo data and tests): odd sequence digit is male."""
    body = f"{place_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + id_check_character(body)


def mask_id_number(number: str) -> str:
    """441622********1234: place code and last four only."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile number; other numbers keep their last four only."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) == 11 and digits.isdigit():
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


# A phone number the survey accepts: a mainland mobile (11 digits, 13x-19x) or a landline with
# its area code (0 and 2-3 digits, then 7-8 digits), such as 0762-1234567.
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", re.ASCII)
PHONE_FULL_WIDTH = str.maketrans("０１２３４５６７８９－—\u3000", "0123456789-- ")


def normalize_phone(value: str | None) -> str:
    """A typed phone number without spaces, full-width digits or dashes as people write them."""
    return str(value or "").translate(PHONE_FULL_WIDTH).replace(" ", "").strip()


def is_phone_number(value: str) -> bool:
    """Whether a (normalized) number is a mobile or a landline with its area code."""
    return bool(PHONE_PATTERN.match(value or ""))


# What mask_phone gives: a mobile's first three and last four, or stars and the last four.
MASKED_PHONE = re.compile(r"^(\d{3}\*{4}\d{4}|\*+\d{0,4})$")
# ID and mobile numbers written inside a free-text answer (an 18-character ID number, an
# 11-digit mobile number), not glued to other digits.
NUMBERS_IN_TEXT = re.compile(r"(?<![\dXx])(\d{17}[\dXx]|1[3-9]\d{9})(?![\dXx])")


def is_masked_phone(value: str) -> bool:
    return bool(MASKED_PHONE.match(value or ""))


def phone_at_rest(value: str) -> str:
    """A phone as it may be kept outside the laborer's record (a draft): masked."""
    value = (value or "").strip()
    return value if not value or is_masked_phone(value) else mask_phone(value)


def mask_numbers_in_text(text: str) -> str:
    """Free text with every ID or mobile number in it masked."""

    def masked(match):
        number = match.group(0)
        return mask_phone(number) if len(number) == 11 else mask_id_number(number.upper())

    return NUMBERS_IN_TEXT.sub(masked, text or "")
