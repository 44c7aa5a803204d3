"""Measure the monthly report's figures (附件1) for every county over 100,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/monthly_figures.py [--cases 100000] [--again]

The database named in DATABASE_URL is emptied and filled; use one made for the purpose.
--again keeps the data of an earlier run. The SQL computation (reports.figures, every county
at once) is timed beside a Python loop over the same records, the baseline; both must agree.
Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.workflow_start import villages  # noqa: E402  (the same regions as that bench)
from casework.idnumber import make_id_number  # noqa: E402
from casework.models import (  # noqa: E402
    Case,
    Confirmation,
    Course,
    Enrolment,
    FollowUp,
    Outreach,
    Person,
    Placement,
    PublicPost,
    Reconciliation,
    Role,
    StageChange,
    Survey,
    Transfer,
    User,
    Workshop,
)
from casework.services import staff_assign  # noqa: E402
from reports import figures  # noqa: E402
from reports.periods import Month  # noqa: E402

MONTH = Month(2026, 10)
FIRST_DAY = datetime.date(2025, 1, 1)
SPAN = (MONTH.last - FIRST_DAY).days


def day(rng, after=None):
    start = after or FIRST_DAY
    return start + datetime.timedelta(days=rng.randrange(max(1, (MONTH.last - start).days + 1)))


def setup(args):
    call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    importlib = __import__("importlib")
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(django.apps.apps, None)
    regions = villages()
    user = User.objects.create_user("bench_sup", password="bench-password-1")
    staff_assign(user=user, role=Role.ADMIN, regions=[regions[0].county.parent])
    rng = random.Random(2018)
    counties = sorted({r.county_id for r in regions})
    townships = {c: next(r.parent_id for r in regions if r.county_id == c) for c in counties}
    programmes = {}
    for county in counties:
        programmes[county] = {
            "workshop": Workshop.objects.bulk_create(
                [
                    Workshop(
                        county_id=county,
                        name=f"车间{i}",
                        township_id=townships[county],
                        enterprise="企业",
                        founded_on=day(rng),
                        created_by=user,
                    )
                    for i in range(50)
                ]
            ),  # fmt: skip
            "public_post": PublicPost.objects.bulk_create(
                [
                    PublicPost(
                        county_id=county,
                        name=f"岗位{i}",
                        post_type="cleaning",
                        positions=rng.randrange(1, 20),
                        employer="镇政府",
                        starts_on=day(rng),
                        created_by=user,
                    )
                    for i in range(50)
                ]
            ),  # fmt: skip
            "course": Course.objects.bulk_create(
                [
                    Course(
                        county_id=county,
                        name=f"培训{i}",
                        kind=rng.choice(("skill", "startup")),
                        provider="技校",
                        starts_on=day(rng),
                        ends_on=MONTH.last,
                        created_by=user,
                    )
                    for i in range(20)
                ]
            ),  # fmt: skip
            "round": Reconciliation.objects.create(
                county_id=county, held_on=day(rng), recorded_by=user
            ),  # fmt: skip
        }
    for start in range(0, args.cases, 10_000):
        make_batch(rng, start, min(10_000, args.cases - start), regions, counties, townships,
                   programmes, user)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def make_batch(rng, start, n, regions, counties, townships, programmes, user):
    people = []
    for i in range(start, start + n):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 15000)
        place = regions[i % len(regions)].county.code
        people.append(Person(id_number=make_id_number(place, born, i // 15000 % 999 + 1),
                             name=f"测试{i}", sex="M", birth_date=born))  # fmt: skip
    people = Person.objects.bulk_create(people, batch_size=5000)
    cases = Case.objects.bulk_create([
        Case(person=person, region=regions[i % len(regions)],
             township_id=regions[i % len(regions)].parent_id,
             county_id=regions[i % len(regions)].county_id, identified_on=day(rng),
             left_list_on=None if rng.random() > 0.03 else MONTH.last - datetime.timedelta(days=40))
        for i, person in enumerate(people, start)
    ], batch_size=5000)  # fmt: skip
    rows = defaultdict(list)
    for case in cases:
        here = {"county_id": case.county_id, "township_id": case.township_id}
        on = case.identified_on
        changes = [StageChange(case=case, from_stage="", to_stage="identified",
                               transition="identify", on=on, **here)]  # fmt: skip
        if rng.random() < 0.8:
            on = day(rng, on)
            rows["survey"].append(Survey(case=case, surveyed_on=on, surveyor=user,
                                         employment_status="farming", **here))  # fmt: skip
            changes.append(StageChange(case=case, from_stage="identified", to_stage="surveyed",
                                       transition="survey", on=on, **here))  # fmt: skip
            if rng.random() < 0.2:
                rows["survey"].append(Survey(case=case, surveyed_on=day(rng, on), surveyor=user,
                                             employment_status="farming", is_resurvey=True,
                                             **here))  # fmt: skip
            if rng.random() < 0.5:
                rows["outreach"].append(
                    Outreach(case=case, on=day(rng, on), recorded_by=user, **here)
                )
            if rng.random() < 0.1:
                course = rng.choice(programmes[case.county_id]["course"])
                rows["enrolment"].append(Enrolment(case=case, course=course,
                                                   enrolled_on=day(rng, on),
                                                   recorded_by=user, **here))  # fmt: skip
            if rng.random() < 0.3:
                on = day(rng, on)
                kind = rng.choice(("event", "workshop", "public_post"))
                target = {
                    "workshop": rng.choice(programmes[case.county_id]["workshop"]),
                    "public_post": rng.choice(programmes[case.county_id]["public_post"]),
                }
                rows["placement"].append(Placement(
                    case=case, kind=kind, placed_on=on, recorded_by=user, employer="厂",
                    workshop=target["workshop"] if kind == "workshop" else None,
                    public_post=target["public_post"] if kind == "public_post" else None,
                    **here))  # fmt: skip
                changes.append(StageChange(case=case, from_stage="surveyed", to_stage="employed",
                                           transition="place", on=on, **here))  # fmt: skip
                if rng.random() < 0.5:
                    on = day(rng, on)
                    rows["follow_up"].append(FollowUp(case=case, followed_up_on=on,
                                                      status="still_working", recorded_by=user,
                                                      **here))  # fmt: skip
                    changes.append(StageChange(case=case, from_stage="employed",
                                               to_stage="followed_up", transition="follow_up",
                                               on=on, **here))  # fmt: skip
                if rng.random() < 0.3:
                    rows["confirmation"].append(Confirmation(
                        reconciliation=programmes[case.county_id]["round"], case=case,
                        confirmed_on=day(rng, on), confirmed_by=user, **here))  # fmt: skip
        rows["change"].extend(changes)
        rows["stage:" + changes[-1].to_stage].append(case.pk)
        if rng.random() < 0.01:  # moved in from another county on a day after identification
            other = rng.choice([c for c in counties if c != case.county_id])
            rows["transfer"].append(Transfer(
                case=case, on=day(rng, case.identified_on), from_county_id=other,
                from_township_id=townships[other], to_county_id=case.county_id,
                to_township_id=case.township_id))  # fmt: skip
    for stage in ("surveyed", "employed", "followed_up"):
        Case.objects.filter(pk__in=rows["stage:" + stage]).update(stage=stage)
    for model, key in ((Survey, "survey"), (Outreach, "outreach"), (Enrolment, "enrolment"),
                       (Placement, "placement"), (FollowUp, "follow_up"),
                       (Confirmation, "confirmation"), (StageChange, "change"),
                       (Transfer, "transfer")):  # fmt: skip
        model.objects.bulk_create(rows[key], batch_size=5000, ignore_conflicts=model is Enrolment)


def python_loop(month: Month) -> dict:
    """The baseline: every record read into Python and counted in loops, case by case."""
    first, last = month.first, month.last
    out = defaultdict(lambda: {s: defaultdict(set) for s in figures.SCOPES})
    transfers = defaultdict(list)
    for case_id, on, from_county in Transfer.objects.order_by("on", "pk").values_list(
        "case_id", "on", "from_county_id"
    ):  # fmt: skip
        transfers[case_id].append((on, from_county))

    def county_on(case_id, county, on):
        for moved, from_county in transfers[case_id]:
            if moved > on:
                return from_county
        return county

    def put(county, key, member, on):
        if on <= last:
            out[county]["cumulative"][key].add(member)
            if on >= first:
                out[county]["month_only"][key].add(member)

    cases = {}
    for pk, county, identified, left in Case.objects.filter(merged_into=None).values_list(
        "pk", "county_id", "identified_on", "left_list_on"
    ):  # fmt: skip
        cases[pk] = county
        if identified <= last and not (left and left <= last):
            out[county_on(pk, county, last)]["cumulative"]["1a"].add(pk)
        if first <= identified <= last:
            out[county_on(pk, county, identified)]["month_only"]["1a"].add(pk)
    for key, queryset, day_field in (
        ("1b", Survey.objects.all(), "surveyed_on"), ("1c", Outreach.objects.all(), "on"),
        ("2", Placement.objects.filter(kind="event"), "placed_on"),
        ("3b", Placement.objects.filter(kind="workshop"), "placed_on"),
        ("4b", Placement.objects.filter(kind="public_post"), "placed_on"),
        ("5a", Enrolment.objects.filter(course__kind="skill"), "course__starts_on"),
        ("5b", Enrolment.objects.filter(course__kind="startup"), "course__starts_on"),
        ("6b", FollowUp.objects.all(), "followed_up_on"),
        ("7", Confirmation.objects.all(), "confirmed_on"),
    ):  # fmt: skip
        for case_id, county, on in queryset.values_list("case_id", "county_id", day_field):
            if case_id in cases:
                put(county, key, case_id, on)
    for pk, county, on in Workshop.objects.values_list("pk", "county_id", "founded_on"):
        put(county, "3a", pk, on)
    posts = defaultdict(lambda: {"cumulative": 0, "month_only": 0})
    for county, on, positions in PublicPost.objects.values_list(
        "county_id", "starts_on", "positions"
    ):
        if on <= last:
            posts[county]["cumulative"] += positions
            posts[county]["month_only"] += positions if on >= first else 0
    stage_on_last, last_change = {}, {}
    for case_id, county, to_stage, on in (
        StageChange.objects.standing().order_by("case_id", "on", "at", "pk")
        .values_list("case_id", "county_id", "to_stage", "on")
    ):  # fmt: skip
        if on <= last:
            stage_on_last[case_id] = to_stage
        if to_stage == "employed" and first <= on <= last and case_id in cases:
            out[county]["month_only"]["6a"].add(case_id)
        last_change[case_id] = on
    for case_id, stage in stage_on_last.items():
        if stage in ("employed", "followed_up") and case_id in cases:
            out[county_on(case_id, cases[case_id], last)]["cumulative"]["6a"].add(case_id)
    result = {}
    for county in set(out) | set(posts):
        result[county] = {
            scope: {key: len(out[county][scope][key]) for key in figures.KEYS}
            for scope in figures.SCOPES
        }
        for scope in figures.SCOPES:
            result[county][scope]["4a"] = posts[county][scope]
    return result


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--again", action="store_true")
    args = parser.parse_args()
    if not args.again:
        setup(args)
    counts = {model.__name__: model.objects.count() for model in (
        Case, StageChange, Survey, Outreach, Placement, Enrolment, FollowUp, Confirmation,
        Transfer)}  # fmt: skip
    print(", ".join(f"{name} {n:,}" for name, n in counts.items()), file=sys.stderr)
    counties = sorted(Case.objects.values_list("county_id", flat=True).distinct())
    sql, sql_seconds = timed(lambda: figures.figures_by_county(MONTH), 5)
    loop, loop_seconds = timed(lambda: python_loop(MONTH), 3)
    for county in counties:
        assert sql[county] == loop[county], (county, sql[county], loop[county])
    one, one_seconds = timed(lambda: figures.figures_by_county(MONTH, [counties[0]]), 5)
    print(f"| computation ({counts['Case']:,} cases, {len(counties)} counties, {MONTH}) | "
          "median seconds |")  # fmt: skip
    print("|---|---:|")
    print(
        "| every county's figures in SQL (`reports.figures.figures_by_county`) | "
        f"{sql_seconds:.2f} |"
    )
    print(f"| one county's figures in SQL | {one_seconds:.2f} |")
    print(f"| baseline: the same figures by a Python loop over the records | {loop_seconds:.2f} |")


if __name__ == "__main__":
    main()
