"""A province-scale data set (issue 16): build it by COPY, keep it as a pg_dump, restore it.

    .venv/bin/python bench/province.py build --cases 100000 \\
        --db postgres://postgres@127.0.0.1:5432/casework_province_100k
    .venv/bin/python bench/province.py dump --db …/casework_province_100k   # → /work/bench-data/
    .venv/bin/python bench/province.py restore --db …/casework_province_100k [--file F]
    .venv/bin/python bench/province.py refresh --db …   # a dump older than the code: migrate,
                                                        # then derived_columns_refresh
    .venv/bin/python bench/province.py check --db …     # the app's pages work on the set

`build` empties the database (drop + create + migrate) and writes 河源市's seven counties with
ten townships each, fifteen villages per township, three caseworkers per township (five villages
each), a supervisor per county, city staff and an administrator (password `bench-password-1`;
logins `cw_<township code>_<n>`, `sup_<county code>`, `city`, `admin`), programmes per county,
then N cases in a mix of stages with everything their real workflow leaves behind: the laborer
(valid 18-digit ID number of the county's place code, phone, encrypted at rest with the
project's own casework.crypto, lookup hashes included), the case, viewflow processes and tasks
as the flows write them (finished start, survey, gateway, help, work and timer tasks; open ones
NEW in the queue or ASSIGNED, some overdue; closing processes), each human task's CaseTask,
stage changes, task events, surveys with their answers, help, outreach, benefits, enrolments,
employments, placements, follow-ups, reconciliation confirmations and change records.

Rows are written with COPY, in chunks of cases. Each table's columns come from the model's
concrete fields: a column the builder does not set takes the field's default (or its
db_default, left to the database), so that a new column with a default does not break the
build. `derived_columns_refresh` at the end is the one place for denormalised columns and
summaries that must be computed from the rows (the lead's sort keys, counters).
"""

import argparse
import datetime
import json
import logging
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_TESTING", "1")  # no HTTPS redirect for the test client
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

TODAY = datetime.date.today()
DUMP_DIR = Path(os.environ.get("PROVINCE_DUMP_DIR", "/work/bench-data"))
PASSWORD = "bench-password-1"
TOWNSHIPS_PER_COUNTY = 10
VILLAGES_PER_TOWNSHIP = 15
CASEWORKERS_PER_TOWNSHIP = 3
CHUNK = 20_000  # cases per round of COPYs


def _database_from_argv():
    """Point Django at --db before it is set up (DATABASE_URL is read by the settings)."""
    for position, argument in enumerate(sys.argv):
        if argument == "--db" and position + 1 < len(sys.argv):
            os.environ["DATABASE_URL"] = sys.argv[position + 1]
        elif argument.startswith("--db="):
            os.environ["DATABASE_URL"] = argument.split("=", 1)[1]


_database_from_argv()

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import NOT_PROVIDED  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.models import Process, Task  # noqa: E402

from casework import crypto  # noqa: E402
from casework.demo.seed import (  # noqa: E402
    DEMO_OVERDUE_SHARE,
    EMPLOYERS,
    GIVEN,
    MEASURES,
    POSTS,
    SURNAMES,
    _person_fields,
    demo_answers,
)
from casework.idnumber import make_id_number  # noqa: E402
from casework.models import (  # noqa: E402
    Assistance,
    Benefit,
    Case,
    CaseEvent,
    ChangeRecord,
    CloseReason,
    Confirmation,
    Course,
    Employment,
    Enrolment,
    FollowUp,
    Outreach,
    Person,
    Placement,
    PublicPost,
    Reconciliation,
    RecruitmentEvent,
    Region,
    Role,
    Stage,
    StageChange,
    Survey,
    User,
    Vacancy,
    Workshop,
)
from casework.services import (  # noqa: E402
    case_sort_keys_refresh,
    case_trade_wish_refresh,
    staff_assign,
)
from casework.survey import wants_work  # noqa: E402
from reports.snapshots import dashboards_refresh  # noqa: E402
from workflows import flows  # noqa: E402
from workflows.deadlines import WorkCalendar  # noqa: E402
from workflows.models import WORK, CaseTask, TaskKind  # noqa: E402
from workflows.tallies import tallies_rebuild  # noqa: E402

# the share of each stage among the cases (a county office a few years into the programme)
STAGE_WEIGHTS = [
    (Stage.IDENTIFIED, 14),
    (Stage.SURVEYED, 12),
    (Stage.ASSISTED, 22),
    (Stage.EMPLOYED, 18),
    (Stage.FOLLOWED_UP, 24),
    (Stage.CLOSED, 10),
]
TOWNSHIP_SYLLABLES = "东西南北上下新龙凤黄石水田河岭山坪塘坑口湖沙洞岗溪桥林"
VILLAGE_SUFFIXES = ["村", "村", "村", "村", "社区"]
STAGES, STAGE_SHARES = zip(*STAGE_WEIGHTS, strict=True)
CLOSE_REASONS = list(CloseReason.values)


# --- COPY ------------------------------------------------------------------------------------


def _text(value) -> str:
    """A value in COPY's text format."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is not str:
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime.date):  # datetimes too
            return value.isoformat()
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        elif hasattr(value, "obj"):  # psycopg's Json/Jsonb wrapper of a JSONField default
            value = json.dumps(value.obj, ensure_ascii=False)
        value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))  # fmt: skip
    return value


class Table:
    """Rows of one model for COPY: the columns the builder sets, in order, then every other
    concrete column at its field default (columns with a db_default are left to the database).
    A column with neither a value nor a default nor NULL allowed stops the build, by name."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.name = model._meta.db_table
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise KeyError(f"{model.__name__} has no column {sorted(unknown)}")
        self.columns = [fields[name].column for name in columns]
        constants = []
        now = timezone.now()
        for name, field in fields.items():
            if name in columns:
                continue
            if field.db_default is not NOT_PROVIDED:
                continue
            if field.has_default():
                value = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.null:
                value = None
            elif field.blank and field.empty_strings_allowed:
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{name} has no default: province.py must set it")
            if value is not None:
                value = field.get_db_prep_save(value, connection)
            self.columns.append(field.column)
            constants.append(_text(value))
        self.tail = "\t" + "\t".join(constants) if constants else ""
        self.lines: list[str] = []
        self.written = 0

    def add(self, *values):
        self.lines.append("\t".join(map(_text, values)) + self.tail + "\n")

    def flush(self, cursor):
        if not self.lines:
            return
        columns = ", ".join(f'"{column}"' for column in self.columns)
        with cursor.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy:
            for start in range(0, len(self.lines), 5000):
                copy.write("".join(self.lines[start : start + 5000]))
        self.written += len(self.lines)
        self.lines = []


