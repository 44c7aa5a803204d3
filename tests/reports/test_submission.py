"""A county's report through its life, by the pages: submitted (frozen), returned with a
reason, corrected and resubmitted, accepted; lateness judged by the first submission, with
the deadline moved past the National Day holiday."""

import pytest
from django.urls import reverse

from casework.models import Case, Outreach, Reconciliation, Role
from casework.programmes import services as programmes
from notifications.models import Notification
from notifications.wording import notification_text
from reports.models import MonthlyReport, Submission
from tests.factories import staff

from .conftest import D, at
from .test_figures import ZIJIN

pytestmark = pytest.mark.django_db


def url(name, county, month="2026-10", *extra):
    return reverse(f"reports:{name}", args=[county.pk, month, *extra])


@pytest.fixture
def city(db):
    return staff("city", Role.CITY_STAFF, "河源市")


def test_submitting_freezes_figures_remarks_and_lists(october, client, city):
    zijin, sup_z, cw_z = october["zijin"], october["staff"]["sup_z"], october["staff"]["cw_z"]
    with at(D(2026, 11, 10)):
        client.force_login(sup_z)
        response = client.post(
            url("submit", zijin),
            {"remarks": "本月开展春风行动", "reconciliation": october["round"].pk},
        )
    assert response.status_code == 302
    report = MonthlyReport.objects.get(county=zijin, month=D(2026, 10, 1))
    (submission,) = report.submissions.all()
    assert (report.status, submission.submitted_by, submission.remarks) == (
        "submitted",
        sup_z,
        "本月开展春风行动",
    )
    assert submission.figures == ZIJIN
    with at(D(2026, 11, 10)):
        client.force_login(sup_z)
        before = client.get(url("members", zijin, "2026-10", "cumulative", "1c"))
    assert (before.context["value"], before.context["count"]) == (2, 2)

    # later changes to the records leave the submitted figures and their lists as they were
    with at(D(2026, 11, 11)):
        programmes.outreach_record(case=october["cases"]["B"], actor=cw_z, on=D(2026, 10, 15))
        client.force_login(sup_z)
        page = client.get(url("county", zijin))
        after = client.get(url("members", zijin, "2026-10", "cumulative", "1c"))
    assert Outreach.objects.filter(case=october["cases"]["B"]).count() == 1
    assert page.context["row"].figures["cumulative"]["1c"] == 2
    assert after.context["count"] == 2
    assert sorted(case.person.name for case in after.context["table"].data) == ["A", "G"]


def test_returned_corrected_resubmitted_accepted(october, client, city):
    zijin, sup_z, cw_z = october["zijin"], october["staff"]["sup_z"], october["staff"]["cw_z"]
    with at(D(2026, 11, 2)):
        client.force_login(sup_z)
        client.post(url("submit", zijin), {"remarks": "", "reconciliation": october["round"].pk})
        client.force_login(city)
        assert client.post(url("decide", zijin), {"return": "1", "reason": " "}).status_code == 400
        assert MonthlyReport.objects.get(county=zijin).status == "submitted"  # no reason, no return
        client.post(url("decide", zijin), {"return": "1", "reason": "政策宣传人数偏少，请核实"})
    report = MonthlyReport.objects.get(county=zijin)
    assert report.status == "returned"
    # the county records outreach it had forgotten, and submits again after the deadline
    with at(D(2026, 11, 6)):
        programmes.outreach_record(case=october["cases"]["B"], actor=cw_z, on=D(2026, 10, 15))
        client.force_login(sup_z)
        client.post(
            url("submit", zijin), {"remarks": "已补录", "reconciliation": october["round"].pk}
        )
        client.force_login(city)
        client.post(url("decide", zijin), {"accept": "1"})
    first, second = Submission.objects.filter(report=report).order_by("submitted_at")
    assert (first.decision, first.return_reason) == ("returned", "政策宣传人数偏少，请核实")
    assert (first.figures["cumulative"]["1c"], second.figures["cumulative"]["1c"]) == (2, 3)
    assert (second.decision, second.remarks) == ("accepted", "已补录")
    report.refresh_from_db()
    assert report.status == "accepted"
    # lateness is judged by the first submission (11-02, before the deadline of 11-03)
    with at(D(2026, 11, 10)):
        client.force_login(city)
        row = client.get(url("county", zijin)).context["row"]
    assert (row.deadline, row.late) == (D(2026, 11, 3), False)


def test_a_report_not_submitted_by_the_deadline_is_late(october, client, city):
    with at(D(2026, 11, 3), hour=23):
        client.force_login(city)
        rows = {
            row.county.name: row
            for row in client.get(reverse("reports:monthly") + "?month=2026-10").context["rows"]
        }
    assert rows["紫金县"].late is False
    with at(D(2026, 11, 4), hour=0):
        client.force_login(city)
        rows = {
            row.county.name: row
            for row in client.get(reverse("reports:monthly") + "?month=2026-10").context["rows"]
        }
    assert (rows["紫金县"].late, rows["紫金县"].status) == (True, "draft")


