"""The needs list: who is not in work yet, with their wishes, by region; totals by trade."""

import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CaseFactory, region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services


def surveyed(client, village, **answers):
    case = CaseFactory(region=village)
    services.case_process_start(case=case)
    response = client.post(task_url(open_task(case, "survey")), survey_form(case, **answers))
    assert response.status_code == 302, response.context["form"].errors
    return case


COOK = {"training_wish": "yes", "training_kind": "skill", "training_trade": "cook"}
WELDER = {"training_wish": "yes", "training_kind": "skill", "training_trade": "welder"}


def trade_rows(client, **params) -> list[list[str]]:
    """The needs page's trade totals, row by row, as shown ([]: none, so no table)."""
    page = client.get(reverse("needs"), params).content.decode()
    if 'data-testid="trade-totals"' not in page:
        return []
    matrix = page[page.index('data-testid="trade-totals"') :]
    matrix = matrix[: matrix.index("</table>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", matrix, re.S)
    ]


def test_laborers_wanting_training_appear_under_their_trade(login, caseworker, zicheng):
    client = login(caseworker)
    cook = surveyed(client, zicheng, **COOK)
    welder = surveyed(client, region("紫金县/紫城镇/上围村"), training_wish="yes",
                      training_kind="skill", training_trade="welder")  # fmt: skip
    surveyed(client, zicheng, employment_status="local", **{
        "location_class": "in_county", "employment_form": "employee", "income_band": "2000-3000",
    })  # fmt: skip
    response = client.get(reverse("needs"))
    listed = {case.pk for case in response.context["table"].data}
    assert listed == {cook.pk, welder.pk}  # the one in work is not on the list
    totals = response.content.decode()
    totals = totals[totals.index('data-testid="trade-totals"') :]
    assert "中式烹调师" in totals and "焊工" in totals
    only_cooks = client.get(reverse("needs"), {"training_trade": "cook"})
    assert [case.pk for case in only_cooks.context["table"].data] == [cook.pk]


def test_the_needs_list_exports_to_xlsx(login, caseworker, zicheng):
    client = login(caseworker)
    surveyed(client, zicheng, **COOK)
    response = client.get(reverse("needs"), {"_export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "中式烹调师" in rows[1]
    assert not any(cell and len(str(cell)) == 18 and str(cell).isdigit() for cell in rows[1])


def test_the_needs_list_is_scoped_and_its_queries_do_not_grow(
    login, caseworker, supervisor, zicheng
):
    client = login(caseworker)
    surveyed(client, zicheng, **COOK)
    from casework.models import Role
    from tests.factories import staff

    other = login(staff("cw_laolong", Role.CASEWORKER, "龙川县/老隆镇"))
    assert other.get(reverse("needs")).context["table"].paginator.count == 0
    boss = login(supervisor)
    with CaptureQueriesContext(connection) as few:
        boss.get(reverse("needs"))
    client = login(caseworker)
    for _ in range(12):
        surveyed(client, zicheng, **COOK)
    boss = login(supervisor)
    with CaptureQueriesContext(connection) as many:
        boss.get(reverse("needs"))
    assert len(few) == len(many)


def test_the_trade_matrix_has_row_column_and_grand_totals(login, caseworker, supervisor, zicheng):
    from casework.models import Role
    from tests.factories import staff

    welder = {"training_wish": "yes", "training_kind": "skill", "training_trade": "welder"}
    client = login(caseworker)
    surveyed(client, zicheng, **COOK)
    surveyed(client, zicheng, **COOK)
    surveyed(client, zicheng, **welder)
    surveyed(client, region("紫金县/紫城镇/上围村"), **welder)
    surveyed(client, zicheng)  # wants no training: not counted
    client = login(staff("cw_longwo", Role.CASEWORKER, "紫金县/龙窝镇"))
    surveyed(client, region("紫金县/龙窝镇/石坑村"), **COOK)

    rows = trade_rows(login(supervisor))
    assert rows == [
        ["乡镇（街道）", "中式烹调师", "焊工", "合计"],
        ["紫城镇", "2", "2", "4"],
        ["龙窝镇", "1", "", "1"],
        ["合计", "3", "2", "5"],
    ]


def test_the_trade_totals_come_from_the_summary_and_follow_every_change(
    login, caseworker, supervisor, zicheng
):
    """Filtered by place alone, the totals are the summary's (casework.tallies.NEEDS); with any
    other filter they are counted over the rows. `training_kind=skill` keeps exactly the rows
    the totals count, so the two must agree at every step."""
    from casework import services as registry
    from casework.models import Case, Stage

    client = login(caseworker)
    cook = surveyed(client, zicheng, **COOK)
    welder = surveyed(client, zicheng, **WELDER)
    boss = login(supervisor)
    header = ["乡镇（街道）", "中式烹调师", "焊工", "合计"]
    both = [header, ["紫城镇", "1", "1", "2"], ["合计", "1", "1", "2"]]
    assert trade_rows(boss) == both
    assert trade_rows(boss, training_kind="skill") == both
    longwo = region("紫金县/龙窝镇")
    assert trade_rows(boss, township=longwo.pk) == []
    # the welder found work: no longer counted (a bulk update, as the triggers see it too)
    Case.objects.filter(pk=welder.pk).update(stage=Stage.EMPLOYED)
    cook_only = [["乡镇（街道）", "中式烹调师", "合计"], ["紫城镇", "1", "1"], ["合计", "1", "1"]]
    assert trade_rows(boss) == cook_only
    assert trade_rows(boss, training_kind="skill") == cook_only
    # a load that bypassed the services: the repair copies the wishes back
    Case.objects.update(trade_wish=None)
    assert trade_rows(boss) == []
    assert registry.case_trade_wish_refresh() == 2  # the cook's and the (employed) welder's
    assert registry.case_trade_wish_refresh() == 0
    assert trade_rows(boss) == cook_only
    assert Case.objects.get(pk=cook.pk).trade_wish == "cook"
