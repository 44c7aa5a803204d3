"""The two 100% targets on the constructed October (conftest.py), worked out by hand.

Want work (not closed, not merged, latest survey not ruling work out, or no survey yet):
紫金县 A B C G (C left the list but is not closed; G has no survey), 龙川县 D E H (D moved
there). Served (a survey and a service record): A (outreach, course), B (course, placement,
follow-up), D (placement, follow-up), H (event
placement); not C (no service), G (outreach but no survey), E (its work was undone: an
employment is no service record). Covered (a policy benefit): A, given one here.
"""

import datetime
from decimal import Decimal

from casework import recording
from casework.models import Case
from casework.programmes import services as programmes
from reports.targets import targets_by, targets_total

from .conftest import at


def test_both_targets_by_county_and_township(october):
    with at(datetime.date(2026, 11, 12)):
        programmes.benefit_record(case=october["cases"]["A"], actor=october["staff"]["cw_z"],
                                  kind="transport", on=datetime.date(2026, 11, 12),
                                  amount=Decimal("200"))  # fmt: skip
    by_county = {row.region_id: row for row in targets_by(Case.objects.all(), "county")}
    zijin, longchuan = by_county[october["zijin"].pk], by_county[october["longchuan"].pk]
    assert (zijin.eligible, zijin.served, zijin.covered) == (4, 2, 1)
    assert (zijin.service_rate, zijin.coverage_rate) == (50.0, 25.0)
    assert (longchuan.eligible, longchuan.served, longchuan.covered) == (3, 2, 0)
    assert (longchuan.service_rate, longchuan.coverage_rate) == (66.7, 0.0)
    by_township = {row.region_id: row for row in targets_by(Case.objects.all(), "township")}
    assert sorted((row.eligible, row.served) for row in by_township.values()) == [(3, 2), (4, 2)]
    total = targets_total(Case.objects.all())
    assert (total.eligible, total.served, total.covered) == (7, 4, 1)


def test_a_survey_ruling_work_out_leaves_the_laborer_out(october):
    with at(datetime.date(2026, 11, 12)):
        recording.survey_submit(
            case=october["cases"]["C"], actor=october["staff"]["cw_z"],
            surveyed_on=datetime.date(2026, 11, 12), employment_status="farming",
            resurvey=True, answers={"reasons": ["skills", "farming_only"]},
        )  # fmt: skip
    (zijin,) = targets_by(Case.objects.filter(county=october["zijin"]), "county")
    assert (zijin.eligible, zijin.served) == (3, 2)  # A B G
