"""Every column of 附件1, running total and month, on the constructed October (conftest.py),
against answers worked out by hand from its story."""

import datetime

import pytest
from django.urls import reverse

from casework.models import PublicPost, Role
from reports import figures
from reports.periods import Month
from tests.factories import staff

from .conftest import at

OCTOBER = Month(2026, 10)

ZIJIN = {
    # 1a A B D G (C left the list, F merged) · month: B identified 10-01
    # 1b A B C D · month A (10-01, 10-31) B (10-05); F merged
    # 1c A (09-30) G (10-20) · month G
    # 3a two workshops · month one; 3b B (10-31); 4a 5+3 posts · month 3; 4b D (09-10)
    # 5a A (course from 10-01); 5b B's course starts 11-01: none
    # 6a B (employed 10-31), D (followed up; in Z on D) · month B
    # 6b D (10-20); B's follow-up is 11-02 · 7 D (10-25)
    "cumulative": {"1a": 4, "1b": 4, "1c": 2, "2": 0, "3a": 2, "3b": 1, "4a": 8, "4b": 1,
                   "5a": 1, "5b": 0, "6a": 2, "6b": 1, "7": 1},
    "month_only": {"1a": 1, "1b": 2, "1c": 1, "2": 0, "3a": 1, "3b": 1, "4a": 3, "4b": 0,
                   "5a": 1, "5b": 0, "6a": 1, "6b": 1, "7": 1},
}  # fmt: skip
LONGCHUAN = {
    # 1a E H (G belonged to Z on D, D to Z until 11-05) · month E
    # 1b E H · month E · 1c G's outreach of 10-10, made in L
    # 2 H (10-01, the month's first day) · 6a H; E's employment was undone
    "cumulative": {"1a": 2, "1b": 2, "1c": 1, "2": 1, "3a": 0, "3b": 0, "4a": 0, "4b": 0,
                   "5a": 0, "5b": 0, "6a": 1, "6b": 0, "7": 0},
    "month_only": {"1a": 1, "1b": 1, "1c": 1, "2": 1, "3a": 0, "3b": 0, "4a": 0, "4b": 0,
                   "5a": 0, "5b": 0, "6a": 1, "6b": 0, "7": 0},
}  # fmt: skip


def test_every_column_of_both_counties(october):
    with at(datetime.date(2026, 11, 10)):
        counted = figures.figures_by_county(OCTOBER)
    assert counted[october["zijin"].pk] == ZIJIN
    assert counted[october["longchuan"].pk] == LONGCHUAN


def test_september_counts_what_stood_then(october):
    # D was placed 09-10 in a post of 09-01; C, A (09-15), D, G (still in L), H identified
    counted = figures.figures_by_county(Month(2026, 9), [october["zijin"].pk])
    zijin = counted[october["zijin"].pk]
    assert (zijin["cumulative"]["1a"], zijin["month_only"]["1a"]) == (3, 2)  # C A D · A D
    assert (zijin["cumulative"]["4a"], zijin["month_only"]["4a"]) == (5, 5)
    assert (zijin["cumulative"]["6a"], zijin["month_only"]["6a"]) == (1, 1)  # D


def test_a_county_without_records_counts_zeros(october):
    heping = figures.figures_by_county(OCTOBER, [october["zijin"].pk, 999999])[999999]
    assert set(heping["cumulative"].values()) == {0} and set(heping["month_only"].values()) == {0}


@pytest.mark.parametrize("scope", figures.SCOPES)
def test_each_figures_ids_are_as_many_as_the_figure(october, scope):
    names = {case.pk: key for key, case in october["cases"].items()}
    expected = {
        "cumulative": {"1a": "ABDG", "1b": "ABCD", "1c": "AG", "3b": "B", "4b": "D", "5a": "A",
                       "6a": "BD", "6b": "D", "7": "D"},
        "month_only": {"1a": "B", "1b": "AB", "1c": "G", "3b": "B", "5a": "A", "6a": "B",
                       "6b": "D", "7": "D"},
    }[scope]  # fmt: skip
    for figure in figures.FIGURES:
        ids = figures.members(figure, scope, OCTOBER, october["zijin"].pk)
        if figure.lists == figures.CASES:
            assert "".join(sorted(names[pk] for pk in ids)) == expected.get(figure.key, "")
            assert len(ids) == ZIJIN[scope][figure.key], figure.key
        elif figure.weighted:  # 4a: the posts' number of posts adds up to the figure
            posts = PublicPost.objects.filter(pk__in=ids)
            assert sum(post.positions for post in posts) == ZIJIN[scope][figure.key]
        else:
            assert len(ids) == ZIJIN[scope][figure.key], figure.key


def test_every_figures_page_lists_as_many_as_it_says(october, client):
    """As city staff, who see every laborer: each list's length (4a: its sum of posts) is the
    figure, for both scopes."""
    city = staff("city", Role.CITY_STAFF, "河源市")
    with at(datetime.date(2026, 11, 10)):
        client.force_login(city)
        for scope in figures.SCOPES:
            for figure in figures.FIGURES:
                url = reverse("reports:members",
                              args=[october["zijin"].pk, "2026-10", scope, figure.key])  # fmt: skip
                context = client.get(url).context
                if figure.lists == figures.CASES:
                    listed = len(context["table"].data)
                elif figure.weighted:
                    listed = sum(post.positions for post in context["programmes"])
                else:
                    listed = len(context["programmes"])
                assert listed == context["value"] == ZIJIN[scope][figure.key], figure.key


def test_a_supervisor_is_told_of_counted_laborers_since_moved_away(october, client):
    """D was employed in 紫金县 on 31 October and moved to 龙川县 on 5 November: counted in
    紫金县's 6a, not listed to its supervisor, who is told one is left out."""
    with at(datetime.date(2026, 11, 10)):
        client.force_login(october["staff"]["sup_z"])
        url = reverse("reports:members", args=[october["zijin"].pk, "2026-10", "cumulative", "6a"])
        response = client.get(url)
    assert [case.person.name for case in response.context["table"].data] == ["B"]
    assert (response.context["value"], response.context["hidden"]) == (2, 1)
    assert "D" not in [cell.person.name for cell in response.context["table"].data]
