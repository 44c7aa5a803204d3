"""Records keep the date and county where they happened: a transfer moves the case, never its
past; stage changes are dated by what moved them and never before the previous one; help from
the assistance task is the same structured record as everywhere else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import (
    Assistance,
    Case,
    Outreach,
    Role,
    StageChange,
    Survey,
    Transfer,
)
from tests.factories import CaseFactory, region, staff
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services

TODAY = timezone.localdate
LAST_MONTH_END = TODAY().replace(day=1) - datetime.timedelta(days=1)
LAST_MONTH_START = LAST_MONTH_END.replace(day=1)
IN_LAST_MONTH = LAST_MONTH_START + datetime.timedelta(days=9)


def county_month_counts(county_name: str) -> dict:
    """What a county would count for last month, by an independent query per record: distinct
    laborers surveyed, reached by outreach and helped, and stage changes by target stage."""
    within = {"county__name": county_name}
    return {
        "surveyed": Survey.objects.filter(
            **within, surveyed_on__range=(LAST_MONTH_START, LAST_MONTH_END)
        ).values("case").distinct().count(),
        "outreach": Outreach.objects.filter(
            **within, on__range=(LAST_MONTH_START, LAST_MONTH_END)
        ).values("case").distinct().count(),
        "helped": Assistance.objects.filter(
            **within, on__range=(LAST_MONTH_START, LAST_MONTH_END)
        ).values("case").distinct().count(),
        "stage_changes": sorted(StageChange.objects.filter(
            **within, on__range=(LAST_MONTH_START, LAST_MONTH_END)
        ).values_list("to_stage", flat=True)),
    }  # fmt: skip


@pytest.fixture
def other_supervisor(db):
    return staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")


@pytest.fixture
def helped_last_month(login, caseworker, zicheng):
    """A 紫城镇 laborer identified, surveyed, reached and helped last month, through the pages."""
    case = CaseFactory(region=zicheng, name="钟上月", identified_on=LAST_MONTH_START)
    services.case_process_start(case=case)
    client = login(caseworker)
    client.post(
        task_url(open_task(case, "survey")),
        survey_form(case, surveyed_on=IN_LAST_MONTH.isoformat()),
    )
    client.post(reverse("casework:case_outreach", args=[case.pk]),
                {"on": IN_LAST_MONTH.isoformat(), "note": "宣讲政策"})  # fmt: skip
    help_given = {"measure": "training", "on": IN_LAST_MONTH.isoformat(), "note": "电工培训咨询"}
    client.post(task_url(open_task(case, "assistance")), help_given)
    return Case.objects.get(pk=case.pk)


def test_last_months_figures_stay_with_the_county_after_the_case_leaves(
    login, supervisor, other_supervisor, helped_last_month
):
    expected = {"surveyed": 1, "outreach": 1, "helped": 1,
                "stage_changes": ["assisted", "identified", "surveyed"]}  # fmt: skip
    assert county_month_counts("紫金县") == expected

    login(supervisor).post(
        reverse("workflows:case_transfer", args=[helped_last_month.pk]),
        {"to_county": region("龙川县").pk},
    )
    laolong = region("龙川县/老隆镇/水口村")
    login(other_supervisor).post(
        task_url(open_task(helped_last_month, "transfer_acceptance")),
        {"decision": "approve", "region": laolong.pk},
    )
    assert Case.objects.get(pk=helped_last_month.pk).county.name == "龙川县"
    assert county_month_counts("紫金县") == expected
    assert county_month_counts("龙川县") == {
        "surveyed": 0, "outreach": 0, "helped": 0, "stage_changes": [],
    }  # fmt: skip
    transfer = Transfer.objects.get(case=helped_last_month)
    assert (transfer.from_county.name, transfer.from_township.name, transfer.to_county.name,
            transfer.to_township.name, transfer.on, transfer.accepted_by) == (
        "紫金县", "紫城镇", "龙川县", "老隆镇", TODAY(), other_supervisor,
    )  # fmt: skip


def test_a_record_dated_before_the_transfer_counts_where_the_case_was_then(
    login, supervisor, other_supervisor, other_caseworker, helped_last_month
):
    login(supervisor).post(
        reverse("workflows:case_transfer", args=[helped_last_month.pk]),
        {"to_county": region("龙川县").pk},
    )
    login(other_supervisor).post(
        task_url(open_task(helped_last_month, "transfer_acceptance")),
        {"decision": "approve", "region": region("龙川县/老隆镇/水口村").pk},
    )
    # 龙川县's caseworker writes down, after the move, outreach done last month in 紫金县
    login(other_caseworker).post(
        reverse("casework:case_outreach", args=[helped_last_month.pk]),
        {"on": (IN_LAST_MONTH + datetime.timedelta(days=1)).isoformat(), "note": "补录"},
    )
    late = Outreach.objects.get(note="补录")
    assert (late.county.name, late.township.name) == ("紫金县", "紫城镇")
    login(other_caseworker).post(
        reverse("casework:case_outreach", args=[helped_last_month.pk]),
        {"on": TODAY().isoformat(), "note": "今天"},
    )
    assert Outreach.objects.get(note="今天").county.name == "龙川县"


def test_help_from_the_assistance_task_is_a_dated_structured_record(helped_last_month):
    help_given = Assistance.objects.get(case=helped_last_month)
    assert (help_given.measure, help_given.on, help_given.note) == (
        "training", IN_LAST_MONTH, "电工培训咨询",
    )  # fmt: skip
    assert (help_given.county.name, help_given.township.name) == ("紫金县", "紫城镇")
    assisted = helped_last_month.stage_changes.get(to_stage="assisted")
    assert assisted.on == IN_LAST_MONTH


def test_policy_outreach_from_the_assistance_task_is_an_outreach_record(
    login, caseworker, helped_last_month
):
    login(caseworker).post(
        task_url(open_task(helped_last_month, "assistance")),
        {"measure": "policy", "on": TODAY().isoformat(), "note": "上门宣讲"},
    )
    assert Outreach.objects.filter(case=helped_last_month, note="上门宣讲", on=TODAY()).exists()


def test_a_stage_change_cannot_be_dated_before_the_previous_one(login, caseworker, zicheng):
    case = CaseFactory(region=zicheng, identified_on=LAST_MONTH_START)
    services.case_process_start(case=case)
    client = login(caseworker)
    client.post(task_url(open_task(case, "survey")),
                survey_form(case, surveyed_on=IN_LAST_MONTH.isoformat()))  # fmt: skip
    earlier = (IN_LAST_MONTH - datetime.timedelta(days=3)).isoformat()
    response = client.post(
        task_url(open_task(case, "assistance")), {"measure": "referral", "on": earlier},
        follow=True,
    )  # fmt: skip
    messages = [str(message) for message in response.context["messages"]]
    assert any("早于个案上一次阶段变更" in message for message in messages), messages
    case = Case.objects.get(pk=case.pk)
    assert case.stage == "surveyed"
    assert not Assistance.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (lambda: TODAY() + datetime.timedelta(days=1), "是将来的日期"),
        (lambda: LAST_MONTH_START - datetime.timedelta(days=1), "早于个案识别日期"),
    ],
)
def test_a_record_dated_in_the_future_or_before_identification_is_refused(
    login, caseworker, helped_last_month, day, message
):
    before = Outreach.objects.count()
    response = login(caseworker).post(
        reverse("casework:case_outreach", args=[helped_last_month.pk]),
        {"on": day().isoformat(), "note": "x"}, follow=True,
    )  # fmt: skip
    assert any(message in str(m) for m in response.context["messages"])
    assert Outreach.objects.count() == before


def test_the_migration_backfills_transfers_from_the_transfer_processes(
    login, supervisor, other_supervisor, helped_last_month
):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("casework.migrations.0013_backfill_located_records")
    login(supervisor).post(
        reverse("workflows:case_transfer", args=[helped_last_month.pk]),
        {"to_county": region("龙川县").pk},
    )
    login(other_supervisor).post(
        task_url(open_task(helped_last_month, "transfer_acceptance")),
        {"decision": "approve", "region": region("龙川县/老隆镇").pk},
    )
    Transfer.objects.all().delete()  # as before the records existed
    backfill.backfill_transfers(apps)
    transfer = Transfer.objects.get(case=helped_last_month)
    assert (transfer.from_county.name, transfer.from_township.name, transfer.to_county.name,
            transfer.to_township.name, transfer.on, transfer.accepted_by) == (
        "紫金县", "紫城镇", "龙川县", "老隆镇", TODAY(), other_supervisor,
    )  # fmt: skip
