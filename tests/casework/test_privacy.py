"""Personal numbers: masked on every page fetched by GET, shown in full only by an audited POST."""

import datetime

import pytest
from django.urls import reverse

from casework.models import (
    Case,
    Confirmation,
    Course,
    ExportLog,
    Person,
    PublicPost,
    Reconciliation,
    SurveyDraft,
)
from tests.factories import CaseFactory, region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services as workflow_services
from workflows.models import CaseTask

BORN = datetime.date(1978, 3, 12)
ID_NUMBER = "441621197803124517"  # born 1978-03-12, check character by hand
PHONE, PHONE_MASKED = "13812345678", "138****5678"
SURVEY_PHONE, SURVEY_PHONE_MASKED = "13987654321", "139****4321"
DRAFT_PHONE, DRAFT_PHONE_MASKED = "13700001111", "137****1111"
MEMBER_PHONE = "13655556666"
SECRETS = {
    "ID number": ID_NUMBER,
    "place code and birth date": ID_NUMBER[:14],
    "birth date": BORN.isoformat(),
    "roster phone": PHONE,
    "phone of a survey": SURVEY_PHONE,
    "phone of a draft": DRAFT_PHONE,
    "phone of a household member": MEMBER_PHONE,
}
ROLES = ["caseworker", "supervisor", "city", "administrator"]


@pytest.fixture
def known_case(login, caseworker, supervisor, zicheng):
    """A 紫城镇 case with a known ID number and phone, surveyed twice (the second time with a
    new phone), a re-survey open with a draft holding a newly typed phone, a household member,
    a public-welfare post it is a candidate for, a course and a reconciliation round."""
    case = CaseFactory(
        region=zicheng, name="钟秀英", id_number=ID_NUMBER, phone=PHONE, household_no="44162101"
    )
    member = CaseFactory(region=zicheng, name="钟小梅", household_no="44162101", phone=MEMBER_PHONE)
    workflow_services.case_process_start(case=member)  # its survey task waits in the queue
    workflow_services.case_process_start(case=case)
    client = login(caseworker)
    client.post(task_url(open_task(case, "survey")), survey_form(case, phone=PHONE_MASKED))
    client.post(reverse("workflows:case_resurvey", args=[case.pk]))
    response = client.post(
        task_url(open_task(case, "resurvey")), survey_form(case, phone=SURVEY_PHONE)
    )
    assert response.status_code == 302
    client.post(reverse("workflows:case_resurvey", args=[case.pk]))
    resurvey = open_task(case, "resurvey")
    client.post(task_url(resurvey, "claim"))
    draft = client.post(
        reverse("workflows:survey_draft", args=[resurvey.pk]),
        {"phone": DRAFT_PHONE, "note": "草稿"},
    )
    assert draft.json()["saved"] is True
    county = region("紫金县")
    PublicPost.objects.create(
        county=county, name="紫城镇农村保洁", post_type="cleaning", positions=5,
        employer="紫城镇人民政府", monthly_subsidy=1500, starts_on=datetime.date.today(),
        created_by=supervisor,
    )  # fmt: skip
    Course.objects.create(
        county=county, name="紫金电工班", kind="skill", trade="electrician", provider="紫金技校",
        starts_on=datetime.date.today(), ends_on=datetime.date.today(), created_by=supervisor,
    )  # fmt: skip
    Confirmation.objects.create(
        reconciliation=Reconciliation.objects.create(
            county=county, held_on=datetime.date.today(), recorded_by=supervisor
        ),
        case=case, confirmed_on=datetime.date.today(), confirmed_by=supervisor,
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


def pages_showing(case) -> list[str]:
    """Every page fetched by GET that shows the case, its tasks, its survey or its draft."""
    member = Case.objects.exclude(pk=case.pk).get(person__household_no=case.person.household_no)
    cases = reverse("casework:case_list")
    pages = [
        reverse("home"),
        cases,
        f"{cases}?q={ID_NUMBER[-4:]}",
        f"{cases}?q={ID_NUMBER[-6:]}",
        f"{cases}?q=钟秀",
        f"{cases}?q={ID_NUMBER[-7:]}",
        f"{cases}?q={ID_NUMBER}",
        f"{cases}?sort=id_number",
        case.get_absolute_url(),
        member.get_absolute_url(),
        reverse("workflows:inbox"),
        reverse("workflows:queue"),
        reverse("workflows:archive"),
        reverse("workflows:overdue"),
        reverse("workflows:team"),
        reverse("workflows:reassign"),
        reverse("needs"),
        reverse("programmes:index"),
        reverse("programmes:reconciliations"),
        reverse("programmes:reconciliation", args=[Reconciliation.objects.get().pk]),
    ]
    pages += [task_url(case_task) for case_task in CaseTask.objects.filter(case__in=[case, member])]
    for kind in ("vacancies", "events", "workshops", "posts", "courses"):
        pages.append(reverse("programmes:list", args=[kind]))
    pages.append(reverse("programmes:detail", args=["posts", PublicPost.objects.get().pk]))
    pages.append(reverse("programmes:detail", args=["courses", Course.objects.get().pk]))
    return pages


@pytest.mark.parametrize("who", ROLES)
def test_no_page_fetched_by_get_shows_a_full_number(who, request, login, known_case):
    client = login(request.getfixturevalue(who))
    case_page = client.get(known_case.get_absolute_url()).content.decode()
    assert "441621********4517" in case_page  # the sweep looks at real pages
    assert SURVEY_PHONE_MASKED in case_page
    assert f"{known_case.person.age}岁" in case_page  # the age, not the birth date
    fetched = 0
    for url in pages_showing(known_case):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 403), (url, response.status_code)
        body = response.content.decode() + str(response.redirect_chain)
        fetched += response.status_code == 200
        for what, secret in SECRETS.items():
            assert secret not in body, f"{what} on {url} for {who}"
    assert fetched >= 20


