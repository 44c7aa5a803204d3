"""The generated access matrix: every named URL × every role × GET and POST × an id in the
user's regions and one outside them (docs/access.md, "The generated matrix").

- In scope, GET: each role gets the status docs/access.md gives it (GET_STATUS below: 200 for a
  reader, 403 for a role without the right, 404 where the page is not among what the role sees,
  405 for an endpoint that only takes POST, 302 for a POST endpoint that sends a GET back to its
  page) and the database is unchanged but for log rows.
- In scope, POST: tests/casework/test_role_matrix.py (allowed: the database changes and the
  record of processing shows it; refused: 403/404 and nothing changes).
- Out of scope: every URL taking an id, with the id of the same object in another county (for
  city staff and administrators, who see every county: another user's own notification),
  answers 404 exactly as a missing id does (same bytes), or 405 for a method the URL does not
  take (whatever the id), and changes nothing.

A URL missing from GET_STATUS fails test_every_url_is_in_the_matrix. The number of requests
made by these tests and the role matrix's is printed at the end of the run ("access matrix:").
"""

import pytest
from django.urls import reverse

from tests.casework.test_access import pages_taking_an_id
from tests.casework.test_role_matrix import (
    LONGCHUAN,
    MATRIX,
    NOT_DATA,
    ROLES,
    build_world,
    changed_tables,
    snapshot,
)
from tests.resolver import MATRIX_REQUESTS, named_patterns

# In scope, GET, by hand from docs/access.md: the status of each role in the order
# caseworker, supervisor, city staff, administrator, caseworker of another township of the
# county, supervisor of another county (the last two's "in scope" is the world's object, which
# lies outside their regions where it has a place: 404).
GET_STATUS = {
    "audit": "403 403 200 200 403 403",
    "audit_export": "403 403 200 200 403 403",
    "export_download": "404 200 404 404 404 404",
    "export_progress": "404 200 404 404 404 404",
    "casework:case_benefit": "302 302 302 302 404 404",
    "casework:case_correct_id": "405 405 405 405 405 405",
    "casework:case_detail": "200 200 200 200 404 404",
    "casework:case_find": "405 405 405 405 405 405",
    "casework:case_list": "200 200 200 200 200 200",
    "casework:case_outreach": "302 302 302 302 404 404",
    "casework:case_reveal": "405 405 405 405 405 405",
    "casework:case_survey_form": "405 405 405 405 405 405",
    "casework:import_cancel": "405 405 405 405 405 405",
    "casework:import_confirm": "405 405 405 405 405 405",
    "casework:import_detail": "404 200 404 200 404 404",
    "casework:import_progress": "404 200 404 200 404 404",
    "casework:import_report": "404 200 404 200 404 404",
    "casework:import_upload": "403 200 403 200 403 200",
    "casework:ledger_export": "200 200 200 200 200 200",
    "casework:left_list": "403 200 403 200 403 200",
    "casework:left_list_batch": "405 405 405 405 405 405",
    "casework:left_list_decision": "405 405 405 405 405 405",
    "casework:registration_conflicts": "403 403 200 200 403 403",
    "casework:survey_form_blank": "200 200 200 200 200 200",
    "casework:survey_forms": "200 200 200 200 200 200",
    "casework:village_survey_forms": "405 405 405 405 405 405",
    "contacts:county": "200 200 200 200 200 404",
    "contacts:edit": "403 200 403 403 403 404",
    "contacts:export": "403 200 200 200 403 200",
    "contacts:index": "200 200 200 200 200 200",
    "home": "200 200 200 200 200 200",
    "needs": "200 200 200 200 200 200",
    "notifications:centre": "200 200 200 200 200 200",
    "notifications:channels": "403 403 200 200 403 403",
    "password_change": "200 200 200 200 200 200",
    "notifications:preferences": "200 200 200 200 200 200",
    "notifications:read": "405 405 405 405 405 405",
    "notifications:read_all": "405 405 405 405 405 405",
    "programmes:close": "405 405 405 405 405 405",
    "programmes:detail": "200 200 200 200 200 404",
    "programmes:edit": "403 200 403 403 403 404",
    "programmes:enrolment_complete": "405 405 405 405 405 405",
    "programmes:index": "200 200 200 200 200 200",
    "programmes:list": "200 200 200 200 200 200",
    "programmes:reconciliation": "200 200 200 200 200 404",
    "programmes:reconciliation_export": "403 200 200 403 403 404",
    "programmes:reconciliations": "200 200 200 200 200 200",
    "reports:city_pdf": "403 200 200 200 403 200",
    "reports:city_xlsx": "403 200 200 200 403 200",
    "reports:county": "404 200 200 200 404 404",
    "reports:county_pdf": "404 200 200 200 404 404",
    "reports:county_xlsx": "404 200 200 200 404 404",
    "reports:decide": "405 405 405 405 405 405",
    "reports:members": "404 200 200 200 404 404",
    "reports:monthly": "403 200 200 200 403 200",
    "reports:remarks": "405 405 405 405 405 405",
    "reports:submit": "405 405 405 405 405 405",
    "supervision:circular": "404 200 200 200 404 200",
    "supervision:circular_pdf": "404 200 200 200 404 200",
    "supervision:circulars": "404 200 200 200 404 200",
    "supervision:county": "404 200 200 200 404 404",
    "supervision:dashboard": "404 200 200 200 404 200",
    "supervision:inspection_edit": "404 403 200 403 404 404",
    "supervision:inspection_new": "404 403 200 403 404 404",
    "supervision:interview": "404 403 200 403 404 404",
    "supervision:report": "403 403 200 200 403 403",
    "supervision:report_download": "404 404 200 200 404 404",
    "supervision:report_progress": "404 404 200 200 404 404",
    "supervision:year": "404 200 200 200 404 200",
    "workflows:archive": "200 200 200 200 200 200",
    "workflows:case_close": "302 302 302 302 404 404",
    "workflows:case_resurvey": "302 302 302 302 404 404",
    "workflows:case_transfer": "302 302 302 302 404 404",
    "workflows:case_undo": "302 302 302 302 404 404",
    "workflows:inbox": "200 200 200 200 200 200",
    "workflows:open_tasks": "403 200 200 200 403 200",
    "workflows:overdue": "403 200 200 200 403 200",
    "workflows:queue": "200 200 200 200 200 200",
    "workflows:reassign": "403 200 403 403 403 200",
    "workflows:reassign_receipt": "403 404 403 403 403 404",
    "workflows:reassign_result": "403 404 403 403 403 404",
    "workflows:survey_draft": "405 405 405 405 405 405",
    "workflows:task_claim": "405 405 405 405 405 405",
    "workflows:task_detail": "200 200 200 200 404 404",
    "workflows:task_hand_over": "405 405 405 405 405 405",
    "workflows:task_reassign": "405 405 405 405 405 405",
    "workflows:task_release": "405 405 405 405 405 405",
    "workflows:team": "403 200 200 200 403 200",
}

