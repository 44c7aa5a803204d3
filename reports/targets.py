"""The two 100% targets (两个100%), per county or township, for the cases of a scope.

Of the laborers who want work — not closed, and their latest survey (if any) shows them working
or not working for a reason other than 无劳动能力, 不愿就业 or 只愿务农 (`Survey.wants_work`) —
refined service is the share with a survey and at least one service record (outreach, a
matching invitation, a placement, a training enrolment, a benefit, a follow-up, or help recorded
from the assistance task); policy coverage is the share with at least one policy benefit.
docs/monthly-report.md writes the same definitions out.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from casework.models import (
    Assistance,
    Benefit,
    Case,
    Enrolment,
    FollowUp,
    Invitation,
    Outreach,
    Placement,
    Stage,
)

SERVICE_RECORDS = (Outreach, Invitation, Placement, Enrolment, Benefit, FollowUp, Assistance)


@dataclass(frozen=True)
class Targets:
    region_id: int | None
    eligible: int  # laborers who want work
    served: int  # … with a survey and a service record
    covered: int  # … with a policy benefit

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def service_rate(self) -> float | None:
        return self._rate(self.served, self.eligible)

    @property
    def coverage_rate(self) -> float | None:
        return self._rate(self.covered, self.eligible)


def wanting_work(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The laborers who want work, among these cases."""
    return (
        cases.filter(merged_into__isnull=True)
        .exclude(stage=Stage.CLOSED)
        .filter(Q(latest_survey__isnull=True) | Q(latest_survey__wants_work=True))
    )


def _has(model) -> Q:
    # EXISTS, a probe of the record table's case index per case: an IN over its case ids is
    # hashed only while the set fits work_mem, and past that (430,000 outreach rows at a
    # million cases) PostgreSQL rescans the table for every case, for minutes
    return Q(Exists(model.objects.filter(case_id=OuterRef("pk"))))


def served_q() -> Q:
    served = Q()
    for model in SERVICE_RECORDS:
        served |= _has(model)
    return Q(latest_survey__isnull=False) & served


def covered_q() -> Q:
    return _has(Benefit)


def targets_by(cases: QuerySet[Case], field: str = "county") -> list[Targets]:
    """One row per county (field="county") or township ("township") of these cases; a row
    for the whole scope is `targets_total`."""
    rows = (
        wanting_work(cases)
        .order_by()
        .values(field)
        .annotate(
            eligible=Count("pk"),
            served=Count("pk", filter=served_q()),
            covered=Count("pk", filter=covered_q()),
        )
        .values_list(field, "eligible", "served", "covered")
    )
    return [Targets(*row) for row in rows]


def targets_total(cases: QuerySet[Case]) -> Targets:
    totals = wanting_work(cases).aggregate(
        eligible=Count("pk"),
        served=Count("pk", filter=served_q()),
        covered=Count("pk", filter=covered_q()),
    )
    return Targets(None, **totals)