class Ids:
    """The primary keys a worker assigns (COPY writes them): worker `offset` of `stride` takes
    every stride-th key of each table from the table's first free key."""

    def __init__(self, bases: dict[str, int], stride: int = 1, offset: int = 0):
        self.bases, self.stride, self.offset = bases, stride, offset
        self.taken = defaultdict(int)

    @staticmethod
    def bases_of(models) -> dict[str, int]:
        bases = {}
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
                bases[table] = cursor.fetchone()[0]
        return bases

    def take(self, model) -> int:
        table = model._meta.db_table
        n = self.taken[table]
        self.taken[table] = n + 1
        return self.bases[table] + n * self.stride + self.offset

    @staticmethod
    def sync_sequences(models):
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
                )


# --- the province ----------------------------------------------------------------------------


def _place_names(rng, count, suffixes, used):
    names = []
    while len(names) < count:
        name = "".join(rng.sample(TOWNSHIP_SYLLABLES, 2)) + rng.choice(suffixes)
        if name not in used:
            used.add(name)
            names.append(name)
    return names


def province_regions(rng) -> list[Region]:
    """Townships and villages under each of the city's counties (codes as the statistics
    office numbers them: county + 3 digits, township + 3 digits); returns the villages."""
    villages = []
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    for county in counties:
        used = set()
        for t, township_name in enumerate(
            _place_names(rng, TOWNSHIPS_PER_COUNTY, ["镇", "镇", "镇", "街道"], used)
        ):
            township = Region.objects.create(
                parent=county, name=township_name, level=Region.Level.TOWNSHIP,
                code=f"{county.code}{t + 1:03d}",
            )  # fmt: skip
            for v, village_name in enumerate(
                _place_names(rng, VILLAGES_PER_TOWNSHIP, VILLAGE_SUFFIXES, set())
            ):
                villages.append(Region(
                    parent=township, name=village_name, level=Region.Level.VILLAGE,
                    code=f"{township.code}{v + 1:03d}", county_id=county.pk,
                ))  # fmt: skip
    return Region.objects.bulk_create(villages)


def province_staff(villages: list[Region]) -> dict:
    """City staff, an administrator, a supervisor per county, three caseworkers per township
    (five villages each); each village's default caseworker is its caseworker, except in every
    fourth township, whose new cases wait in the queue."""
    password = make_password(PASSWORD)
    city = Region.objects.get(level=Region.Level.CITY)

    def user(username, full_name):
        return User.objects.create(username=username, first_name=full_name, password=password)

    staff = {"admin": user("admin", "系统管理员"), "city": user("city", "李敏"),
             "supervisor": {}, "caseworker": {}}  # fmt: skip
    staff_assign(user=staff["admin"], role=Role.ADMIN, regions=[city])
    staff_assign(user=staff["city"], role=Role.CITY_STAFF, regions=[city])
    rng = random.Random(7)
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        supervisor = user(f"sup_{county.code}", rng.choice(SURNAMES) + rng.choice(GIVEN) * 2)
        staff_assign(user=supervisor, role=Role.COUNTY_SUPERVISOR, regions=[county])
        staff["supervisor"][county.pk] = supervisor
    by_township = defaultdict(list)
    for village in villages:
        by_township[village.parent_id].append(village)
    defaults = []
    for t, (township_id, its_villages) in enumerate(sorted(by_township.items())):
        township = Region.objects.get(pk=township_id)
        share = len(its_villages) // CASEWORKERS_PER_TOWNSHIP
        for n in range(CASEWORKERS_PER_TOWNSHIP):
            worker = user(f"cw_{township.code}_{n + 1}", rng.choice(SURNAMES) + rng.choice(GIVEN))
            mine = its_villages[n * share : (n + 1) * share if n < CASEWORKERS_PER_TOWNSHIP - 1
                                else None]  # fmt: skip
            staff_assign(user=worker, role=Role.CASEWORKER, regions=mine)
            for village in mine:
                staff["caseworker"][village.pk] = worker
                if t % 4 != 3:
                    village.default_caseworker = worker
                    defaults.append(village)
    Region.objects.bulk_update(defaults, ["default_caseworker"])
    return staff


