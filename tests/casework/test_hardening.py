"""Small holes closed: local redirects only, drafts and log lines without full numbers, a
double-submitted record recorded once."""

import logging
import logging.config
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from casework.models import Benefit, Outreach, SurveyDraft
from tests.factories import CaseFactory
from workflows import services as workflow
from workflows.models import CaseTask

HOSTILE = [
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
    " https://evil.example/",
]


@pytest.fixture
def survey_task(zicheng):
    case = CaseFactory(region=zicheng)
    workflow.case_process_start(case=case)
    return CaseTask.objects.get(case=case, kind="survey")


@pytest.mark.parametrize("after", HOSTILE)
def test_a_task_action_goes_back_only_to_this_site(login, caseworker, survey_task, after):
    response = login(caseworker).post(
        reverse("workflows:task_claim", args=[survey_task.pk]), {"next": after}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{survey_task.pk}/"


@pytest.mark.parametrize("after", HOSTILE)
def test_a_reveal_links_back_only_to_this_site(login, caseworker, zijin_case, after):
    response = login(caseworker).post(
        reverse("casework:case_reveal", args=[zijin_case.pk]),
        {"what": "id_number", "next": after},
        HTTP_ACCEPT="text/html",
    )
    page = response.content.decode()
    assert "evil.example" not in page and "javascript:" not in page
    assert f'href="/cases/{zijin_case.pk}/"' in page


def test_a_draft_keeps_no_id_or_mobile_number_typed_anywhere(login, caseworker, survey_task):
    client = login(caseworker)
    client.post(reverse("workflows:task_claim", args=[survey_task.pk]))
    response = client.post(
        reverse("workflows:survey_draft", args=[survey_task.pk]),
        {
            "phone": "13912345678",
            "employment_status": "migrant",
            "employer_post": "同乡 441621198507150029 介绍",
            "note": ["电话 13500001111", "二"],
        },
    )
    assert response.json()["saved"] is True
    kept = SurveyDraft.objects.get(case=survey_task.case).data
    assert kept["phone"] == "139****5678"
    assert kept["employer_post"] == "同乡 441621********0029 介绍"
    assert "13500001111" not in str(kept) and "135****1111" in str(kept)


def test_log_lines_mask_numbers_in_messages_and_tracebacks(capsys):
    logging.config.dictConfig(settings.LOGGING)
    logger = logging.getLogger("casework.test")
    try:
        raise ValueError("row 3: 441621198507150029 / 13812345678")
    except ValueError:
        logger.exception("import of %s failed", "11010519491231002X")
    written = capsys.readouterr().err
    assert "441621198507150029" not in written and "13812345678" not in written
    assert "11010519491231002X" not in written
    assert "441621********0029" in written and "138****5678" in written
    assert "110105********002X" in written and "Traceback" in written


def outreach(client, case, submission, note="宣讲"):
    on = timezone.localdate().isoformat()
    data = {"on": on, "note": note, "submission": submission}
    return client.post(reverse("casework:case_outreach", args=[case.pk]), data)


def test_the_same_outreach_form_sent_twice_is_recorded_once(login, caseworker, zijin_case):
    client = login(caseworker)
    page = client.get(zijin_case.get_absolute_url()).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    assert uuid.UUID(token)
    assert outreach(client, zijin_case, token).status_code == 302
    assert outreach(client, zijin_case, token).status_code == 302
    assert Outreach.objects.filter(case=zijin_case).count() == 1
    # the page shown again gives a new token: a second outreach is recorded
    outreach(client, zijin_case, str(uuid.uuid4()), note="再次宣讲")
    assert Outreach.objects.filter(case=zijin_case).count() == 2


def test_the_same_benefit_form_sent_twice_is_recorded_once(login, caseworker, zijin_case):
    client = login(caseworker)
    token = str(uuid.uuid4())
    data = {"kind": "transport", "on": timezone.localdate().isoformat(), "amount": "200",
            "submission": token}  # fmt: skip
    for _ in range(3):
        client.post(reverse("casework:case_benefit", args=[zijin_case.pk]), data)
    assert Benefit.objects.filter(case=zijin_case).count() == 1
    # a form without a token (an older page) still records
    data.pop("submission")
    client.post(reverse("casework:case_benefit", args=[zijin_case.pk]), data)
    assert Benefit.objects.filter(case=zijin_case).count() == 2


def test_a_query_string_can_neither_break_nor_unbound_a_list_page(
    login, supervisor, zicheng, monkeypatch
):
    from casework import paging

    for n in range(3):
        CaseFactory(region=zicheng, name=f"分页{n}")
    monkeypatch.setattr(paging, "MAX_PER_PAGE", 2)
    client = login(supervisor)
    for per_page, shown in (("-1", 1), ("0", 2), ("1000000000", 2), ("1", 1), ("x", 2)):
        response = client.get("/cases/", {"per_page": per_page})
        assert response.status_code == 200, per_page
        rows = response.content.decode().count("分页")
        assert rows == shown, (per_page, rows)
    # a page past the end shows the last one (3 cases, 2 a page: one on the last)
    last = client.get("/cases/", {"page": "99"})
    assert last.status_code == 200 and last.content.decode().count("分页") == 1
