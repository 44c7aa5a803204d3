"""A complete roster that would flag more than a fifth of the county's open cases as having
left the list asks for a confirmation first; below that, it imports as before."""

import pytest
from django.urls import reverse

from casework.models import LeftListCandidate, RosterImport
from casework.roster import roster_import
from tests.rosters import person, write_xlsx


@pytest.fixture
def ten_open_cases(db, tmp_path, supervisor):
    """紫金县 with 10 open cases, registered by a first roster."""
    path = write_xlsx(tmp_path / "紫金县名单.xlsx", [person(n) for n in range(1, 11)])
    roster_import(path=path, actor=supervisor, county=None)


def upload_complete(client, path) -> RosterImport:
    with open(path, "rb") as handle:
        client.post(reverse("casework:import_upload"), {"file": handle, "complete": "on"})
    return RosterImport.objects.latest("pk")


def test_a_roster_omitting_3_of_10_asks_for_confirmation(
    login, supervisor, ten_open_cases, tmp_path
):
    client = login(supervisor)
    record = upload_complete(
        client, write_xlsx(tmp_path / "少3人.xlsx", [person(n) for n in range(1, 8)])
    )
    assert (record.status, record.left_list) == ("preview", 3)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "这份完整名单中没有本县的 3 个未办结个案（共 10 个，占 30%）" in page
    assert 'name="left_list_confirmed"' in page

    refused = client.post(reverse("casework:import_confirm", args=[record.pk]), follow=True)
    assert [str(m) for m in refused.context["messages"]] == [
        "这份名单会把本县 10 个未办结个案中的 3 个（30%）列为疑似退出名单人员：请先勾选确认。"
    ]
    record.refresh_from_db()
    assert record.status == "preview" and not LeftListCandidate.objects.exists()

    client.post(reverse("casework:import_confirm", args=[record.pk]),
                {"left_list_confirmed": "yes"})  # fmt: skip
    record.refresh_from_db()
    assert record.status == "done"
    assert LeftListCandidate.objects.count() == 3


def test_a_roster_omitting_1_of_10_imports_without_an_extra_step(
    login, supervisor, ten_open_cases, tmp_path
):
    client = login(supervisor)
    record = upload_complete(
        client, write_xlsx(tmp_path / "少1人.xlsx", [person(n) for n in range(1, 10)])
    )
    assert record.left_list == 1
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'name="left_list_confirmed"' not in page
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "done"
    assert LeftListCandidate.objects.count() == 1


def test_the_share_is_a_setting(login, supervisor, ten_open_cases, tmp_path, settings):
    settings.CASEWORK_LEFT_LIST_CONFIRM_SHARE = 0.05
    client = login(supervisor)
    record = upload_complete(
        client, write_xlsx(tmp_path / "少1人.xlsx", [person(n) for n in range(1, 10)])
    )
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "preview"
