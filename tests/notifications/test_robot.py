"""A county's WeCom group robot: each message acknowledged once, retried after a failure, a
burst merged into at most 20 messages a minute, none lost."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from notifications import channels
from notifications.channels import robot_post
from notifications.delivery import LEASE, deliveries_claim, notifications_deliver
from notifications.models import Channel, CountyMessage, Delivery, DeliveryAttempt
from tests.factories import CaseFactory

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def case(zicheng):
    return CaseFactory(region=zicheng, name="钟秀英")


def test_a_county_message_reaches_its_robot_once(zijin_robot, case, notify):
    notify(case, county=case.county, note="已联系本人")
    now = timezone.now()

    assert notifications_deliver(now=now) == 1
    (request,) = zijin_robot.requests
    assert request["msgtype"] == "markdown"
    content = request["markdown"]["content"]
    assert "钟秀英" in content and "已联系本人" in content
    message = CountyMessage.objects.get()
    assert f"编号 {message.uid.hex[:12]}" in content  # the short ref, to drop duplicates by

    # acknowledged: never sent again, however often the runner comes by
    assert notifications_deliver(now=now + MINUTE) == 0
    assert notifications_deliver(now=now + datetime.timedelta(days=1)) == 0
    assert len(zijin_robot.requests) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == "sent" and delivery.attempts == 1
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == ["acknowledged"]


@pytest.mark.parametrize(
    "answer, error",
    [
        ((500, "internal error", 0), "HTTP 500"),
        ((200, '{"errcode":45009,"errmsg":"api freq out of limit"}', 0), "errcode 45009"),
    ],
)
def test_a_refused_message_is_tried_again_after_a_pause(zijin_robot, case, notify, answer, error):
    zijin_robot.answers.append(answer)
    notify(case, county=case.county, note="请跟进")
    now = timezone.now()

    assert notifications_deliver(now=now) == 0
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.attempt_log.get().error == error
    # not again before the pause is over
    assert notifications_deliver(now=now + datetime.timedelta(seconds=30)) == 0
    assert len(zijin_robot.requests) == 1

    assert notifications_deliver(now=now + 2 * MINUTE) == 1
    assert len(zijin_robot.requests) == 2
    # the same message both times, with the same ref
    assert zijin_robot.requests[0] == zijin_robot.requests[1]
    assert list(DeliveryAttempt.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "failed",
        "acknowledged",
    ]
    assert notifications_deliver(now=now + 10 * MINUTE) == 0
    assert len(zijin_robot.requests) == 2


def test_a_robot_that_does_not_answer_in_time_is_tried_again(
    zijin_robot, case, notify, monkeypatch
):
    monkeypatch.setattr(channels, "WEBHOOK_TIMEOUT", 0.3)
    zijin_robot.answers.append((200, '{"errcode":0,"errmsg":"ok"}', 1.0))
    notify(case, county=case.county, note="请跟进")
    now = timezone.now()

    assert notifications_deliver(now=now) == 0
    assert Delivery.objects.get().attempt_log.get().outcome == "timeout"
    assert notifications_deliver(now=now + 2 * MINUTE) == 1
    assert Delivery.objects.get().status == "sent"


def test_a_burst_is_merged_into_at_most_20_messages_a_minute_and_none_is_lost(
    zijin_robot, case, notify
):
    start = timezone.now()
    # 25 events within a minute, the runner coming by after each
    for n in range(25):
        notify(case, county=case.county, note=f"第{n + 1}条提醒")
        notifications_deliver(now=start + datetime.timedelta(seconds=2 * n))
    assert len(zijin_robot.requests) <= 20
    # the next minute, what waited goes out merged
    notifications_deliver(now=start + 2 * MINUTE)
    assert len(zijin_robot.requests) <= 21
    received = "\n".join(zijin_robot.contents())
    for message in CountyMessage.objects.all():
        assert message.uid.hex[:12] in received
    for n in range(25):
        assert f"第{n + 1}条提醒" in received
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_many_messages_waiting_go_out_together(zijin_robot, case, notify):
    for n in range(25):
        notify(case, county=case.county, note=f"第{n + 1}条提醒")
    assert notifications_deliver(now=timezone.now()) == 25
    assert 1 <= len(zijin_robot.requests) <= 2
    for content in zijin_robot.contents():
        assert len(content.encode()) <= 4096


def test_a_run_that_died_sending_leaves_the_message_due_after_its_lease(zijin_robot, case, notify):
    notify(case, county=case.county, note="请跟进")
    now = timezone.now()
    assert len(deliveries_claim(now=now, channel=Channel.WECOM)) == 1  # then the run died
    assert notifications_deliver(now=now + MINUTE) == 0  # its lease still holds
    assert zijin_robot.requests == []
    assert notifications_deliver(now=now + LEASE + MINUTE) == 1
    assert len(zijin_robot.requests) == 1


def test_a_county_without_a_robot_gets_its_message_in_no_channel(case, notify):
    notify(case, county=case.county, note="请跟进")
    assert CountyMessage.objects.count() == 1
    assert Delivery.objects.count() == 0


def test_a_message_refused_twelve_times_is_given_up_and_kept_for_the_record(
    zijin_robot, case, notify
):
    zijin_robot.answers.extend([(500, "down", 0)] * 20)
    notify(case, county=case.county, note="请跟进")
    now = timezone.now()
    for n in range(14):
        notifications_deliver(now=now + n * datetime.timedelta(hours=7))
    assert len(zijin_robot.requests) == 12
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.attempt_log.count() == 12


def test_a_robot_address_that_redirects_is_a_failure_not_followed(robot):
    hits = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", robot.url)  # elsewhere: here, the recording robot
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        outcome = robot_post(url=f"http://127.0.0.1:{server.server_port}/send", content="x")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == ["/send"]
    assert not outcome.acknowledged and outcome.error == "HTTP 307"
    assert robot.requests == []  # the redirect was not followed


def test_what_people_typed_makes_no_link_or_tag_in_the_robots_message(zijin_robot, zicheng, notify):
    case = CaseFactory(region=zicheng, name="钟[点此](http://evil.example/x)")
    notify(case, county=case.county, note='<font color="warning">紧急</font> **加急**')
    assert notifications_deliver(now=timezone.now()) == 1
    (content,) = zijin_robot.contents()
    assert "[点此]" not in content and "](http" not in content
    assert '<font color="warning">' not in content and "**加急**" not in content
    assert "钟［点此］（http://evil.example/x）" in content
    assert content.endswith("</font>")  # the ref's own tag stays
