"""Messages come from the history's events once they commit: one per named user and one per
county, none from a change that rolled back, and never a full ID or phone number."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework import history
from casework.models import CaseEvent, CountyContact, Role
from notifications.delivery import notifications_deliver
from notifications.models import CountyMessage, Delivery, Notification
from notifications.services import notifications_for_event
from tests.factories import CaseFactory, region, staff

ID_NUMBER = "441622197803124513"
PHONE = "13912345678"
OTHER_ID = "441621198507150029"


@pytest.fixture
def case(zicheng):
    return CaseFactory(region=zicheng, name="钟秀英", id_number=ID_NUMBER, phone=PHONE)


def test_an_event_naming_users_and_a_county_makes_their_messages(
    zijin_robot, worker, supervisor, case, notify
):
    notify(case, users=[worker, supervisor], county=case.county, note="逾期提醒")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "cw_notified", "sup_zijin",
    }  # fmt: skip
    assert CountyMessage.objects.get().county == case.county
    # the supervisor has no e-mail address: the centre only; the caseworker's mail; the robot
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "wecom"]


def test_an_event_without_notify_makes_no_message(worker, case, notify):
    notify(case, note="普通记录")
    assert Notification.objects.count() == 0


def test_a_change_rolled_back_sends_nothing(
    zijin_robot, worker, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                history.case_event_record(
                    case=case, kind=CaseEvent.Kind.ASSISTANCE,
                    data={"note": "撤销的", "notify": [worker.pk], "notify_county": case.county_id},
                )  # fmt: skip
                raise RuntimeError("the change fails after the event was written")
        except RuntimeError:
            pass
    assert callbacks == []
    assert Notification.objects.count() == CountyMessage.objects.count() == 0
    assert notifications_deliver(now=timezone.now()) == 0
    assert zijin_robot.requests == []


def test_making_the_messages_twice_makes_nothing_more(worker, case, notify):
    event = notify(case, users=[worker], note="提醒")
    notifications_for_event(event=event)
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_no_message_carries_a_full_id_or_phone_number(
    zijin_robot, smtp, worker, case, notify, client
):
    # an ID correction names both numbers; a note may hold a phone or another ID typed in
    notify(case, users=[worker], county=case.county, kind=CaseEvent.Kind.ID_CORRECTED,
           old=OTHER_ID, new=ID_NUMBER)  # fmt: skip
    note = f"本人电话 {PHONE}，家属 13800001111，村委 0762-7654321，旧证 {OTHER_ID}"
    notify(case, users=[worker], county=case.county, note=note)
    assert notifications_deliver(now=timezone.now()) == 4

    client.force_login(worker)
    centre = client.get(reverse("notifications:centre")).content.decode()
    stored = [f"{d.subject} {d.body}" for d in Delivery.objects.all()]
    sent = zijin_robot.contents() + [envelope.content.decode() for envelope in smtp.envelopes]
    for text in [centre, *stored, *sent]:
        for number in (ID_NUMBER, OTHER_ID, PHONE, "13800001111", "0762-7654321", "7654321"):
            assert number not in text
    # masked, the way the rest of the site shows them
    assert "441622********4513" in centre and "139****5678" in centre
    assert any("441622********4513" in text for text in sent)


def test_an_inactive_user_gets_no_message(worker, case, notify):
    gone = staff("cw_left", Role.CASEWORKER, "紫金县/紫城镇")
    gone.is_active = False
    gone.save()
    notify(case, users=[worker, gone], note="提醒")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [worker.pk]


def test_a_county_message_is_mailed_to_the_countys_contacts_together(case, notify, mailoutbox):
    CountyContact.objects.create(
        county=case.county, role="leader", name="刘局长", email="liu@zijin.example.cn"
    )
    CountyContact.objects.create(
        county=case.county, role="liaison", name="陈联络", email="chen@zijin.example.cn"
    )
    other = CountyContact.objects.create(
        county=region("龙川县"), role="liaison", name="别县", email="x@longchuan.example.cn"
    )
    notify(case, county=case.county, note="县区通报")
    assert notifications_deliver(now=timezone.now()) == 1
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["chen@zijin.example.cn", "liu@zijin.example.cn"]
    assert other.email not in mailoutbox[0].to
    assert ID_NUMBER not in mailoutbox[0].body and PHONE not in mailoutbox[0].body
    assert notifications_deliver(now=timezone.now()) == 0  # acknowledged: never again
