"""A caseworker sees the bell count a reminder, reads it in the centre in Chinese and English,
and marks it read."""

import pytest

from casework import history
from casework.models import CaseEvent
from tests.e2e.conftest import log_in
from tests.factories import CaseFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_bell_leads_to_the_reminder_and_marking_it_read_silences_it(page, live_server, demo):
    me = demo["cw_zijin"]
    case = CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟提醒")
    for note in ("请本周内回访", "请核实就业情况"):  # committed at once: the messages are made
        history.case_event_record(
            case=case, kind=CaseEvent.Kind.ASSISTANCE, data={"note": note, "notify": [me.pk]}
        )
    log_in(page, live_server, "cw_zijin")

    assert page.locator("[data-testid=bell-count]").inner_text() == "2"
    page.click("[data-testid=bell]")
    rows = page.locator("[data-testid=notification]")
    assert rows.count() == 2
    assert "记录了帮扶措施" in rows.first.inner_text()
    assert "钟提醒" in page.inner_text("table.notifications")

    page.click("[data-testid=lang-en]")
    assert "Recorded help" in page.locator("[data-testid=notification]").first.inner_text()
    page.locator("[data-testid=read]").first.click()
    assert page.locator("[data-testid=bell-count]").inner_text() == "1"
    page.click("[data-testid=read-all]")
    assert page.locator("[data-testid=bell-count]").count() == 0

    page.locator("table.notifications a").first.click()  # the case it is about
    assert "钟提醒" in page.inner_text("h1")