def test_septembers_deadline_moves_past_the_national_day_holiday(october, client):
    """The 3rd of October 2025 falls in the holiday (1–8 October): due on the 9th."""
    zijin, longchuan = october["zijin"], october["longchuan"]
    sup_z, sup_l = october["staff"]["sup_z"], october["staff"]["sup_l"]
    with at(D(2025, 10, 9), hour=23):
        client.force_login(sup_z)
        client.post(url("submit", zijin, "2025-09"), {"no_reconciliation_reason": "国庆假期"})
    with at(D(2025, 10, 10), hour=0):
        client.force_login(sup_l)
        client.post(url("submit", longchuan, "2025-09"), {"no_reconciliation_reason": "国庆假期"})
        late = client.get(url("county", longchuan, "2025-09")).context["row"]
        client.force_login(sup_z)
        on_time = client.get(url("county", zijin, "2025-09")).context["row"]
    assert (on_time.deadline, on_time.status, on_time.late) == (D(2025, 10, 9), "submitted", False)
    assert (late.status, late.late) == ("submitted", True)


def test_submission_needs_the_month_over_and_the_months_reconciliation(october, client):
    zijin, sup_z = october["zijin"], october["staff"]["sup_z"]
    client.cookies["django_language"] = "en"
    with at(D(2026, 10, 31), hour=22):
        client.force_login(sup_z)
        response = client.post(url("submit", zijin), {"reconciliation": october["round"].pk})
    assert "once the month is over" in response.content.decode()
    with at(D(2026, 11, 2)):
        client.force_login(sup_z)
        # 紫金县 held a round on 10-25: going without it is refused, what was typed comes back
        response = client.post(
            url("submit", zijin),
            {"remarks": "本月开展春风行动", "no_reconciliation_reason": "扶贫办人员外出"},
        )
        assert response.status_code == 400
        assert "choose it" in response.content.decode()
        assert response.context["submit_form"]["remarks"].value() == "本月开展春风行动"
        other = Reconciliation.objects.create(
            county=zijin, held_on=D(2026, 9, 30), recorded_by=sup_z
        )
        response = client.post(url("submit", zijin), {"reconciliation": other.pk})
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert not Submission.objects.exists()
        assert not MonthlyReport.objects.exists()  # a refused submission leaves no draft
        # the page offers the month's round first
        page = client.get(url("county", zijin))
        assert page.context["submit_form"]["reconciliation"].value() == october["round"].pk
        client.post(url("submit", zijin), {"reconciliation": october["round"].pk})
        response = client.post(url("submit", zijin), {"reconciliation": october["round"].pk})
        assert "already been submitted" in response.content.decode()
        # 龙川县 held none in October: it says why, or is refused
        client.force_login(october["staff"]["sup_l"])
        longchuan = october["longchuan"]
        response = client.post(url("submit", longchuan), {"no_reconciliation_reason": "  "})
        assert "or say why there was none" in response.content.decode()
        client.post(url("submit", longchuan), {"no_reconciliation_reason": "扶贫办人员外出"})
    zijins, longchuans = (Submission.objects.get(report__county=county)
                          for county in (zijin, october["longchuan"]))  # fmt: skip
    assert (zijins.reconciliation, zijins.no_reconciliation_reason) == (october["round"], "")
    assert (longchuans.reconciliation, longchuans.no_reconciliation_reason) == (
        None,
        "扶贫办人员外出",
    )


def test_who_may_read_submit_and_decide(october, client, city):
    zijin, staff_ = october["zijin"], october["staff"]
    with at(D(2026, 11, 2)):
        client.force_login(staff_["cw_z"])
        assert client.get(reverse("reports:monthly")).status_code == 403
        assert client.get(url("county", zijin)).status_code == 404
        client.force_login(staff_["sup_l"])
        assert client.get(url("county", zijin)).status_code == 404
        assert (
            client.post(url("submit", zijin), {"reconciliation": october["round"].pk}).status_code
            == 404
        )
        rows = client.get(reverse("reports:monthly")).context["rows"]
        assert [row.county.name for row in rows] == ["龙川县"]
        client.force_login(city)
        assert (
            client.post(url("submit", zijin), {"reconciliation": october["round"].pk}).status_code
            == 403
        )
        client.force_login(staff_["sup_z"])
        client.post(url("submit", zijin), {"reconciliation": october["round"].pk})
        assert client.post(url("decide", zijin), {"accept": "1"}).status_code == 403
        assert client.get(url("county", zijin, "2017-12")).status_code == 404
        assert client.get(url("members", zijin, "2026-10", "cumulative", "9z")).status_code == 404
    assert MonthlyReport.objects.get(county=zijin).status == "submitted"
    assert Case.objects.count() == 8


def test_submission_and_the_citys_answer_are_announced(
    october, client, city, django_capture_on_commit_callbacks
):
    zijin, sup_z = october["zijin"], october["staff"]["sup_z"]
    with at(D(2026, 11, 2)), django_capture_on_commit_callbacks(execute=True):
        client.force_login(sup_z)
        client.post(url("submit", zijin), {"reconciliation": october["round"].pk})
        client.force_login(city)
        client.post(url("decide", zijin), {"return": "1", "reason": "请补录政策宣传"})
    (to_city,) = Notification.objects.filter(recipient=city)
    (to_county,) = Notification.objects.filter(recipient=sup_z)
    assert notification_text(to_city, "en")[1] == (
        "紫金县 submitted its monthly report for 2026-10."
    )
    assert notification_text(to_county, "en")[1] == (
        "The city returned 紫金县's monthly report for 2026-10: 请补录政策宣传"
    )
    assert not Notification.objects.filter(recipient=october["staff"]["sup_l"]).exists()
