"""Random and hostile input at every form and at the roster import (hypothesis): never a server
error, never a partial write.

Every POST endpoint of the role matrix (tests/casework/test_role_matrix.py, which the resolver
keeps complete) is sent its own field names with hostile values by a role that may use it;
every list page gets hostile query strings. A refused request (4xx, a form shown again with
its errors, an error message) must leave every table as it was. The example budget is set by
HYPOTHESIS_EXAMPLES (default 12 per endpoint) so that the suite stays within CI's time.
"""

import os
import string

import pytest
from django.contrib.messages import constants
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.models import Person, Region, Role, RosterImport
from casework.roster import roster_import
from casework.tabular import UnreadableFile
from tests.casework import test_role_matrix as role_matrix
from tests.casework.test_role_matrix import ADMIN, CITY, CW, MATRIX, SUP, changed_tables, snapshot
from tests.factories import staff
from tests.rosters import HEADER, person, write_csv

world = role_matrix.world  # the role matrix's fixture: one county with a record of every kind
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "12"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure in CI is a failure here
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "", " ", "0", "-1", "1e309", "NaN", "9" * 40, "-99999999999", "0.0000001", "2026-02-30",
    "9999-12-31", "0001-01-01", "1899-12-31", "2026-13-01", "<script>alert(1)</script>",
    "'; DROP TABLE casework_case; --", "=HYPERLINK(\"http://x\")", "\x00", "a\x00b", "１２３",
    "\u202e", "𠀀𠀁", "None", "null", "[]", "{}", "%s%s%s", "../../etc/passwd",
    "441621198507150029", "11010519491231002X", "13812345678", "x" * 5000, "true", "on",
]  # fmt: skip
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
field_value = st.one_of(values, st.lists(values, min_size=2, max_size=3))


def allowed_role(allowed) -> str:
    for role in (CW, SUP, CITY, ADMIN):
        if role in allowed:
            return role
    return SUP  # an endpoint nobody may write to: the role that sees the most of a county


def refused(response) -> bool:
    """Whether the request was turned down: an error status, the form again, an error."""
    if response.status_code >= 400:
        return True
    context = response.context or {}
    form = context.get("form") if hasattr(context, "get") else None
    if response.status_code == 200 and form is not None and form.errors:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    return any(message.level >= constants.ERROR for message in queued)


WRITES = sorted(name for name, (_args, data, _allowed, _refused) in MATRIX.items() if data)


@pytest.mark.parametrize("name", WRITES)
def test_hostile_posts_never_fail_and_never_half_write(name, world, client):
    args, data, allowed, _status = MATRIX[name]
    url = reverse(name, args=args(world) if args else None)
    fields = sorted(data(world))
    user = world["users"][allowed_role(allowed)]

    @BUDGET
    @given(st.fixed_dictionaries(dict.fromkeys(fields, field_value)))
    def hostile(posted):
        with transaction.atomic():
            client.force_login(user)
            before = snapshot()
            response = client.post(url, posted)
            assert response.status_code < 500, (name, posted)
            if refused(response) or not allowed:
                assert changed_tables(before, snapshot()) == [], (name, posted)
            transaction.set_rollback(True)

    hostile()


LISTS = sorted(name for name, (args, _data, _allowed, _refused) in MATRIX.items() if not args)
QUERY_KEYS = ["q", "page", "sort", "county", "township", "stage", "status", "month", "period",
              "year", "kind", "owner", "due", "per_page", "_export", "language"]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_hostile_query_strings_never_fail(name, world, client):
    url = reverse(name)

    @BUDGET
    @given(st.dictionaries(st.sampled_from(QUERY_KEYS), values, max_size=4))
    def hostile(query):
        with transaction.atomic():
            client.force_login(world["users"][SUP])
            response = client.get(url, query)
            assert response.status_code < 500, (name, query)
            transaction.set_rollback(True)

    hostile()


# --- the roster import ------------------------------------------------------------------------

cell = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=string.printable + "黄李陈紫金县城镇村男女汉初中小学", max_size=30),
)


@st.composite
def rosters(draw):
    """Rows of a real roster, each with a few of its cells replaced by hostile values; some
    rows repeated (the same ID twice)."""
    rows = []
    for n in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        row = person(n)
        for column in draw(st.lists(st.sampled_from(HEADER), max_size=4, unique=True)):
            row[column] = draw(cell)
        rows.append(row)
    if draw(st.booleans()):
        rows.append(dict(rows[0]))
    return rows


@pytest.mark.django_db
def test_a_hostile_roster_imports_whole_or_not_at_all(tmp_path):
    supervisor = staff("sup_hostile", Role.COUNTY_SUPERVISOR, "紫金县")
    county = Region.objects.get(name="紫金县", level=Region.Level.COUNTY)

    @BUDGET
    @given(rosters())
    def hostile(rows):
        path = write_csv(tmp_path / "hostile.csv", rows)
        with transaction.atomic():
            before = Person.objects.count()
            try:
                record, _plan = roster_import(path=path, actor=supervisor, county=county)
            except UnreadableFile:
                assert Person.objects.count() == before
                assert not RosterImport.objects.exists()
            else:
                # every accepted row made its person, no rejected row made one
                assert Person.objects.count() - before == record.created
                assert record.created + record.rejected + record.updated + record.unchanged == (
                    record.rows
                )
            transaction.set_rollback(True)

    hostile()
