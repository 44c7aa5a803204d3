"""E-mail through a real SMTP server on localhost: each message once with its stable id,
tried again after a refusal; the daily digest at 08:00 Asia/Shanghai, once a day."""

import datetime
import email
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from notifications.delivery import notifications_deliver
from notifications.models import Delivery, Digest, Notification, Preference
from tests.factories import CaseFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def case(zicheng):
    return CaseFactory(region=zicheng, name="钟秀英")


def received(mailbox) -> list[email.message.Message]:
    return [email.message_from_bytes(envelope.content) for envelope in mailbox.envelopes]


def text_of(message) -> str:
    return message.get_payload(decode=True).decode()


def test_an_immediate_message_is_mailed_once_with_its_id(smtp, worker, case, notify):
    notify(case, users=[worker], note="已联系本人")
    notification = Notification.objects.get(recipient=worker)

    assert notifications_deliver(now=timezone.now()) == 1
    (mail,) = received(smtp)
    assert mail["To"] == "cw@example.org"
    assert mail["Message-ID"] == f"<{notification.uid}@casework>"
    assert mail["X-Casework-Message-Id"] == str(notification.uid)
    subject = email.header.make_header(email.header.decode_header(mail["Subject"]))
    assert str(subject) == "【就业扶贫个案管理系统】记录了帮扶措施"
    body = text_of(mail)
    assert "钟秀英" in body and "已联系本人" in body and str(notification.uid) in body

    assert notifications_deliver(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(smtp.envelopes) == 1


def test_a_refused_mail_is_sent_again_after_a_pause(smtp, worker, case, notify):
    smtp.refuse = 1
    notify(case, users=[worker], note="请跟进")
    now = timezone.now()
    assert notifications_deliver(now=now) == 0
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1 and delivery.status == "pending"
    assert "451" in delivery.attempt_log.get().error
    assert notifications_deliver(now=now + datetime.timedelta(minutes=2)) == 1
    assert len(smtp.envelopes) == 1


def test_a_user_who_reads_english_gets_english_mail(smtp, worker, case, notify):
    Preference.objects.create(user=worker, language="en")
    notify(case, users=[worker], note="请跟进")
    notifications_deliver(now=timezone.now())
    (mail,) = received(smtp)
    assert mail["Subject"] == "[Casework] Recorded help"
    assert "钟秀英 (case #" in text_of(mail)


def test_no_mail_without_an_address_or_when_declined(smtp, worker, case, notify):
    Preference.objects.create(user=worker, email=False)
    notify(case, users=[worker], note="请跟进")
    assert Notification.objects.filter(recipient=worker).count() == 1
    assert notifications_deliver(now=timezone.now()) == 0
    assert smtp.envelopes == []


def test_a_daily_digest_lists_the_days_messages_at_eight_once(smtp, worker, case, notify):
    Preference.objects.create(user=worker, frequency="daily")
    with time_machine.travel(datetime.datetime(2026, 11, 26, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert notifications_deliver(now=timezone.now()) == 0  # the day's, with nothing in it
    with time_machine.travel(datetime.datetime(2026, 11, 26, 15, 0, tzinfo=SHANGHAI), tick=False):
        notify(case, users=[worker], note="第一条")
        notify(case, users=[worker], note="第二条")
        assert notifications_deliver(now=timezone.now()) == 0  # no mail at once
    with time_machine.travel(datetime.datetime(2026, 11, 27, 7, 59, tzinfo=SHANGHAI), tick=False):
        assert notifications_deliver(now=timezone.now()) == 0
    with time_machine.travel(datetime.datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert notifications_deliver(now=timezone.now()) == 1
        (mail,) = received(smtp)
        digest = Digest.objects.get(day=datetime.date(2026, 11, 27))
        assert mail["Message-ID"] == f"<{digest.uid}@casework>"
        body = text_of(mail)
        assert "第一条" in body and "第二条" in body
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI), tick=False):
        notify(case, users=[worker], note="第三条")
        assert notifications_deliver(now=timezone.now()) == 0  # once a day
    with time_machine.travel(datetime.datetime(2026, 11, 28, 8, 5, tzinfo=SHANGHAI), tick=False):
        assert notifications_deliver(now=timezone.now()) == 1
        body = text_of(received(smtp)[1])
        assert "第三条" in body and "第一条" not in body
    assert Digest.objects.count() == 3


def test_a_digest_leaves_out_what_was_read(smtp, worker, case, notify):
    Preference.objects.create(user=worker, frequency="daily")
    with time_machine.travel(datetime.datetime(2026, 11, 26, 15, 0, tzinfo=SHANGHAI), tick=False):
        notify(case, users=[worker], note="已读的")
        Notification.objects.update(read_at=timezone.now())
    with time_machine.travel(datetime.datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert notifications_deliver(now=timezone.now()) == 0
    assert smtp.envelopes == []
    assert Digest.objects.count() == 1  # the day is done all the same


def test_a_digest_leaves_out_what_was_mailed_before_the_user_chose_it(smtp, worker, case, notify):
    with time_machine.travel(datetime.datetime(2026, 11, 26, 15, 0, tzinfo=SHANGHAI), tick=False):
        notify(case, users=[worker], note="即时发过的")
        assert notifications_deliver(now=timezone.now()) == 1
        Preference.objects.create(user=worker, frequency="daily")
    with time_machine.travel(datetime.datetime(2026, 11, 26, 16, 0, tzinfo=SHANGHAI), tick=False):
        notify(case, users=[worker], note="汇总里的")
    with time_machine.travel(datetime.datetime(2026, 11, 27, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert notifications_deliver(now=timezone.now()) == 1
    body = text_of(received(smtp)[1])
    assert "汇总里的" in body and "即时发过的" not in body