def test_the_survey_summary_and_changes_show_masked_numbers(login, caseworker, known_case):
    page = login(caseworker).get(known_case.get_absolute_url()).content.decode()
    changes = page[page.index('data-testid="survey-changes"') :]
    assert f"{PHONE_MASKED}</td><td>{SURVEY_PHONE_MASKED}" in changes


def test_a_draft_holds_no_full_number(login, caseworker, known_case):
    (draft,) = SurveyDraft.objects.all()
    assert draft.data["phone"] == DRAFT_PHONE_MASKED
    form = login(caseworker).get(task_url(open_task(known_case, "resurvey"))).context["form"]
    assert form.initial["phone"] == DRAFT_PHONE_MASKED


def reveal(client, case, what):
    return client.post(reverse("casework:case_reveal", args=[case.pk]), {"what": what})


@pytest.mark.parametrize(
    ("who", "what", "number", "kind"),
    [
        ("caseworker", "phone", PHONE, "reveal_phone"),
        ("caseworker", "id_number", ID_NUMBER, "reveal_id"),
        ("supervisor", "phone", PHONE, "reveal_phone"),
        ("supervisor", "id_number", ID_NUMBER, "reveal_id"),
    ],
)
def test_caseworker_and_supervisor_reveal_a_number_and_it_is_recorded(
    who, what, number, kind, request, login, zicheng
):
    user = request.getfixturevalue(who)
    case = CaseFactory(region=zicheng, id_number=ID_NUMBER, phone=PHONE)
    client = login(user)
    assert "data-reveal" in client.get(case.get_absolute_url()).content.decode()
    response = reveal(client, case, what)
    assert response.status_code == 200
    assert response.json()["number"] == number
    assert response["Cache-Control"] == "no-store"
    (log,) = ExportLog.objects.all()
    assert (log.actor, log.kind, log.full_id_numbers) == (user, kind, what == "id_number")
    assert str(case.pk) in log.description


@pytest.mark.parametrize("who", ["city", "administrator"])
def test_city_staff_and_administrators_see_the_case_but_cannot_reveal(who, request, login, zicheng):
    case = CaseFactory(region=zicheng, id_number=ID_NUMBER, phone=PHONE)
    client = login(request.getfixturevalue(who))
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and "data-reveal" not in page.content.decode()
    for what in ("phone", "id_number"):
        response = reveal(client, case, what)
        assert response.status_code == 403 and ID_NUMBER not in response.content.decode()
    assert not ExportLog.objects.exists()


