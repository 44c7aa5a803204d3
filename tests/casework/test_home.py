"""Home pages show each role what is urgent, and every count equals the list it links to."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import LeftListCandidate, Role, RosterImport
from tests.factories import CaseFactory, region, staff
from workflows import services
from workflows.models import CaseTask


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def case_due(place, due_in: int, owner=None, name=None):
    """A case whose survey task falls due `due_in` days from today (negative: overdue)."""
    case = CaseFactory(region=place, owner=owner, name=name or "测试")
    services.case_process_start(case=case)
    CaseTask.objects.filter(case=case).update(due_on=days(due_in))
    return case


@pytest.fixture
def county_at_work(caseworker, supervisor, city, zicheng):
    """紫金县: 钟 holds four surveys (two overdue, one due in three days, one in three weeks);
    two overdue surveys wait unclaimed, one in 紫城镇 and one in 龙窝镇. 龙川县 has one overdue."""
    shikeng = region("紫金县/龙窝镇/石坑村")
    for due_in, name in ((-5, "钟一"), (-1, "钟二"), (3, "钟三"), (20, "钟四")):
        case_due(zicheng, due_in, owner=caseworker, name=name)
    case_due(zicheng, -2, name="黄无人")
    case_due(shikeng, -9, name="李龙窝")
    case_due(region("龙川县/老隆镇/水口村"), -4, name="刘龙川")


def tiles(page: str) -> dict[str, tuple[int, str]]:
    """The home page's cards: data-testid -> (the number shown, the link)."""
    found = re.findall(
        r'<a class="tile[^"]*" href="([^"]+)" data-testid="([^"]+)"><strong>(\d+)</strong>', page
    )
    return {testid: (int(number), html.unescape(href)) for href, testid, number in found}


def listed(client, url: str) -> int:
    """How many rows the linked list says it holds."""
    context = client.get(url).context
    if "table" in context:
        return context["table"].paginator.count
    if "total" in context:  # the reassignment page
        return context["total"]
    return len(context["candidates"])  # the left list


def test_a_caseworker_sees_overdue_and_this_weeks_tasks_and_what_comes_next(
    login, caseworker, county_at_work
):
    client = login(caseworker)
    page = client.get(reverse("home")).content.decode()
    cards = tiles(page)
    assert cards["tile-overdue"][0] == 2
    assert cards["tile-week"][0] == 1
    assert cards["tile-open-tasks"][0] == 4
    assert cards["tile-queue"][0] == 1  # the unclaimed survey of 紫城镇
    assert cards["tile-my-cases"][0] == 4
    for number, url in cards.values():
        assert listed(client, url) == number, url
    next_tasks = page[page.index('data-testid="next-tasks"') :]
    assert [name for name in ("钟一", "钟二", "钟三", "钟四") if name in next_tasks] == [
        "钟一", "钟二", "钟三", "钟四"
    ]  # fmt: skip
    assert next_tasks.index("钟一") < next_tasks.index("钟二") < next_tasks.index("钟三")


