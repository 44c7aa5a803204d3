"""The ranking written on the supervision page: overdue share ascending, then refined-service
rate descending (no rate after a rate), then county code."""

from casework.models import Region
from reports.targets import Targets
from supervision.selectors import Standing, ranked


def standing(code: str, n_open: int, n_overdue: int, eligible: int, served: int) -> Standing:
    return Standing(
        county=Region(code=code, name=code), latest=None, strikes=0, open_tasks=n_open,
        overdue_tasks=n_overdue, report=None, targets=Targets(None, eligible, served, 0),
    )  # fmt: skip


def test_overdue_share_first_then_service_rate_then_code():
    counties = [
        standing("A", 10, 2, 10, 10),  # 20% overdue
        standing("B", 10, 1, 10, 5),  # 10%, 50% served
        standing("C", 20, 2, 10, 9),  # 10%, 90% served
        standing("D", 0, 0, 0, 0),  # no open task: 0%, nobody to serve
        standing("E", 5, 0, 4, 1),  # 0%, 25% served
        standing("F", 10, 1, 0, 0),  # 10%, nobody to serve
        standing("G", 30, 3, 10, 5),  # 10%, 50% served: after B by code
    ]
    order = ranked(counties)
    assert [s.county.code for s in order] == ["E", "D", "C", "B", "G", "F", "A"]
    assert [s.rank for s in order] == [1, 2, 3, 4, 5, 6, 7]