def test_a_reveal_outside_ones_regions_is_not_found(login, caseworker, other_caseworker, zicheng):
    case = CaseFactory(region=zicheng, id_number=ID_NUMBER, phone=PHONE)
    foreign = reveal(login(other_caseworker), case, "id_number")
    missing = reveal(login(other_caseworker), Case(pk=case.pk + 1000), "id_number")
    assert foreign.status_code == missing.status_code == 404
    assert not ExportLog.objects.exists()


def test_a_reveal_is_asked_by_post_for_a_known_number(login, caseworker, zicheng):
    case = CaseFactory(region=zicheng, id_number=ID_NUMBER)  # no phone
    client = login(caseworker)
    url = reverse("casework:case_reveal", args=[case.pk])
    assert client.get(url, {"what": "id_number"}).status_code == 405
    assert reveal(client, case, "name").status_code == 400
    assert reveal(client, case, "phone").status_code == 400
    assert not ExportLog.objects.exists()
    assert Person.objects.get(pk=case.person_id).phone == ""


@pytest.fixture
def case_with_tasks(zicheng):
    """A 紫城镇 case with a known ID number and phone whose survey task waits in the queue."""
    case = CaseFactory(region=zicheng, name="钟秀英", id_number=ID_NUMBER, phone=PHONE)
    workflow_services.case_process_start(case=case)
    return case


def test_the_task_page_offers_show_and_no_page_fetched_by_get_holds_the_full_numbers(
    login, caseworker, case_with_tasks
):
    client = login(caseworker)
    survey_task = open_task(case_with_tasks, "survey")
    client.post(task_url(survey_task, "claim"))
    client.post(task_url(survey_task), survey_form(case_with_tasks, phone=PHONE_MASKED))
    pages = [case_with_tasks.get_absolute_url()] + [
        task_url(case_task) for case_task in CaseTask.objects.filter(case=case_with_tasks)
    ]
    assert len(pages) == 3  # the case, its finished survey and its open assistance task
    for url in pages:
        page = client.get(url).content.decode()
        assert "441621********4517" in page and "138****5678" in page, url
        assert 'name="what" value="phone"' in page and 'name="what" value="id_number"' in page
        assert "441621197803124517" not in page and "13812345678" not in page, url
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("who", ["city", "administrator"])
def test_the_task_page_offers_no_show_to_those_who_may_not_reveal(
    who, request, login, case_with_tasks
):
    page = login(request.getfixturevalue(who)).get(task_url(open_task(case_with_tasks)))
    assert page.status_code == 200 and "data-reveal" not in page.content.decode()


def test_without_the_script_show_answers_with_a_page_and_a_way_back(
    login, caseworker, case_with_tasks
):
    client = login(caseworker)
    back = task_url(open_task(case_with_tasks))
    response = client.post(
        reverse("casework:case_reveal", args=[case_with_tasks.pk]),
        {"what": "phone", "next": back},
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "13812345678" in page and f'href="{back}"' in page
    assert ExportLog.objects.get().kind == "reveal_phone"
    elsewhere = client.post(
        reverse("casework:case_reveal", args=[case_with_tasks.pk]),
        {"what": "id_number", "next": "https://evil.example/"},
        HTTP_ACCEPT="text/html",
    )
    assert "https://evil.example/" not in elsewhere.content.decode()
    assert f'href="{case_with_tasks.get_absolute_url()}"' in elsewhere.content.decode()


def test_the_admin_lists_each_reveal_who_whose_and_when_filtered_by_kind(
    login, caseworker, administrator, case_with_tasks
):
    client = login(caseworker)
    reveal(client, case_with_tasks, "phone")
    reveal(client, case_with_tasks, "id_number")
    admin = login(administrator)
    listed = admin.get("/admin/casework/exportlog/?kind=reveal_phone").content.decode()
    assert "查看完整联系电话" in listed and f"case #{case_with_tasks.pk} 钟秀英" in listed
    assert "cw_zijin" in listed and "查看完整身份证号码" in listed  # offered by the filter
    assert listed.count(f"case #{case_with_tasks.pk} 钟秀英") == 1
    both = admin.get("/admin/casework/exportlog/").content.decode()
    assert both.count(f"case #{case_with_tasks.pk} 钟秀英") == 2
