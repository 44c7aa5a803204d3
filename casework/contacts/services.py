"""Writes to the contact table: checking what was typed and saving it, every change logged."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.errors import ServiceError
from casework.idnumber import mask_phone, normalize_phone
from casework.models import ContactChange, ContactRole, CountyContact, Region, User

# the columns of 附件3 (unit and post are one column there, two fields here)
FIELDS = ("name", "unit", "post", "office_phone", "mobile", "email", "qq", "wechat")

# a landline with its area code, an extension allowed (0762-3238307, 0762-3238307-801), or a
# mobile number used as the office line
OFFICE_PHONE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$", re.ASCII)
MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
QQ = re.compile(r"^[1-9]\d{4,11}$", re.ASCII)
# a WeChat ID (6-20 letters, digits, _ or -, starting with a letter) or the mobile it is bound to
WECHAT = re.compile(r"^([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})$", re.ASCII)

MESSAGES = {
    "name": _("Enter the name of the person in this role (or clear every field of the row)."),
    "office_phone": _(
        "Enter the office phone with its area code, such as 0762-3238307 (an extension may "
        "follow: 0762-3238307-801)."
    ),
    "mobile": _("Enter an 11-digit mobile number starting with 1, such as 13812345678."),
    "email": _("Enter an e-mail address such as liaison@example.com."),
    "qq": _("A QQ number has 5 to 12 digits and does not start with 0."),
    "wechat": _(
        "A WeChat ID has 6 to 20 letters, digits, _ or -, and starts with a letter; the mobile "
        "number the account is bound to is accepted too."
    ),
}
LIMITS = {"name": 40, "unit": 80, "post": 40, "email": 120}


def contact_clean(values: dict) -> dict[str, str]:
    """What was typed, as it is kept: spaces trimmed; phone numbers without full-width digits or
    spaces; QQ without spaces."""
    cleaned = {name: str(values.get(name) or "").strip() for name in FIELDS}
    for name in ("office_phone", "mobile", "qq"):
        cleaned[name] = normalize_phone(cleaned[name])
    return cleaned


def contact_problems(values: dict[str, str]) -> dict[str, str]:
    """The fields of one cleaned row that cannot be kept, each with a message saying why. A row
    with every field empty is no contact (nothing to check)."""
    problems = {}
    if not any(values.values()):
        return problems
    if not values["name"]:
        problems["name"] = MESSAGES["name"]
    patterns = {"office_phone": OFFICE_PHONE, "mobile": MOBILE, "qq": QQ, "wechat": WECHAT}
    for name, pattern in patterns.items():
        if values[name] and not pattern.match(values[name]):
            problems[name] = MESSAGES[name]
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems["email"] = MESSAGES["email"]
    for name, limit in LIMITS.items():
        if len(values[name]) > limit and name not in problems:
            problems[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return problems


def _logged(name: str, value: str) -> str:
    """A field's value as the change log keeps it: a mobile number masked."""
    return mask_phone(value) if name == "mobile" else value


@transaction.atomic
def county_contacts_save(*, county: Region, actor: User, rows: dict[str, dict]) -> int:
    """Save a county's contact rows (role -> fields); a row with every field empty removes the
    contact. Each changed row is logged with its fields before and after. Returns the rows
    changed; refuses the whole save if any row has a problem."""
    access.require(access.may_edit_contacts(actor, county))
    if set(rows) - set(ContactRole.values):
        raise ValueError(f"unknown contact roles {set(rows) - set(ContactRole.values)}")
    cleaned = {role: contact_clean(values) for role, values in rows.items()}
    if any(contact_problems(values) for values in cleaned.values()):
        raise ServiceError(_("Some fields cannot be kept as typed; nothing was saved."))
    # the county's row lock makes two saves at once take turns (the second sees the first)
    Region.objects.select_for_update().get(pk=county.pk)
    existing = {contact.role: contact for contact in CountyContact.objects.filter(county=county)}
    changed = 0
    for role, values in cleaned.items():
        contact = existing.get(role)
        before = {name: getattr(contact, name) if contact else "" for name in FIELDS}
        changes = [
            {"field": name, "from": _logged(name, before[name]), "to": _logged(name, value)}
            for name, value in values.items()
            if value != before[name]
        ]
        if not changes:
            continue
        if not any(values.values()):
            contact.delete()
        else:
            contact = contact or CountyContact(county=county, role=role)
            for name, value in values.items():
                setattr(contact, name, value)
            contact.updated_at, contact.updated_by = timezone.now(), actor
            contact.save()
        ContactChange.objects.create(
            county=county, role=role, actor=actor, data={"changes": changes}
        )
        changed += 1
    return changed