def test_a_supervisor_sees_overdue_by_township_and_caseworker_unclaimed_and_the_left_list(
    login, supervisor, caseworker, county_at_work, zicheng
):
    roster = RosterImport.objects.create(
        actor=supervisor, file_name="紫金县名单.xlsx", sha256="0" * 64, county=zicheng.county,
        status="done", complete=True,
    )  # fmt: skip
    left = CaseFactory(region=zicheng, name="黄离开")
    LeftListCandidate.objects.create(case=left, roster_import=roster)
    client = login(supervisor)
    page = client.get(reverse("home")).content.decode()
    cards = tiles(page)
    assert cards["tile-overdue"][0] == 4
    assert cards["tile-unclaimed"][0] == 2
    assert cards["tile-left-list"][0] == 1
    assert cards["tile-open-cases"][0] == 7
    assert cards["tile-without-caseworker"][0] == 3
    for number, url in cards.values():
        assert listed(client, url) == number, url

    by_township = page[page.index('data-testid="overdue-by-township"') :]
    rows = re.findall(r"<td>([^<]+)</td>\s*<td class=\"num\"><a href=\"([^\"]+)\">(\d+)</a>",
                      by_township.split("</table>")[0])  # fmt: skip
    assert [(name, int(n)) for name, _, n in rows] == [("紫城镇", 3), ("龙窝镇", 1)]
    for _, url, n in rows:
        assert listed(client, html.unescape(url)) == int(n)

    by_owner = page[page.index('data-testid="overdue-by-owner"') :].split("</table>")[0]
    rows = re.findall(r"<td>([^<]+)</td>\s*<td class=\"num\"><a href=\"([^\"]+)\">(\d+)</a>",
                      by_owner)  # fmt: skip
    assert sorted((name, int(n)) for name, _, n in rows) == [("cw_zijin", 2), ("无人（未认领）", 2)]
    for _, url, n in rows:
        assert listed(client, html.unescape(url)) == int(n)


def test_city_staff_see_every_countys_overdue_share_and_open_cases(login, city, county_at_work):
    client = login(city)
    page = client.get(reverse("home")).content.decode()
    cards = tiles(page)
    assert cards["tile-overdue"][0] == 5
    assert cards["tile-open-cases"][0] == 7
    for number, url in cards.values():
        assert listed(client, url) == number, url
    table = page[page.index('data-testid="counties"') :].split("</table>")[0]
    rows = re.findall(
        r"<tr>\s*<td[^>]*>(\S+) .*?<a href=\"([^\"]+)\">(\d+)</a></td>\s*"
        r"<td[^>]*>(\d+)</td>\s*<td[^>]*><a href=\"([^\"]+)\">(\d+)</a></td>.*?(\d+)%</span>",
        table,
        re.S,
    )
    shown = {row[0]: (int(row[2]), int(row[3]), int(row[5]), int(row[6])) for row in rows}
    # county: open cases, open tasks, overdue, overdue share (%)
    assert shown["紫金县"] == (6, 6, 4, 67)
    assert shown["龙川县"] == (1, 1, 1, 100)
    assert shown["源城区"] == (0, 0, 0, 0)
    for county, cases_url, _, _, overdue_url, _, _ in rows:
        assert listed(client, html.unescape(cases_url)) == shown[county][0]
        assert listed(client, html.unescape(overdue_url)) == shown[county][2]


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "city", "administrator"])
def test_home_costs_the_same_queries_for_a_few_and_many_tasks(
    request, who, login, zicheng, django_assert_max_num_queries
):
    user = request.getfixturevalue(who)
    worker = (
        user if user.role == Role.CASEWORKER else staff("cw_home", Role.CASEWORKER, "紫金县/紫城镇")
    )
    shikeng = region("紫金县/龙窝镇/石坑村")
    for i in range(3):
        case_due(zicheng, i - 1, owner=worker)
    client = login(user)
    with django_assert_max_num_queries(LIMITS[who]):
        assert client.get(reverse("home")).status_code == 200
    for i in range(60):
        case_due(zicheng if i % 2 else shikeng, i % 9 - 4, owner=worker if i % 3 else None)
    with django_assert_max_num_queries(LIMITS[who]):
        assert client.get(reverse("home")).status_code == 200


# each includes the header bell's one count of unread notifications; the administrator's two
# more: the years of open deadlines, the calendar days entered for them. The dashboard
# (reports.dashboards) adds 5 for everyone — which parts of its summaries were taken, the
# targets grouped by region, the regions' names, the overdue series' past days and its current
# point (the tally) — and 2 for the readers of the monthly report: last month's and the month
# before's submitted figures, and their counts (the summary's rows, or one live UNION query).
# The same whether the summaries were taken or not (here they are not).
LIMITS = {"caseworker": 20, "supervisor": 20, "city": 19, "administrator": 21}
