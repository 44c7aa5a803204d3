"""Response headers: a Content-Security-Policy without inline scripts, and no copy kept by a
browser or proxy of a page or download with personal data."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import CaseFactory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates"] + [
    path for app in ("casework", "workflows", "notifications", "reports", "supervision")
    for path in [ROOT / app / "templates"] if path.exists()
]  # fmt: skip


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_scripts_from_this_site_only(login, caseworker, client):
    for response in (client.get(reverse("login")), login(caseworker).get(reverse("home"))):
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"]


def test_no_template_has_an_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if inline_script.search(text) or handler.search(text):
                found.append(str(path.relative_to(ROOT)))
    assert found == []
    assert len([p for folder in TEMPLATE_DIRS for p in folder.rglob("*.html")]) > 60


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_page_a_workbook_and_a_pdf_are_not_kept(login, supervisor, zicheng):
    CaseFactory(region=zicheng, name="钟缓存")
    client = login(supervisor)
    page = client.get(reverse("casework:case_list"))
    assert (page.status_code, no_store(page)) == (200, True)
    assert "private" in page["Cache-Control"]
    workbook = client.get(reverse("casework:ledger_export"))
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert no_store(workbook)
    pdf = client.get(reverse("casework:survey_form_blank"))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert no_store(pdf)


@pytest.mark.django_db
def test_static_files_keep_their_caching(login, supervisor):
    response = login(supervisor).get("/static/casework/casework.css")
    assert response.status_code == 200
    assert not no_store(response)