def province_programmes(staff: dict) -> dict[int, dict]:
    """Per county: recruitment events, workshops, public-welfare posts, courses, vacancies and a
    reconciliation round a month ago (through the ORM: a few hundred rows)."""
    made = {}
    first = TODAY - datetime.timedelta(days=400)
    for county_id, boss in staff["supervisor"].items():
        county = Region.objects.get(pk=county_id)
        townships = list(Region.objects.filter(parent=county).order_by("code"))
        common = {"county": county, "created_by": boss}
        day = lambda n: first + datetime.timedelta(days=n * 37 % 380)  # noqa: E731
        made[county_id] = {
            "event": [RecruitmentEvent.objects.create(
                name=f"{county.name}春风行动专场招聘会{n + 1}", campaign="spring_breeze",
                held_on=day(n), place=f"{county.name}人才市场", employers="宝山电子、龙记制衣",
                **common) for n in range(10)],
            "workshop": [Workshop.objects.create(
                name=f"{township.name}就业扶贫车间", township=township,
                enterprise="河源市龙记制衣有限公司", founded_on=day(n), rent_subsidy=12000,
                utility_subsidy=3000, **common) for n, township in enumerate(townships)],
            "public_post": [PublicPost.objects.create(
                name=f"{township.name}农村保洁公益岗", post_type="cleaning", positions=400,
                monthly_subsidy=1500, employer=f"{township.name}人民政府", starts_on=day(n),
                **common) for n, township in enumerate(townships)],
            "course": [Course.objects.create(
                name=f"{county.name}{title}（第{n + 1}期）", kind=kind, trade=trade,
                starts_on=day(n), ends_on=day(n) + datetime.timedelta(days=20),
                provider=f"{county.name}职业技术学校", **common)
                for n, (title, kind, trade) in enumerate(
                    [("中式烹调师培训班", "skill", "cook"), ("创业培训班", "startup", ""),
                     ("电工培训班", "skill", "electrician"),
                     ("家政服务员培训班", "skill", "housekeeping")] * 3)],
            "vacancy": [Vacancy.objects.create(
                name=f"{county.name}电子厂普工{n + 1}", employer="紫金县宝山电子厂", post="装配工",
                positions=30, wage="3000-4000", place=county.name, industry="manufacturing",
                **common) for n in range(5)],
            "round": Reconciliation.objects.create(
                county=county, held_on=TODAY - datetime.timedelta(days=30), recorded_by=boss,
                note="与县扶贫办核对"),
        }  # fmt: skip
    return made


# --- the cases -------------------------------------------------------------------------------


