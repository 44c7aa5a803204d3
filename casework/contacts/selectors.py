"""Reads of the contact table: the table a user sees, a county's changes, and the recipients of
county-level messages."""

from dataclasses import dataclass

from django.db.models import Prefetch

from casework import access
from casework.models import ContactChange, ContactRole, CountyContact, Region, User


@dataclass(frozen=True)
class CountyContacts:
    """One county's row of the table: its contact for each role (None where nobody is named)."""

    county: Region
    leader: CountyContact | None
    liaison: CountyContact | None

    @property
    def by_role(self) -> list[tuple[str, str, CountyContact | None]]:
        """(role code, role label, contact) in the form's order."""
        return [
            (ContactRole.LEADER, ContactRole.LEADER.label, self.leader),
            (ContactRole.LIAISON, ContactRole.LIAISON.label, self.liaison),
        ]


def contact_table(user: User, counties=None) -> list[CountyContacts]:
    """The contact table of the counties the user reads (or of `counties` among them), one entry
    per county in code order: two queries, however many counties."""
    visible = access.contact_counties_visible_to(user)
    if counties is not None:
        visible = visible.filter(pk__in=[county.pk for county in counties])
    contacts = CountyContact.objects.select_related("updated_by")
    visible = visible.order_by("code").prefetch_related(
        Prefetch("contacts", queryset=contacts, to_attr="contact_rows")
    )
    table = []
    for county in visible:
        by_role = {contact.role: contact for contact in county.contact_rows}
        table.append(
            CountyContacts(
                county=county,
                leader=by_role.get(ContactRole.LEADER),
                liaison=by_role.get(ContactRole.LIAISON),
            )
        )
    return table


def contact_changes(county: Region, limit: int = 50) -> list[ContactChange]:
    """A county's latest changes to its contact table, newest first."""
    return list(ContactChange.objects.filter(county=county).select_related("actor")[:limit])


def county_contacts(county: Region | int) -> list[CountyContact]:
    """The recipients of county-level messages: the county's contacts (leader in charge, then
    liaison) that have an e-mail address. Takes the county or its id (as in an event's
    `notify_county`); no access check, as a message is sent by the system, not shown to a user."""
    county_id = county.pk if isinstance(county, Region) else county
    return list(
        CountyContact.objects.filter(county_id=county_id).exclude(email="").order_by("role")
    )