# a circular is sent to every county: any county's supervisor reads every one
READ_BY_EVERY_COUNTY = {"supervision:circular", "supervision:circular_pdf"}
# a user's own: another user's answers 404, whatever their role
OWN = {"notifications:read", "export_progress", "export_download"}
ID_URLS = sorted(set(pages_taking_an_id()))


def test_every_url_is_in_the_matrix():
    names = {name for name, _pattern in named_patterns()} - NOT_DATA
    assert names == set(GET_STATUS) == set(MATRIX)


@pytest.fixture
def worlds(db):
    """The role matrix's world in 紫金县 and the same in 龙川县 (usernames ending in _2)."""
    return build_world(), build_world(LONGCHUAN, tag="_2", circular=False)


def url_of(name, world, missing=False):
    args = MATRIX[name][0]
    args = list(args(world)) if args else None
    if missing:  # the id (the first number among the arguments): a number no row has
        index = next(i for i, arg in enumerate(args) if isinstance(arg, int))
        args[index] = 10_000_000 + args[index]
    return reverse(name, args=args)


def request(client, method, url, data=None):
    MATRIX_REQUESTS[0] += 1
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("who", ROLES)
def test_get_answers_each_role_as_documented(who, worlds, client):
    world, _other = worlds
    client.force_login(world["users"][who])
    wrong = []
    for name in sorted(GET_STATUS):
        expected = int(GET_STATUS[name].split()[ROLES.index(who)])
        before = snapshot()
        response = request(client, "get", url_of(name, world))
        changed = changed_tables(before, snapshot())
        if response.status_code != expected or changed:
            wrong.append((name, response.status_code, expected, changed))
    assert wrong == []


def foreign_world(who, worlds):
    """The world whose objects lie outside the role's regions (None: city staff and
    administrators see every county)."""
    zijin, longchuan = worlds
    return {"supervisor_elsewhere": zijin, "city": None, "admin": None}.get(who, longchuan)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ROLES)
def test_out_of_scope_answers_404_like_a_missing_id_and_changes_nothing(
    who, method, worlds, client
):
    zijin, _longchuan = worlds
    client.force_login(zijin["users"][who])
    foreign = foreign_world(who, worlds)
    names = ID_URLS if foreign is not None else sorted(OWN)
    foreign = foreign or zijin  # city staff, administrators: the caseworker's notification
    wrong = []
    for name in names:
        data = MATRIX[name][1]
        payload = data(foreign) if (data and method == "post") else None
        before = snapshot()
        response = request(client, method, url_of(name, foreign), payload)
        changed = changed_tables(before, snapshot())
        missing = request(client, method, url_of(name, foreign, missing=True), payload)
        if name in READ_BY_EVERY_COUNTY and method == "get" and "supervisor" in who:
            ok = response.status_code == 200
        elif response.status_code == 405:  # the URL does not take the method, whatever the id
            ok = missing.status_code == 405
        else:
            ok = response.status_code == missing.status_code == 404 and (
                response.content == missing.content
            )
        if not ok or changed:
            wrong.append((name, response.status_code, missing.status_code, changed))
    assert wrong == []