class Builder:
    """Writes chunks of cases with every row their workflow leaves, by COPY."""

    def __init__(self, staff, programmes, villages, ids: Ids, worker=0, workers=1):
        self.staff, self.programmes = staff, programmes
        self.villages = villages
        self.rng = random.Random(2018 + worker)
        self.ids = ids
        self.worker, self.workers = worker, workers
        self.calendar = WorkCalendar()
        self.case_type = ContentType.objects.get_for_model(Case).pk
        self.counter = defaultdict(int)  # people per county, for their ID numbers
        self.flow = {  # viewflow's stored names of flows and nodes
            "case": self._prep(Process, "flow_class", flows.CaseFlow),
            "closing": self._prep(Process, "flow_class", flows.ClosingFlow),
        }
        for node in ("start", "survey", "found_working", "assistance", "employment",
                     "wait_follow_up", "follow_up", "still_employed"):  # fmt: skip
            self.flow[node] = self._prep(Task, "flow_task", getattr(flows.CaseFlow, node))
        for node in ("start", "approve", "end"):
            self.flow["closing_" + node] = self._prep(
                Task, "flow_task", getattr(flows.ClosingFlow, node)
            )
        self.tables = {
            "person": Table(
                Person,
                [
                    "id",
                    "id_number",
                    "id_number_hash",
                    "id_suffix4_hash",
                    "id_suffix5_hash",
                    "id_suffix6_hash",
                    "name",
                    "sex",
                    "birth_date",
                    "birth_year",
                    "ethnicity",
                    "household_type",
                    "phone",
                    "education",
                    "health",
                    "marital_status",
                    "political_status",
                    "household_no",
                    "created_at",
                    "updated_at",
                ],
            ),
            "case": Table(
                Case,
                [
                    "id",
                    "person_id",
                    "region_id",
                    "township_id",
                    "county_id",
                    "owner_id",
                    "stage",
                    "identified_on",
                    "closed_on",
                    "closed_reason",
                    "left_list_on",
                    "latest_survey_id",
                    "place_code",
                    "person_name",
                    "created_at",
                    "updated_at",
                ],
            ),
            "process": Table(
                Process,
                [
                    "id",
                    "flow_class",
                    "status",
                    "created",
                    "finished",
                    "artifact_content_type_id",
                    "artifact_object_id",
                    "data",
                ],
            ),
            "task": Table(
                Task,
                [
                    "id",
                    "process_id",
                    "flow_task",
                    "flow_task_type",
                    "status",
                    "owner_id",
                    "owner_permission",
                    "token",
                    "created",
                    "started",
                    "finished",
                    "scheduled",
                    "data",
                ],
            ),
            "link": Table(Task.previous.through, ["id", "from_task_id", "to_task_id"]),
            "case_task": Table(
                CaseTask,
                [
                    "task_id",
                    "case_id",
                    "kind",
                    "due_on",
                    "county_id",
                    "township_id",
                    "region_id",
                    "owner_id",
                    "status",
                ],
            ),
            "change": Table(
                StageChange,
                [
                    "id",
                    "case_id",
                    "from_stage",
                    "to_stage",
                    "transition",
                    "actor_id",
                    "at",
                    "on",
                    "source",
                    "data",
                    "county_id",
                    "township_id",
                ],
            ),
            "event": Table(
                CaseEvent, ["id", "case_id", "kind", "actor_id", "at", "task_id", "data"]
            ),
            "survey": Table(
                Survey,
                [
                    "id",
                    "case_id",
                    "surveyed_on",
                    "surveyor_id",
                    "employment_status",
                    "answers",
                    "wished_location",
                    "wished_form",
                    "wage_expectation",
                    "training_wish",
                    "training_kind",
                    "training_trade",
                    "startup_wish",
                    "wants_work",
                    "county_id",
                    "township_id",
                    "created_at",
                ],
            ),
            "record": Table(
                ChangeRecord,
                ["id", "actor_id", "at", "kind", "case_id", "county_id", "target", "data"],
            ),
            "outreach": Table(
                Outreach,
                ["id", "case_id", "on", "note", "recorded_by_id", "county_id", "township_id"],
            ),
            "assistance": Table(
                Assistance,
                ["id", "case_id", "measure", "on", "recorded_by_id", "county_id", "township_id"],
            ),
            "benefit": Table(
                Benefit,
                [
                    "id",
                    "case_id",
                    "kind",
                    "on",
                    "amount",
                    "recorded_by_id",
                    "county_id",
                    "township_id",
                ],
            ),
            "enrolment": Table(
                Enrolment,
                [
                    "id",
                    "case_id",
                    "course_id",
                    "enrolled_on",
                    "completed_on",
                    "recorded_by_id",
                    "county_id",
                    "township_id",
                ],
            ),
            "employment": Table(
                Employment,
                [
                    "id",
                    "case_id",
                    "started_on",
                    "employer",
                    "post",
                    "location_class",
                    "form",
                    "wage_band",
                    "recorded_by_id",
                    "county_id",
                    "township_id",
                    "created_at",
                ],
            ),
            "placement": Table(
                Placement,
                [
                    "id",
                    "case_id",
                    "kind",
                    "event_id",
                    "workshop_id",
                    "public_post_id",
                    "placed_on",
                    "employer",
                    "post",
                    "employment_id",
                    "recorded_by_id",
                    "county_id",
                    "township_id",
                ],
            ),
            "follow_up": Table(
                FollowUp,
                [
                    "id",
                    "case_id",
                    "followed_up_on",
                    "status",
                    "recorded_by_id",
                    "county_id",
                    "township_id",
                    "created_at",
                ],
            ),
            "confirmation": Table(
                Confirmation,
                [
                    "id",
                    "reconciliation_id",
                    "case_id",
                    "confirmed_on",
                    "confirmed_by_id",
                    "county_id",
                    "township_id",
                ],
            ),
        }
        self.moments = {}
        # the demo's survey answers, drawn from a pool (drawing each anew is a third of the time)
        self.answers = {
            status: [dict(demo_answers(self.rng, status), employment_status=status)
                     for _ in range(2000)]
            for status in ("migrant", "local", "farming")
        }  # fmt: skip

    @staticmethod
    def _prep(model, field, value):
        return model._meta.get_field(field).get_db_prep_save(value, connection)

    def at(self, day: datetime.date, hour: int = 10) -> str:
        """That hour of the day in Asia/Shanghai, as COPY takes it."""
        key = (day, hour)
        if key not in self.moments:
            self.moments[key] = timezone.make_aware(datetime.datetime.combine(
                day, datetime.time(hour))).isoformat()  # fmt: skip
        return self.moments[key]

    def day_after(self, day, low, high):
        return min(TODAY, day + datetime.timedelta(days=self.rng.randint(low, high)))

    # one case --------------------------------------------------------------------------------

    def person(self, village) -> tuple[int, str]:
        rng, county = self.rng, village.county
        n = self.counter[county.code]
        self.counter[county.code] = n + 1
        k = n * self.workers + self.worker
        # every (birth day, sequence) pair once per county, spread over 16,425 days × 999
        # sequences (7919 is prime to both), so that the last digits are spread as in life
        index = k * 7919 % (16425 * 999)
        born = datetime.date(1962, 1, 1) + datetime.timedelta(days=index % 16425)
        sequence = index // 16425 + 1
        id_number = make_id_number(county.code, born, sequence)
        surname = rng.choice(SURNAMES)
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        fields = _person_fields(rng, surname)
        pk = self.ids.take(Person)
        now = self.at(TODAY, 8)
        self.tables["person"].add(
            pk, crypto.encrypt(id_number), crypto.lookup_hash(id_number),
            crypto.lookup_hash(id_number[-4:]), crypto.lookup_hash(id_number[-5:]),
            crypto.lookup_hash(id_number[-6:]), name, "M" if sequence % 2 else "F",
            crypto.encrypt(born.isoformat()), born.year, fields["ethnicity"],
            fields["household_type"], crypto.encrypt(fields["phone"]), fields["education"],
            fields["health"], fields["marital_status"], fields["political_status"],
            f"{village.code}{k // 3:05d}", now, now,
        )  # fmt: skip
        return pk, name

    def task(self, process, node, kind_type, status, created, finished=None, owner=None,
             permission=None, scheduled=None, previous=None, data=None) -> int:  # fmt: skip
        pk = self.ids.take(Task)
        self.tables["task"].add(
            pk, process, self.flow[node], kind_type, status, owner, permission, "start",
            self.at(created), self.at(finished) if finished else None,
            self.at(finished) if finished else None, scheduled, data or {},
        )  # fmt: skip
        if previous:
            self.tables["link"].add(self.ids.take(Task.previous.through), pk, previous)
        return pk

    def case_task(self, task, case, kind, due_on, village, owner, status):
        """The task's CaseTask, with its copies of the task's owner and status."""
        self.tables["case_task"].add(task, case, kind, due_on, village.county_id,
                                     village.parent_id, village.pk, owner, status)  # fmt: skip

    def event(self, case, kind, actor, day, task=None, data=None):
        self.tables["event"].add(self.ids.take(CaseEvent), case, kind, actor, self.at(day, 11),
                                 task, data or {})  # fmt: skip

    def record(self, actor, day, kind, case, county, target, data):
        self.tables["record"].add(self.ids.take(ChangeRecord), actor, self.at(day, 11), kind,
                                  case, county, target, data)  # fmt: skip

    def change(self, case, village, from_stage, to_stage, transition, actor, day, data=None,
               source=""):  # fmt: skip
        self.tables["change"].add(
            self.ids.take(StageChange), case, from_stage, to_stage, transition, actor,
            self.at(day, 11), day, source, data or {}, village.county_id, village.parent_id,
        )  # fmt: skip

    def open_task(self, process, node, kind, created, owner, previous, case, village, due_on):
        """An open human task: ASSIGNED to the owner, or NEW in the queue without one."""
        status = "ASSIGNED" if owner else "NEW"
        task = self.task(process, node, "HUMAN", status, created, owner=owner,
                         permission=WORK, previous=previous)  # fmt: skip
        self.case_task(task, case, kind, due_on, village, owner, status)
        return task

    def done_task(self, process, node, kind, created, finished, owner, previous, case, village,
                  due_on, data=None):  # fmt: skip
        task = self.task(process, node, "HUMAN", "DONE", created, finished, owner=owner,
                         permission=WORK, previous=previous)  # fmt: skip
        self.case_task(task, case, kind, due_on, village, owner, "DONE")
        self.event(case, "complete", owner, finished, task, {"task_kind": kind, **(data or {})})
        return task

    def gateway(self, process, node, day, previous):
        return self.task(process, node, "EXCLUSIVE_GATEWAY", "DONE", day, day, previous=previous)

    def one_case(self, village):
        rng, t = self.rng, self.tables
        stage = rng.choices(STAGES, STAGE_SHARES)[0]
        worker = self.staff["caseworker"][village.pk]
        supervisor = self.staff["supervisor"][village.county_id]
        queued = village.default_caseworker_id is None and stage == Stage.IDENTIFIED
        owner = None if queued and rng.random() < 0.7 else worker.pk
        if stage == Stage.IDENTIFIED:
            identified = TODAY - datetime.timedelta(days=rng.randint(1, 45))
        else:
            identified = TODAY - datetime.timedelta(days=rng.randint(60, 1000))
        person, name = self.person(village)
        case = self.ids.take(Case)
        process = self.ids.take(Process)
        # the step that opened the open task lies in the last weeks, as in a working office
        recent = TODAY - datetime.timedelta(days=rng.randint(1, 50))
        days = sorted(identified + datetime.timedelta(days=rng.randint(
            1, max(1, (recent - identified).days))) for _ in range(4))  # fmt: skip
        days[-1] = max(days[-1], recent) if stage != Stage.IDENTIFIED else days[-1]
        here = (village.county_id, village.parent_id)
        self.change(case, village, "", Stage.IDENTIFIED, "identify", supervisor.pk, identified,
                    source="roster")  # fmt: skip
        start = self.task(process, "start", "START", "DONE", identified, identified)
        survey_due = self.calendar.due_on(TaskKind.SURVEY, identified)
        latest_survey, closed_on, reason, left_on = None, None, "", None
        process_status, process_finished = "NEW", None
        if stage == Stage.IDENTIFIED:
            self.open_task(process, "survey", TaskKind.SURVEY, identified, owner, start, case,
                           village, survey_due)  # fmt: skip
        else:
            surveyed = days[0]
            working = stage in (Stage.EMPLOYED, Stage.FOLLOWED_UP) and rng.random() < 0.3
            status = rng.choice(["migrant", "local"]) if working else "farming"
            answers = rng.choice(self.answers[status])
            yes_no = {"yes": True, "no": False}
            latest_survey = self.ids.take(Survey)
            t["survey"].add(
                latest_survey, case, surveyed, owner, status,
                crypto.encrypt(json.dumps(answers, ensure_ascii=False)),
                answers.get("wished_location", ""), answers.get("wished_form", ""),
                answers.get("wage_expectation", ""), yes_no.get(answers.get("training_wish")),
                answers.get("training_kind", ""), answers.get("training_trade", ""),
                yes_no.get(answers.get("startup_wish")), wants_work(answers), *here,
                self.at(surveyed, 11),
            )  # fmt: skip
            self.record(
                owner,
                surveyed,
                "survey",
                case,
                village.county_id,
                f"casework.survey:{latest_survey}",
                {"changes": {}, "resurvey": False, "surveyed_on": surveyed.isoformat()},
            )
            survey = self.done_task(process, "survey", TaskKind.SURVEY, identified, surveyed,
                                    owner, start, case, village, survey_due)  # fmt: skip
            self.change(case, village, Stage.IDENTIFIED, Stage.SURVEYED, "survey", owner,
                        surveyed)  # fmt: skip
            if rng.random() < 0.5:
                outreach = self.ids.take(Outreach)
                t["outreach"].add(outreach, case, surveyed, "宣讲就业扶持政策", owner, *here)
                self.record(
                    owner,
                    surveyed,
                    "outreach",
                    case,
                    village.county_id,
                    f"casework.outreach:{outreach}",
                    {"fields": {"on": surveyed.isoformat(), "note": "宣讲就业扶持政策"}},
                )
            gateway = self.gateway(process, "found_working", surveyed, survey)
            previous, previous_day, from_stage = gateway, surveyed, Stage.SURVEYED
            if stage == Stage.CLOSED:
                closed_on = days[1]
                reason = rng.choice(CLOSE_REASONS)
                left_on = closed_on if reason == CloseReason.LEFT_LIST else None
                help_task = self.task(process, "assistance", "HUMAN", "CANCELED", surveyed,
                                      closed_on, owner=owner, permission=WORK,
                                      previous=gateway)  # fmt: skip
                self.case_task(
                    help_task,
                    case,
                    TaskKind.ASSISTANCE,
                    self.calendar.due_on(TaskKind.ASSISTANCE, surveyed),
                    village,
                    owner,
                    "CANCELED",
                )
                process_status, process_finished = "CANCELED", self.at(closed_on)
                closing = self.ids.take(Process)
                t["process"].add(
                    closing,
                    self.flow["closing"],
                    "DONE",
                    self.at(closed_on),
                    self.at(closed_on),
                    self.case_type,
                    case,
                    {"note": "", "reason": reason, "requested_by": owner},
                )
                closing_start = self.task(closing, "closing_start", "START", "DONE", closed_on,
                                          closed_on)  # fmt: skip
                approve = self.task(closing, "closing_approve", "HUMAN", "DONE", closed_on,
                                    closed_on, owner=supervisor.pk,
                                    permission="casework.approve_closing",
                                    previous=closing_start)  # fmt: skip
                self.case_task(approve, case, TaskKind.CLOSING_APPROVAL,
                               self.calendar.due_on(TaskKind.CLOSING_APPROVAL, closed_on),
                               village, supervisor.pk, "DONE")  # fmt: skip
                self.task(closing, "closing_end", "END", "DONE", closed_on, closed_on,
                          previous=approve)  # fmt: skip
                self.event(
                    case, "close_request", owner, closed_on, None, {"note": "", "reason": reason}
                )
                self.event(case, "claim", supervisor.pk, closed_on, approve)
                self.event(
                    case,
                    "cancel",
                    supervisor.pk,
                    closed_on,
                    help_task,
                    {"task_kind": TaskKind.ASSISTANCE},
                )
                self.event(
                    case, "close_approve", supervisor.pk, closed_on, approve, {"comment": ""}
                )
                self.event(
                    case,
                    "complete",
                    supervisor.pk,
                    closed_on,
                    approve,
                    {"task_kind": TaskKind.CLOSING_APPROVAL},
                )
                self.change(case, village, Stage.SURVEYED, Stage.CLOSED, "close",
                            supervisor.pk, closed_on, {"reason": reason})  # fmt: skip
            elif stage in (Stage.SURVEYED, Stage.ASSISTED) or not working:
                help_due = self.calendar.due_on(TaskKind.ASSISTANCE, surveyed)
                if stage == Stage.SURVEYED:
                    self.open_task(process, "assistance", TaskKind.ASSISTANCE, surveyed, owner,
                                   gateway, case, village, help_due)  # fmt: skip
                else:
                    helped = days[1]
                    measure = rng.choice(MEASURES)
                    assistance = self.ids.take(Assistance)
                    t["assistance"].add(assistance, case, measure, helped, owner, *here)
                    self.record(
                        owner,
                        helped,
                        "assistance",
                        case,
                        village.county_id,
                        f"casework.assistance:{assistance}",
                        {"fields": {"on": helped.isoformat(), "measure": measure}},
                    )
                    self.event(case, "assistance", owner, helped, None, {"measure": measure})
                    self.change(case, village, Stage.SURVEYED, Stage.ASSISTED, "assist", owner,
                                helped)  # fmt: skip
                    from_stage = Stage.ASSISTED
                    if rng.random() < 0.3:
                        t["benefit"].add(
                            self.ids.take(Benefit),
                            case,
                            rng.choice(["transport", "training", "post"]),
                            helped,
                            rng.choice([200, 500, 1000]),
                            owner,
                            *here,
                        )
                    courses = [c for c in self.programmes[village.county_id]["course"]
                               if c.starts_on >= helped]  # fmt: skip
                    if courses and rng.random() < 0.3:
                        course = courses[0]
                        t["enrolment"].add(self.ids.take(Enrolment), case, course.pk, helped,
                                           course.ends_on if course.ends_on <= TODAY else None,
                                           owner, *here)  # fmt: skip
                    if stage == Stage.ASSISTED:
                        self.open_task(process, "assistance", TaskKind.ASSISTANCE, surveyed,
                                       owner, gateway, case, village, help_due)  # fmt: skip
                    else:
                        previous = self.done_task(
                            process,
                            "assistance",
                            TaskKind.ASSISTANCE,
                            surveyed,
                            days[2],
                            owner,
                            gateway,
                            case,
                            village,
                            help_due,
                            {"settled": True},
                        )
                        previous_day = days[2]
            if stage in (Stage.EMPLOYED, Stage.FOLLOWED_UP):
                placed = days[2]
                employment = self.ids.take(Employment)
                t["employment"].add(
                    employment, case, placed, rng.choice(EMPLOYERS), rng.choice(POSTS),
                    rng.choice(["outside_province", "in_province", "in_city", "in_county"]),
                    rng.choice(["employee", "flexible", "self_employed"]),
                    rng.choice(["2000-3000", "3000-4000", "4000-5000"]), owner, *here,
                    self.at(placed, 11),
                )  # fmt: skip
                if rng.random() < 0.3:
                    kind = rng.choice(["event", "workshop", "public_post"])
                    pick = self.programmes[village.county_id]
                    t["placement"].add(
                        self.ids.take(Placement), case, kind,
                        rng.choice(pick["event"]).pk if kind == "event" else None,
                        rng.choice(pick["workshop"]).pk if kind == "workshop" else None,
                        rng.choice(pick["public_post"]).pk if kind == "public_post" else None,
                        placed, "宝山电子" if kind == "event" else "", "", employment, owner,
                        *here,
                    )  # fmt: skip
                work = self.done_task(
                    process, "employment", TaskKind.EMPLOYMENT, previous_day, placed, owner,
                    previous, case, village,
                    self.calendar.due_on(TaskKind.EMPLOYMENT, previous_day),
                )  # fmt: skip
                self.change(case, village, from_stage, Stage.EMPLOYED, "place", owner, placed)
                previous, anchor = work, placed
                if stage == Stage.FOLLOWED_UP:
                    followed = days[3]
                    due = self.calendar.due_on(TaskKind.FOLLOW_UP, anchor)
                    timer = self.task(process, "wait_follow_up", "TIMER", "DONE", anchor,
                                      followed, scheduled=self.at(due - datetime.timedelta(
                                          days=10), 8), previous=previous)  # fmt: skip
                    follow = self.done_task(
                        process,
                        "follow_up",
                        TaskKind.FOLLOW_UP,
                        followed,
                        followed,
                        owner,
                        timer,
                        case,
                        village,
                        due,
                    )
                    t["follow_up"].add(self.ids.take(FollowUp), case, followed, "still_working",
                                       owner, *here, self.at(followed, 11))  # fmt: skip
                    self.change(case, village, Stage.EMPLOYED, Stage.FOLLOWED_UP, "follow_up",
                                owner, followed)  # fmt: skip
                    previous = self.gateway(process, "still_employed", followed, follow)
                    anchor = followed
                    if rng.random() < 0.3:
                        t["confirmation"].add(
                            self.ids.take(Confirmation),
                            self.programmes[village.county_id]["round"].pk, case,
                            TODAY - datetime.timedelta(days=30),
                            self.staff["supervisor"][village.county_id].pk, *here,
                        )  # fmt: skip
                due = self.calendar.due_on(TaskKind.FOLLOW_UP, anchor)
                opens = due - datetime.timedelta(days=10)
                if opens > TODAY:
                    self.task(process, "wait_follow_up", "TIMER", "SCHEDULED", anchor,
                              scheduled=self.at(opens, 8), previous=previous)  # fmt: skip
                else:  # the month's follow-up task is open (overdue when its day has passed)
                    timer = self.task(
                        process,
                        "wait_follow_up",
                        "TIMER",
                        "DONE",
                        anchor,
                        opens,
                        scheduled=self.at(opens, 8),
                        previous=previous,
                    )
                    self.open_task(process, "follow_up", TaskKind.FOLLOW_UP, opens, owner,
                                   timer, case, village, due)  # fmt: skip
        t["process"].add(process, self.flow["case"], process_status, self.at(identified),
                         process_finished, self.case_type, case, {})  # fmt: skip
        now = self.at(TODAY, 8)
        t["case"].add(
            case,
            person,
            village.pk,
            village.parent_id,
            village.county_id,
            owner,
            stage,
            identified,
            closed_on,
            reason,
            left_on,
            latest_survey,
            village.code,
            name,
            now,
            now,
        )

    def build(self, count: int, report=print):
        started = time.perf_counter()
        weights = [1 + (v.pk * 7) % 5 for v in self.villages]  # villages of unequal size
        done = 0
        while done < count:
            batch = min(CHUNK, count - done)
            for village in self.rng.choices(self.villages, weights=weights, k=batch):
                self.one_case(village)
            with transaction.atomic(), connection.cursor() as cursor:
                # parents first: COPY checks foreign keys row by row
                for name in ("person", "process", "task", "link", "case", "case_task",
                             "survey", "change", "event", "record", "outreach", "assistance",
                             "benefit", "enrolment", "employment", "placement", "follow_up",
                             "confirmation"):  # fmt: skip
                    self.tables[name].flush(cursor.cursor)
            done += batch
            elapsed = time.perf_counter() - started
            report(f"  {done:,} cases in {elapsed:.0f} s ({done / elapsed:,.0f}/s)")
        return {name: table.written for name, table in self.tables.items()}


