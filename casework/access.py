"""What a user may see and do: the one place that scopes regions, cases and staff to a user.

Two questions, both asked by every endpoint (not only by the template that hides a button):
may this user *see* this object — a record outside the user's regions is answered exactly like
a missing one (404), so that nobody can learn by probing ids that a household exists in another
county — and may this role *do* this to it (403 when it may see but not change). The matrix is
written out in docs/access.md.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from .models import Case, Enrolment, LeftListCandidate, Region, Role, RosterImport, User


@dataclass(frozen=True)
class Scope:
    """The regions a user works in, resolved to county, township and village ids."""

    county_ids: frozenset[int] = frozenset()
    township_ids: frozenset[int] = frozenset()
    village_ids: frozenset[int] = frozenset()
    # counties the user touches at all (for filters and headings)
    touched_county_ids: frozenset[int] = frozenset()
    # the codes of the scope's places lie in [low, high): a region's code begins with its
    # parent's (Region.clean), so this bounds the case list's index on place codes
    codes: tuple[str, str] = ("", "")

    @property
    def empty(self) -> bool:
        return not (self.county_ids or self.township_ids or self.village_ids)

    def task_q(self, *, open_elsewhere: Q) -> Q:
        """Tasks whose own place and whose case lie in this scope; `open_elsewhere` names the
        tasks seen by their own place alone (an open transfer acceptance: the receiving
        county's before the case is)."""
        if self.empty:
            return Q(pk__in=[])
        return self.case_q() & (self.case_q("case__") | open_elsewhere)

    def case_q(self, prefix: str = "") -> Q:
        q = Q(pk__in=[])
        if self.county_ids:
            q |= Q(**{f"{prefix}county_id__in": self.county_ids})
        if self.township_ids:
            q |= Q(**{f"{prefix}township_id__in": self.township_ids})
        if self.village_ids:
            q |= Q(**{f"{prefix}region_id__in": self.village_ids})
        return q

    def covers(self, county_id, township_id=None, region_id=None) -> bool:
        """Whether a record of that county, township and village lies in this scope."""
        return (
            county_id in self.county_ids
            or (township_id is not None and township_id in self.township_ids)
            or (region_id is not None and region_id in self.village_ids)
        )

    def region_q(self) -> Q:
        q = Q(pk__in=[])
        if self.county_ids:
            q |= Q(county_id__in=self.county_ids)
        if self.township_ids:
            q |= Q(pk__in=self.township_ids) | Q(parent_id__in=self.township_ids)
        if self.village_ids:
            q |= Q(pk__in=self.village_ids)
        return q


def _code_after(code: str) -> str:
    """The first code past every code that begins with this one ("441699" → "441700")."""
    return str(int(code) + 1).zfill(len(code)) if code.isdigit() else code + "\uffff"


def scope_of(user: User) -> Scope:
    """The user's scope, computed once per user object (so once per request)."""
    cached = getattr(user, "_casework_scope", None)
    if cached is not None:
        return cached
    scope = Scope()
    if user.is_authenticated and user.is_active:
        scope = _resolve_scope(list(user.regions.values_list("pk", "level", "county_id", "code")))
    user._casework_scope = scope
    return scope


def _resolve_scope(regions: list[tuple[int, str, int | None, str]]) -> Scope:
    city_ids = {pk for pk, level, *_ in regions if level == Region.Level.CITY}
    county_ids = {pk for pk, level, *_ in regions if level == Region.Level.COUNTY}
    codes = [code for _, level, _, code in regions if level != Region.Level.CITY]
    if city_ids:
        counties = Region.objects.filter(level=Region.Level.COUNTY, parent_id__in=city_ids)
        for pk, code in counties.values_list("pk", "code"):
            county_ids.add(pk)
            codes.append(code)
    township_ids = {pk for pk, level, *_ in regions if level == Region.Level.TOWNSHIP}
    village_ids = {pk for pk, level, *_ in regions if level == Region.Level.VILLAGE}
    touched = county_ids | {county for _, level, county, _ in regions if level != "city" and county}
    return Scope(
        codes=(min(codes), _code_after(max(codes))) if codes else ("", ""),
        county_ids=frozenset(county_ids),
        township_ids=frozenset(township_ids),
        village_ids=frozenset(village_ids),
        touched_county_ids=frozenset(touched),
    )


def has_role(user: User, *roles: str) -> bool:
    return user.is_authenticated and user.is_active and user.role in roles


def is_supervisor(user: User) -> bool:
    """County supervisors and above: may see a county's whole picture (overdue, team)."""
    return has_role(user, Role.COUNTY_SUPERVISOR, Role.CITY_STAFF, Role.ADMIN)


def require(allowed: bool) -> None:
    """403 for what the user may see but whose role may not do this."""
    if not allowed:
        raise PermissionDenied


# --- what a role may do ------------------------------------------------------------------
# Caseworkers work the cases of their regions; county supervisors do that for their county
# and decide, move and correct; city staff and administrators read (and export) only.

WORKERS = (Role.CASEWORKER, Role.COUNTY_SUPERVISOR)

# the roles that may hold a task, by the permission its flow node asks for
TASK_ROLES = {
    "casework.work_case": WORKERS,
    "casework.approve_closing": (Role.COUNTY_SUPERVISOR,),
    "casework.reassign_case": (Role.COUNTY_SUPERVISOR,),
}


def covers_case(user: User, case: Case) -> bool:
    return scope_of(user).covers(case.county_id, case.township_id, case.region_id)


def may_work_case(user: User, case: Case) -> bool:
    """Survey, help, placements, enrolments, follow-up, closing request, re-survey."""
    return has_role(user, *WORKERS) and covers_case(user, case)


def may_supervise_case(user: User, case: Case) -> bool:
    """Closing approval, transfer, undo, ID correction, reassignment: the county supervisor."""
    return has_role(user, Role.COUNTY_SUPERVISOR) and case.county_id in scope_of(user).county_ids


def may_supervise_cases(user: User) -> bool:
    """Whether the role decides for a county at all (each case: may_supervise_case)."""
    return has_role(user, Role.COUNTY_SUPERVISOR)


def may_work_cases(user: User) -> bool:
    """Whether the role works cases at all (each case is then checked with may_work_case)."""
    return has_role(user, *WORKERS)


def may_manage_programmes(user: User, county_id: int | None = None) -> bool:
    """Set up events, workshops, posts, courses and vacancies: the county's supervisor."""
    return has_role(user, Role.COUNTY_SUPERVISOR) and (
        county_id is None or county_id in scope_of(user).county_ids
    )


def may_reconcile(user: User, county_id: int | None = None) -> bool:
    """Hold a reconciliation round with the poverty office and confirm laborers in it."""
    return may_manage_programmes(user, county_id)


def may_export_full_ids(user: User) -> bool:
    """The full-ID list for the poverty office: county supervisors and city staff."""
    return has_role(user, Role.COUNTY_SUPERVISOR, Role.CITY_STAFF)


def may_reveal_numbers(user: User, case: Case) -> bool:
    """Full ID and phone numbers: the case's caseworkers and its county supervisor, no one else
    (those who work the case)."""
    return may_work_case(user, case)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case in the user's regions, and no other."""
    scope = scope_of(user)
    if scope.empty:
        return Case.objects.none()
    low, high = scope.codes
    return Case.objects.filter(scope.case_q(), place_code__gte=low, place_code__lt=high)


def of_visible_cases(user: User, queryset: QuerySet, prefix: str = "case__") -> QuerySet:
    """Rows about cases (placements, enrolments, invitations…) of cases the user may see."""
    scope = scope_of(user)
    if scope.empty:
        return queryset.none()
    return queryset.filter(scope.case_q(prefix))


def case_visible_or_404(user: User, pk, queryset: QuerySet[Case] | None = None) -> Case:
    """The case if the user may see it; otherwise 404, exactly like a missing id."""
    return _visible_or_404(user, pk, queryset if queryset is not None else Case.objects.all())


def _visible_or_404(user: User, pk, queryset: QuerySet, prefix: str = ""):
    """One row of queryset, if it lies in the user's scope; 404 when it does not or is missing."""
    scope = scope_of(user)
    if scope.empty:
        raise Http404("Nothing matches the given query.")
    return one_or_404(queryset.filter(scope.case_q(prefix)), pk)


def one_or_404(queryset: QuerySet, pk, **conditions):
    """The row of an already scoped queryset; 404, exactly like a missing id, otherwise."""
    try:
        return queryset.get(pk=pk, **conditions)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Nothing matches the given query.") from None


def regions_visible_to(user: User) -> QuerySet[Region]:
    """The counties, townships and villages in the user's scope."""
    scope = scope_of(user)
    if scope.empty:
        return Region.objects.none()
    return Region.objects.filter(scope.region_q())


def counties_visible_to(user: User) -> QuerySet[Region]:
    return Region.objects.filter(
        level=Region.Level.COUNTY, pk__in=scope_of(user).touched_county_ids
    )


def staff_visible_to(user: User, role: str | None = None) -> QuerySet[User]:
    """Active staff working in the user's regions (for owner filters and hand-overs)."""
    users = User.objects.filter(is_active=True, regions__in=regions_visible_to(user))
    if role:
        users = users.filter(groups__name=role)
    return users.distinct().order_by("username")


# --- tasks ---------------------------------------------------------------------------


# The process layer applies these rules to its tasks in workflows.selectors (tasks_visible_to,
# task_visible_or_404): a task is seen where both the task and its case lie in the scope.


def covers_task(user: User, case_task) -> bool:
    return scope_of(user).covers(case_task.county_id, case_task.township_id, case_task.region_id)


def may_claim(user: User, case_task) -> bool:
    """Unclaimed tasks of the user's regions that the user's role works on."""
    return covers_task(user, case_task) and has_role(
        user, *TASK_ROLES.get(case_task.task.owner_permission, ())
    )


def may_reassign(user: User, case_task) -> bool:
    return may_reassign_tasks(user) and covers_task(user, case_task)


def may_reassign_tasks(user: User) -> bool:
    """Move tasks between caseworkers: the county supervisor, within the county."""
    return has_role(user, Role.COUNTY_SUPERVISOR)


# --- roster imports ------------------------------------------------------------------


def may_import(user: User) -> bool:
    """Roster imports: a county supervisor for the county, an administrator for the city."""
    return has_role(user, Role.COUNTY_SUPERVISOR, Role.ADMIN)


def may_configure_county_channels(user: User) -> bool:
    """Set each county's WeCom group robot for its messages: city staff and administrators."""
    return has_role(user, Role.CITY_STAFF, Role.ADMIN) or (user.is_active and user.is_superuser)


def may_see_registration_conflicts(user: User) -> bool:
    """Rosters naming laborers registered in another county: the city arranges transfers."""
    return has_role(user, Role.CITY_STAFF, Role.ADMIN)


def may_decide_left_list(user: User, candidate) -> bool:
    """Confirm or dismiss that a laborer left the list (it closes the case): the supervisor."""
    return may_supervise_case(user, candidate.case)


def import_county(user: User):
    """The county a user's imports are limited to: a supervisor's own; None for city-wide."""
    if has_role(user, Role.COUNTY_SUPERVISOR):
        return Region.objects.filter(pk__in=scope_of(user).county_ids).order_by("code").first()
    return None


def import_visible_or_404(user: User, pk):
    """A roster import of the user's county (or their own; every one for administrators)."""
    if not may_import(user):
        raise Http404("No import matches the given query.")
    imports = RosterImport.objects.select_related("county", "actor")
    if import_county(user) is not None or not has_role(user, Role.ADMIN):
        imports = imports.filter(Q(actor=user) | Q(county_id__in=scope_of(user).county_ids))
    try:
        return imports.get(pk=pk)
    except (RosterImport.DoesNotExist, ValueError, TypeError):
        raise Http404("No import matches the given query.") from None


def county_records_visible_to(user: User, model) -> QuerySet:
    """Records kept per county (programmes, reconciliation rounds) of the user's counties."""
    return model.objects.filter(county_id__in=scope_of(user).touched_county_ids)


def county_record_visible_or_404(user: User, model, pk):
    return one_or_404(county_records_visible_to(user, model), pk)


def enrolment_visible_or_404(user: User, pk):
    return _visible_or_404(user, pk, Enrolment.objects.select_related("course"), prefix="case__")


def left_list_candidates_visible_to(user: User) -> QuerySet:
    """Pending left-list candidates of the user's regions whose case is still in the county
    whose roster left it out (a case transferred away is no longer that county's to decide)."""
    candidates = LeftListCandidate.objects.filter(
        status=LeftListCandidate.Status.PENDING, case__county=F("roster_import__county")
    )
    return of_visible_cases(user, candidates)


def candidate_visible_or_404(user: User, pk):
    queryset = LeftListCandidate.objects.filter(case__county=F("roster_import__county"))
    return _visible_or_404(user, pk, queryset.select_related("case__person"), prefix="case__")


def candidates_visible_or_404(user: User, pks: list[int]) -> list:
    """Every candidate named, if each lies in the user's scope; otherwise 404 for them all."""
    queryset = of_visible_cases(
        user, LeftListCandidate.objects.filter(case__county=F("roster_import__county"))
    )
    found = list(
        queryset.filter(pk__in=pks)
        .select_related("case__person", "case__township", "roster_import")
        .order_by("case__township__code", "case__person__name", "pk")
    )
    if len(found) != len(set(pks)):
        raise Http404("Nothing matches the given query.")
    return found


# --- the contact table (附件3) -----------------------------------------------------------
# Everyone reads the contacts of the counties they work in (city staff: all of them); the
# county supervisor keeps their own county's table. An official's office phone, e-mail, QQ and
# WeChat are work contacts given for this table and shown in full; a mobile number is still
# personal data, shown in full to those who coordinate with the county (its supervisor, city
# staff, administrators) and masked for caseworkers.


def contact_counties_visible_to(user: User) -> QuerySet[Region]:
    """The counties whose contact table the user reads: those the user works in."""
    return counties_visible_to(user)


def contact_county_visible_or_404(user: User, pk) -> Region:
    """A county whose contacts the user reads; 404 for any other, exactly like a missing id."""
    return one_or_404(contact_counties_visible_to(user), pk)


def may_edit_contacts(user: User, county: Region) -> bool:
    """Enter and change a county's leader in charge and liaison: that county's supervisor."""
    return has_role(user, Role.COUNTY_SUPERVISOR) and county.pk in scope_of(user).county_ids


def may_see_contact_mobiles(user: User) -> bool:
    """Officials' mobile numbers in full (within the counties the user reads)."""
    return has_role(user, Role.COUNTY_SUPERVISOR, Role.CITY_STAFF, Role.ADMIN)


def may_export_contacts(user: User) -> bool:
    """The contact table as a workbook (附件3): county supervisors, city staff, administrators."""
    return has_role(user, Role.COUNTY_SUPERVISOR, Role.CITY_STAFF, Role.ADMIN)


# --- monthly reports (附件1) -------------------------------------------------------------
# A county's report is read by its supervisor and by city staff and administrators (every
# county); caseworkers have none. The county supervisor submits it; city staff accept it or
# return it, their one write here that no case is behind.

REPORT_READERS = (Role.COUNTY_SUPERVISOR, Role.CITY_STAFF, Role.ADMIN)


def may_see_reports(user: User) -> bool:
    return has_role(user, *REPORT_READERS)


def report_counties_visible_to(user: User) -> QuerySet[Region]:
    """The counties whose monthly reports the user reads."""
    if not may_see_reports(user):
        return Region.objects.none()
    return Region.objects.filter(level=Region.Level.COUNTY, pk__in=scope_of(user).county_ids)


def report_county_visible_or_404(user: User, pk) -> Region:
    """A county whose reports the user reads; 404 for any other (every county for a
    caseworker), exactly like a missing id."""
    return one_or_404(report_counties_visible_to(user), pk)


def may_submit_report(user: User, county_id: int) -> bool:
    """Write the remarks of a county's report and submit it: that county's supervisor."""
    return has_role(user, Role.COUNTY_SUPERVISOR) and county_id in scope_of(user).county_ids


def may_review_reports(user: User) -> bool:
    """Accept a submitted report or return it with a reason: city staff."""
    return has_role(user, Role.CITY_STAFF)


# --- survey forms (附件2) on paper -------------------------------------------------------


def village_visible_or_404(user: User, pk) -> Region:
    """A village in the user's regions; otherwise 404, exactly like a missing id."""
    return one_or_404(regions_visible_to(user), pk, level=Region.Level.VILLAGE)


def may_print_village_forms(user: User, village: Region) -> bool:
    """Survey forms pre-filled with full numbers for a village's laborers: its caseworkers and
    its county supervisor (as may_reveal_numbers for one case)."""
    return has_role(user, *WORKERS) and scope_of(user).covers(
        village.county_id, village.parent_id, village.pk
    )


def villages_printable_by(user: User) -> QuerySet[Region]:
    """The villages whose forms the user may print pre-filled (none for reading roles)."""
    if not has_role(user, *WORKERS):
        return Region.objects.none()
    return regions_visible_to(user).filter(level=Region.Level.VILLAGE)


# --- county supervision: the ladder, circulars, inspections, interviews, the report ---------


def supervision_counties_visible_to(user: User) -> QuerySet[Region]:
    """The counties whose supervision the user reads: the monthly reports' readers, each for
    the counties whose reports they read (a county supervisor their own county)."""
    return report_counties_visible_to(user)


def supervision_county_visible_or_404(user: User, pk) -> Region:
    return one_or_404(supervision_counties_visible_to(user), pk)


def supervision_records_visible_to(user: User, queryset: QuerySet) -> QuerySet:
    """Inspections, interviews or ladder months of the counties the user reads."""
    return queryset.filter(county__in=supervision_counties_visible_to(user))


def circulars_visible_to(user: User, queryset: QuerySet) -> QuerySet:
    """A circular (通报) is read by every county, so every reader of reports reads them all."""
    return queryset if may_see_reports(user) else queryset.none()


def may_supervise_counties(user: User) -> bool:
    """Record inspections and arrange interviews: city staff."""
    return has_role(user, Role.CITY_STAFF)


def may_print_supervision_report(user: User) -> bool:
    """Make the city's supervision report (every county's figures): city staff, and
    administrators, who read as city staff do."""
    return has_role(user, Role.CITY_STAFF, Role.ADMIN)


def supervision_reports_visible_to(user: User, queryset: QuerySet) -> QuerySet:
    """The supervision reports a user reads: every one for those who may print them (a report
    is the city's, so city staff and administrators read each other's), none for anyone else,
    to whom any report's page is not found (404), as a missing one."""
    return queryset if may_print_supervision_report(user) else queryset.none()


def may_read_audit(user: User) -> bool:
    """Read and export the record of processing (/audit/): city staff and administrators."""
    return has_role(user, Role.CITY_STAFF, Role.ADMIN)
