"""The periodic runner delivers the messages: `run_periodic --json` counts what it sent, and
two runners at once (PostgreSQL) send each message once."""

import importlib
import json
import threading
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from casework import history
from casework.models import CaseEvent
from notifications.delivery import notifications_deliver
from notifications.models import CountyChannel, CountyMessage, Delivery
from tests.factories import CaseFactory, region


def test_run_periodic_counts_the_deliveries_it_made(zijin_robot, zicheng, notify):
    case = CaseFactory(region=zicheng, name="钟秀英")
    for n in range(3):
        notify(case, county=case.county, note=f"提醒{n}")
    out = StringIO()
    call_command("run_periodic", "--json", "--now", timezone.now().isoformat(), stdout=out)
    assert json.loads(out.getvalue())["notifications_sent"] == 3
    out = StringIO()
    call_command("run_periodic", "--json", stdout=out)
    assert json.loads(out.getvalue())["notifications_sent"] == 0
    assert len(zijin_robot.requests) == 1  # the three merged into one message


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_runners_at_once_send_each_message_once(robot):
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)
    village = region("紫金县/紫城镇/新联村")
    CountyChannel.objects.create(county=village.county, wecom_webhook=robot.url)
    case = CaseFactory(region=village, name="钟秀英")
    for n in range(30):  # committed at once (autocommit): the messages are made
        history.case_event_record(
            case=case, kind=CaseEvent.Kind.ASSISTANCE,
            data={"note": f"提醒{n}", "notify_county": village.county_id},
        )  # fmt: skip
    assert Delivery.objects.count() == 30
    now = timezone.now()
    barrier = threading.Barrier(2)
    sent = []

    def run():
        try:
            barrier.wait()
            sent.append(notifications_deliver(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 30
    received = "\n".join(robot.contents())
    for message in CountyMessage.objects.all():
        assert received.count(message.uid.hex[:12]) == 1