def overdue_spread():
    """Keep each county's share of open tasks overdue as the demo does (DEMO_OVERDUE_SHARE, 3 to
    30 in 100): the walk leaves most open tasks past due (their step lies weeks back); the
    others are due in the coming three weeks. Set-based, after the COPYs."""
    shares = " ".join(f"WHEN '{code}' THEN {share}" for code, share in DEMO_OVERDUE_SHARE.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE "{CaseTask._meta.db_table}" AS ct
               SET due_on = %s::date + (ct.task_id %% 21 + 1)::int
              FROM "{Task._meta.db_table}" AS t, "{Region._meta.db_table}" AS county
             WHERE t.id = ct.task_id AND t.status IN ('NEW', 'ASSIGNED')
               AND ct.due_on < %s AND county.id = ct.county_id
               AND abs(hashtext(ct.task_id::text)) %% 100 >= CASE county.code {shares} ELSE 5 END
            """,
            [TODAY, TODAY],
        )
        return cursor.rowcount


BUILT_MODELS = [Person, Case, Process, Task, Task.previous.through, StageChange, CaseEvent,
                Survey, ChangeRecord, Outreach, Assistance, Benefit, Enrolment, Employment,
                Placement, FollowUp, Confirmation]  # fmt: skip


def cases_build(count, workers, staff, programmes, villages) -> dict[str, int]:
    """`count` cases written by `workers` forked processes, each with its share of every
    table's keys (every workers-th one), its own random stream and ID numbers."""
    bases = Ids.bases_of(BUILT_MODELS)
    connection.close()  # each worker opens its own

    def work(worker):
        ids = Ids(bases, stride=workers, offset=worker)
        share = count // workers + (worker < count % workers)
        builder = Builder(staff, programmes, villages, ids, worker=worker, workers=workers)
        builder.build(share, report=lambda line: print(f"[{worker}]{line}", file=sys.stderr))
        connection.close()

    children = []
    for worker in range(workers):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(worker)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        sys.exit(f"{len(failed)} worker(s) failed")
    Ids.sync_sequences(BUILT_MODELS)
    written = {}
    with connection.cursor() as cursor:
        for model in [*BUILT_MODELS, CaseTask]:
            cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
            written[model._meta.db_table] = cursor.fetchone()[0]
    return written


def derived_columns_refresh():
    """Denormalised columns and summaries computed from the rows, after the bulk writes (which
    skip save() and the services). One place for them: add the refresh calls here.

    The builder writes the case list's sort keys (place_code, person_name) and the case task's
    copies of owner and status itself; case_sort_keys_refresh() checks the former and writes
    only what differs (task_copies_refresh() would rewrite every case task: 2.8M rows at 1M)."""
    changed = case_sort_keys_refresh()
    if changed:
        print(f"{changed:,} cases' sort keys refreshed", file=sys.stderr)
    changed = case_trade_wish_refresh()
    print(f"{changed:,} cases' trade wishes copied from their latest survey", file=sys.stderr)
    # the counters' summaries, recounted once (the triggers wrote a delta per COPY)
    print(f"summaries rebuilt: {tallies_rebuild()}", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # the dashboards' summaries, as the periodic job takes them (reports.snapshots)
    print(f"dashboards' summaries: {dashboards_refresh(timezone.now())} parts", file=sys.stderr)


# --- commands --------------------------------------------------------------------------------


def _database(url: str) -> tuple[str, list[str]]:
    """The database name and the libpq options of a postgres:// URL."""
    parts = urlsplit(url)
    options = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
               "-U", parts.username or "postgres"]  # fmt: skip
    return parts.path.lstrip("/"), options


def _recreate(url: str):
    name, options = _database(url)
    connection.close()
    subprocess.run(["dropdb", *options, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *options, name], check=True)


def command_build(args):
    if connection.vendor != "postgresql":
        sys.exit("province.py builds on PostgreSQL only (COPY).")
    timings = {}
    started = time.perf_counter()
    _recreate(args.db)
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.perf_counter() - started
    rng = random.Random(441600)
    with transaction.atomic():
        villages = province_regions(rng)
        staff = province_staff(villages)
        programmes = province_programmes(staff)
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE).select_related("county"))
    timings["regions, staff, programmes"] = time.perf_counter() - started - timings["migrate"]
    print(f"{len(villages)} villages, {User.objects.count()} staff", file=sys.stderr)
    mark = time.perf_counter()
    written = cases_build(args.cases, args.workers, staff, programmes, villages)
    timings[f"cases (COPY, {args.workers} workers)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    print(f"{overdue_spread():,} open tasks due in the coming weeks", file=sys.stderr)
    timings["overdue spread"] = time.perf_counter() - mark
    mark = time.perf_counter()
    derived_columns_refresh()
    timings["derived columns, VACUUM ANALYZE"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    print(f"| step ({args.cases:,} cases) | seconds |\n|---|---:|")
    for step, seconds in timings.items():
        print(f"| {step} | {seconds:,.0f} |")
    print()
    print("| table | rows |\n|---|---:|")
    for name, rows in written.items():
        print(f"| {name} | {rows:,} |")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        print(f"\ndatabase size: {cursor.fetchone()[0] / 2**30:.2f} GiB")


def _dump_path(args) -> Path:
    if args.file:
        return Path(args.file)
    name, _ = _database(args.db)
    return DUMP_DIR / f"{name.replace('casework_', '')}.dump"


def command_dump(args):
    name, options = _database(args.db)
    path = _dump_path(args)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(["pg_dump", *options, "-Fc", "-Z", "6", "-f", str(path), name], check=True)
    print(f"dumped {name} to {path}: {path.stat().st_size / 2**20:,.0f} MiB in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip


def command_restore(args):
    name, options = _database(args.db)
    path = _dump_path(args)
    started = time.perf_counter()
    _recreate(args.db)
    subprocess.run(["pg_restore", *options, "-j", str(args.jobs), "--no-owner", "-d", name,
                    str(path)], check=True)  # fmt: skip
    subprocess.run(["psql", *options, "-q", "-c", "ANALYZE", name], check=True)
    print(f"restored {path} into {name} in {time.perf_counter() - started:.0f} s")


def command_refresh(args):
    """After a restore into newer code: migrate, then recompute the derived columns."""
    started = time.perf_counter()
    call_command("migrate", verbosity=1)
    derived_columns_refresh()
    print(f"migrated and refreshed in {time.perf_counter() - started:.0f} s")


def command_check(args):
    """The app on the built data: pages of each role answer 200, a caseworker claims a queued
    task and submits a survey (rolled back), the ID-digit search finds a laborer."""
    from django.test import Client

    from workflows.models import CaseTask as Tasks

    logging.getLogger("axes").setLevel(logging.WARNING)
    city = User.objects.get(username="city")
    queued = Tasks.objects.filter(task__status="NEW", kind=TaskKind.SURVEY,
                                  township__isnull=False).order_by("pk").first()  # fmt: skip
    worker = User.objects.filter(regions=queued.region).get()
    supervisor = User.objects.get(username=f"sup_{queued.county.code}")
    case = queued.case
    person = case.person
    checks = []

    def get(user, url, status=200, contains=None):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        ok = response.status_code == status and (
            contains is None or contains in response.content.decode()
        )
        checks.append((user.username, f"GET {url}", response.status_code, ok))
        return response

    for user in (worker, supervisor, city):
        for url in ("/", "/cases/", f"/cases/{case.pk}/", "/needs/"):
            get(user, url)
    get(worker, f"/cases/?q={person.id_number[-6:]}", contains=person.name)
    for stage in Stage.values:  # a case of each stage, and the page of its open task
        other = Case.objects.filter(stage=stage, county=queued.county).order_by("pk").first()
        get(supervisor, f"/cases/{other.pk}/")
        open_task = other.tasks.filter(task__status="ASSIGNED").first()
        if open_task is not None:
            get(open_task.task.owner, f"/tasks/{open_task.pk}/")
    for url in ("/tasks/inbox/", "/tasks/queue/", f"/tasks/{queued.pk}/"):
        get(worker, url)
    for url in ("/tasks/overdue/", "/tasks/team/", "/tasks/open/"):
        get(supervisor, url)
        get(city, url)
    with transaction.atomic():
        client = Client()
        client.force_login(worker)
        response = client.post(f"/tasks/{queued.pk}/claim/")
        queued.task.refresh_from_db()
        checks.append((worker.username, f"POST /tasks/{queued.pk}/claim/",
                       response.status_code, queued.task.owner_id == worker.pk))  # fmt: skip
        get(worker, f"/tasks/inbox/?name={person.name}", contains=person.name)
        transaction.set_rollback(True)
    print("| user | request | status | ok |\n|---|---|---:|---|")
    for user, request, status, ok in checks:
        print(f"| {user} | {request} | {status} | {'yes' if ok else 'NO'} |")
    if not all(ok for *_, ok in checks):
        sys.exit("some checks failed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "dump", "restore", "refresh", "check"):
        command = commands.add_parser(name)
        command.add_argument("--db", default=os.environ.get("DATABASE_URL"), required=False)
        command.add_argument("--file", help=f"the dump (default {DUMP_DIR}/province_N.dump)")
        if name == "build":
            command.add_argument("--cases", type=int, default=10_000)
            command.add_argument("--workers", type=int, default=2)
        if name == "restore":
            command.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    commands = {"build": command_build, "dump": command_dump, "restore": command_restore,
                "refresh": command_refresh, "check": command_check}  # fmt: skip
    commands[args.command](args)


if __name__ == "__main__":
    main()
