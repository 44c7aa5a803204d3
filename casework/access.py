"""What a user may see and do: the one place that scopes regions, cases and staff to a user.

A record outside the user's regions is answered exactly like a missing one (404), so that
nobody can learn by probing ids that a household exists in another county.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Case, Region, Role, User


@dataclass(frozen=True)
class Scope:
    """The regions a user works in, resolved to county, township and village ids."""

    county_ids: frozenset[int] = frozenset()
    township_ids: frozenset[int] = frozenset()
    village_ids: frozenset[int] = frozenset()
    # counties the user touches at all (for filters and headings)
    touched_county_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.county_ids or self.township_ids or self.village_ids)

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


def scope_of(user: User) -> Scope:
    """The user's scope, computed once per user object (so once per request)."""
    cached = getattr(user, "_casework_scope", None)
    if cached is not None:
        return cached
    scope = Scope()
    if user.is_authenticated and user.is_active:
        scope = _resolve_scope(list(user.regions.values_list("pk", "level", "county_id")))
    user._casework_scope = scope
    return scope


def _resolve_scope(regions: list[tuple[int, str, int | None]]) -> Scope:
    city_ids = {pk for pk, level, _ in regions if level == Region.Level.CITY}
    county_ids = {pk for pk, level, _ in regions if level == Region.Level.COUNTY}
    if city_ids:
        county_ids |= set(
            Region.objects.filter(level=Region.Level.COUNTY, parent_id__in=city_ids).values_list(
                "pk", flat=True
            )
        )
    township_ids = {pk for pk, level, _ in regions if level == Region.Level.TOWNSHIP}
    village_ids = {pk for pk, level, _ in regions if level == Region.Level.VILLAGE}
    touched = county_ids | {county for _, level, county in regions if level != "city" and county}
    return Scope(
        county_ids=frozenset(county_ids),
        township_ids=frozenset(township_ids),
        village_ids=frozenset(village_ids),
        touched_county_ids=frozenset(touched),
    )


def has_role(user: User, *roles: str) -> bool:
    return user.is_authenticated and user.role in roles


def is_supervisor(user: User) -> bool:
    """County supervisors and above: may see a county's whole picture."""
    return has_role(user, Role.COUNTY_SUPERVISOR, Role.CITY_STAFF, Role.ADMIN)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case in the user's regions, and no other."""
    scope = scope_of(user)
    if scope.empty:
        return Case.objects.none()
    return Case.objects.filter(scope.case_q())


def case_visible_or_404(user: User, pk, queryset: QuerySet[Case] | None = None) -> Case:
    """The case if the user may see it; otherwise 404, exactly like a missing id."""
    return _visible_or_404(user, pk, queryset if queryset is not None else Case.objects.all())


def _visible_or_404(user: User, pk, queryset: QuerySet, prefix: str = ""):
    """One row of queryset, if it lies in the user's scope; 404 when it does not or is missing."""
    scope = scope_of(user)
    try:
        if scope.empty:
            raise queryset.model.DoesNotExist
        return queryset.filter(scope.case_q(prefix)).get(pk=pk)
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


def tasks_visible_to(user: User):
    """The case tasks of the user's regions (a transfer's acceptance: the receiving county's)."""
    from workflows.models import CaseTask

    scope = scope_of(user)
    if scope.empty:
        return CaseTask.objects.none()
    return CaseTask.objects.filter(scope.case_q())


def task_visible_or_404(user: User, pk, queryset=None):
    """The case task if the user may see it; otherwise 404, exactly like a missing id."""
    from workflows.models import CaseTask

    return _visible_or_404(user, pk, queryset if queryset is not None else CaseTask.objects.all())


def covers_task(user: User, case_task) -> bool:
    return scope_of(user).covers(case_task.county_id, case_task.township_id, case_task.region_id)


def may_claim(user: User, case_task) -> bool:
    """Unclaimed tasks of the user's regions that the user's role works on."""
    permission = case_task.task.owner_permission
    return (
        user.is_active
        and covers_task(user, case_task)
        and bool(permission)
        and user.has_perm(permission)
    )


def may_reassign(user: User, case_task) -> bool:
    return user.has_perm("casework.reassign_case") and covers_task(user, case_task)


# --- roster imports ------------------------------------------------------------------


def may_import(user: User) -> bool:
    return user.is_authenticated and user.has_perm("casework.import_roster")


def import_county(user: User):
    """The county a user's imports are limited to: a supervisor's own; None for city-wide."""
    if has_role(user, Role.COUNTY_SUPERVISOR):
        return Region.objects.filter(pk__in=scope_of(user).county_ids).order_by("code").first()
    return None


def import_visible_or_404(user: User, pk):
    """A roster import of the user's county (or their own; every one for administrators)."""
    from .models import RosterImport

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
    try:
        return county_records_visible_to(user, model).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("Nothing matches the given query.") from None


def enrolment_visible_or_404(user: User, pk):
    from .models import Enrolment

    return _visible_or_404(user, pk, Enrolment.objects.select_related("course"), prefix="case__")


def candidate_visible_or_404(user: User, pk):
    from .models import LeftListCandidate

    return _visible_or_404(
        user, pk, LeftListCandidate.objects.select_related("case__person"), prefix="case__"
    )


def may_reveal_numbers(user: User, case: Case) -> bool:
    """Full ID and phone numbers: the case's caseworkers and its county supervisor, no one else."""
    return (
        has_role(user, Role.CASEWORKER, Role.COUNTY_SUPERVISOR)
        and scope_of(user).covers(case.county_id, case.township_id, case.region_id)
    )  # fmt: skip
