"""Reads of the registry that more than one view or command needs."""

from django.db.models import Count, F, Q, QuerySet

from .models import OPEN_STAGES, Case, Region, Stage


class RegionNotFound(LookupError):
    pass


def region_resolve(text: str) -> Region:
    """A region named by its code (441621) or by its path of names (紫金县/紫城镇).

    A path may start with the city's name; a county alone may be named by its name.
    """
    text = (text or "").strip().strip("/")
    if not text:
        raise RegionNotFound(text)
    region = Region.objects.filter(code=text).first()
    if region is not None:
        return region
    names = [part.strip() for part in text.replace("／", "/").split("/") if part.strip()]
    city = Region.objects.filter(level=Region.Level.CITY, name=names[0]).first()
    if city is not None:
        if len(names) == 1:
            return city
        names = names[1:]
        parent_q = {"parent": city}
    else:
        parent_q = {"level": Region.Level.COUNTY}
    region = Region.objects.filter(name=names[0], **parent_q).first()
    for name in names[1:]:
        if region is None:
            break
        region = region.children.filter(name=name).first()
    if region is None:
        raise RegionNotFound(text)
    return region


def case_list_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the case list shows, joined so that a page costs the same queries at any size."""
    return cases.select_related("person", "county", "township", "region", "owner")


def household_members(case: Case, visible: QuerySet[Case]) -> QuerySet[Case]:
    """The other cases sharing the laborer's household number, among those the user may see."""
    if not case.person.household_no:
        return visible.none()
    return (
        visible.filter(person__household_no=case.person.household_no)
        .exclude(pk=case.pk)
        .select_related("person", "region")
        .order_by("person__birth_year", "pk")
    )


def case_with_id_number(cases: QuerySet[Case], id_number: str) -> Case | None:
    """The case among these whose laborer has exactly this ID number, if any."""
    return cases.filter(person__id_number=id_number).first()


def cases_by_stage(cases: QuerySet[Case]) -> dict[str, int]:
    """How many of these cases are in each stage (stages with none are left out)."""
    return dict(cases.order_by().values_list("stage").annotate(n=Count("pk")))


def open_cases_by_county(cases: QuerySet[Case]) -> dict[int, int]:
    """How many of these cases are open (not closed), per county id."""
    return dict(
        cases.order_by()
        .values_list("county")
        .annotate(open=Count("pk", filter=~Q(stage=Stage.CLOSED)))
    )


def conflicts_unresolved(conflicts: QuerySet) -> QuerySet:
    """Registration conflicts whose case has not yet moved to the county whose roster names it."""
    return conflicts.exclude(case__county=F("county"))


def village_open_cases(village: Region) -> QuerySet[Case]:
    """The open cases of a village, by name, with what their survey forms print."""
    return (
        Case.objects.filter(region=village, merged_into__isnull=True)
        .exclude(stage=Stage.CLOSED)
        .select_related("person", "county", "township", "region", "latest_survey")
        .order_by("person__name", "pk")
    )


def villages_with_open_counts(villages: QuerySet[Region]) -> QuerySet[Region]:
    """Villages with the number of their open cases (`open_cases`), by path."""
    open_cases = Q(cases__merged_into__isnull=True, cases__stage__in=OPEN_STAGES)
    return (
        villages.select_related("parent", "county")
        .annotate(open_cases=Count("cases", filter=open_cases))
        .order_by("county__code", "parent__code", "code")
    )
