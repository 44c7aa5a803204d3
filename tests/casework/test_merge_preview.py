"""Before two cases merge, the supervisor sees both side by side (masked numbers, names,
places, stages, what each has), which one survives and what moves; only the preview's button
merges."""

import datetime

from django.urls import reverse

from casework.models import Case, Employment, Role, Survey
from tests.factories import CaseFactory, region, staff
from workflows import services as workflow

WRONG, RIGHT = "441621198507150029", "441621199002280519"


def two_cases(caseworker):
    wrong = CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟秀英", id_number=WRONG)
    right = CaseFactory(region=region("紫金县/龙窝镇/石坑村"), name="钟秀英", id_number=RIGHT)
    workflow.case_process_start(case=wrong)
    for day in (datetime.date(2026, 3, 1), datetime.date(2026, 6, 1)):
        Survey.objects.create(case=wrong, surveyed_on=day, surveyor=caseworker,
                              employment_status="farming")  # fmt: skip
    Employment.objects.create(
        case=right, started_on=datetime.date(2026, 3, 5), employer="宝山电子", form="employee",
        recorded_by=caseworker,
    )  # fmt: skip
    return wrong, right


def test_the_preview_shows_both_cases_and_changes_nothing(login, supervisor, caseworker):
    wrong, right = two_cases(caseworker)
    url = reverse("casework:case_correct_id", args=[wrong.pk])
    response = login(supervisor).post(url, {"id_number": RIGHT})
    assert response.status_code == 200
    page = response.content.decode()
    assert "441621********0029" in page and "441621********0519" in page
    assert WRONG not in page and RIGHT not in page  # not even the number typed
    assert "紫城镇" in page and "龙窝镇" in page
    assert f"#{wrong.pk}" in page and f"#{right.pk}" in page
    assert "<strong>保留</strong>：接收被更正个案的 2 条记录" in page
    assert f'name="merge_into" value="{right.pk}"' in page
    assert Case.objects.get(pk=wrong.pk).merged_into_id is None
    assert Survey.objects.filter(case=wrong).count() == 2

    merged = login(supervisor).post(url, {"merge_into": right.pk})
    assert merged.url == right.get_absolute_url()
    assert Case.objects.get(pk=wrong.pk).merged_into_id == right.pk
    assert Survey.objects.filter(case=right).count() == 2


def test_a_simple_correction_needs_no_preview(login, supervisor, caseworker):
    wrong, _right = two_cases(caseworker)
    response = login(supervisor).post(
        reverse("casework:case_correct_id", args=[wrong.pk]), {"id_number": "441621197912030018"}
    )
    assert response.url == wrong.get_absolute_url()
    assert Case.objects.get(pk=wrong.pk).person.id_number == "441621197912030018"


def test_the_merge_confirmation_is_refused_out_of_reach(login, supervisor, caseworker):
    wrong, right = two_cases(caseworker)
    url = reverse("casework:case_correct_id", args=[wrong.pk])
    elsewhere = CaseFactory(region=region("龙川县/老隆镇/水口村"), id_number="441622197803124513")
    assert login(supervisor).post(url, {"merge_into": elsewhere.pk}).status_code == 404
    assert login(supervisor).post(url, {"merge_into": "x1"}).status_code == 400
    other_supervisor = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    assert login(other_supervisor).post(url, {"merge_into": right.pk}).status_code == 404
    assert login(caseworker).post(url, {"merge_into": right.pk}).status_code == 403
    assert Case.objects.filter(merged_into__isnull=False).count() == 0
