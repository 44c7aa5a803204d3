"""The notification centre: the bell's count, the list, read marks, one's own messages only;
preferences; the counties' robots set by the city."""

import pytest
from django.urls import reverse

from casework.models import Role
from notifications.models import CountyChannel, Notification, Preference
from tests.factories import CaseFactory, staff


@pytest.fixture
def case(zicheng):
    return CaseFactory(region=zicheng, name="钟秀英")


def bell_count(page: str) -> str | None:
    marker = 'data-testid="bell-count">'
    start = page.find(marker)
    return None if start < 0 else page[start + len(marker) : page.index("<", start)]


def test_the_bell_counts_unread_and_the_centre_marks_them_read(client, worker, case, notify):
    notify(case, users=[worker], note="第一条提醒")
    notify(case, users=[worker], note="第二条提醒")
    client.force_login(worker)
    home = client.get(reverse("home")).content.decode()
    assert bell_count(home) == "2"

    centre = client.get(reverse("notifications:centre")).content.decode()
    assert "第一条提醒" in centre and "第二条提醒" in centre
    assert case.get_absolute_url() in centre  # the caseworker may open the case

    first = Notification.objects.get(event__data__note="第一条提醒")
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    assert bell_count(client.get(reverse("home")).content.decode()) == "1"

    client.post(reverse("notifications:read_all"))
    assert bell_count(client.get(reverse("home")).content.decode()) is None
    assert Notification.objects.filter(read_at=None).count() == 0


def test_the_centre_in_english(client, worker, case, notify):
    notify(case, users=[worker], note="提醒")
    client.force_login(worker)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "Recorded help" in page and "Mark all as read" in page and "(case #" in page


def test_another_users_notification_answers_404_and_stays_unread(
    client, worker, supervisor, case, notify
):
    notify(case, users=[supervisor], note="主管的提醒")
    theirs = Notification.objects.get()
    client.force_login(worker)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk + 1000])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "主管的提醒" not in client.get(reverse("notifications:centre")).content.decode()


def test_a_case_outside_the_readers_regions_is_not_linked(client, case, notify):
    elsewhere = staff("cw_longchuan", Role.CASEWORKER, "龙川县/老隆镇")
    notify(case, users=[elsewhere], note="转来的提醒")
    client.force_login(elsewhere)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "转来的提醒" in page
    assert case.get_absolute_url() not in page


@pytest.mark.parametrize("rows", [1, 30])
def test_the_centre_pins_its_queries(
    client, worker, case, notify, rows, django_assert_max_num_queries
):
    for n in range(rows):
        notify(case, users=[worker], note=f"提醒{n}")
    client.force_login(worker)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:centre")).status_code == 200


def test_a_user_chooses_a_daily_digest_in_english(client, worker):
    client.force_login(worker)
    assert client.get(reverse("notifications:preferences")).status_code == 200
    response = client.post(
        reverse("notifications:preferences"),
        {"email": "on", "frequency": "daily", "language": "en"},
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=worker)
    assert (preference.email, preference.frequency, preference.language) == (True, "daily", "en")


def test_a_bad_choice_is_refused_with_a_message(client, worker):
    client.force_login(worker)
    response = client.post(reverse("notifications:preferences"), {"frequency": "hourly"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Preference.objects.exists()


def test_only_the_city_sets_a_countys_robot(client, city, supervisor, zicheng):
    url = reverse("notifications:channels")
    data = {
        "county": zicheng.county_id,
        "wecom_webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
    }
    client.force_login(supervisor)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert not CountyChannel.objects.exists()
    client.force_login(city)
    assert client.post(url, data).status_code == 302
    assert CountyChannel.objects.get().wecom_webhook == data["wecom_webhook"]
    assert data["wecom_webhook"] in client.get(url).content.decode()
    bad = client.post(url, {"county": zicheng.county_id, "wecom_webhook": "not a url"})
    assert bad.status_code == 200 and "输入一个有效的 URL" in bad.content.decode()
    assert CountyChannel.objects.get().wecom_webhook == data["wecom_webhook"]


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9931/internal-admin?key=abc",
        "http://169.254.169.254/latest/meta-data/",
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
        "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=1",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",
    ],
)
def test_a_robot_address_that_is_not_wecoms_is_refused(client, city, zicheng, address):
    client.force_login(city)
    url = reverse("notifications:channels")
    response = client.post(url, {"county": zicheng.county_id, "wecom_webhook": address})
    assert response.status_code == 200
    assert "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" in response.content.decode()
    assert not CountyChannel.objects.exists()


def test_an_administrator_sets_a_robot_in_the_admin_too(client, administrator, caseworker, zicheng):
    url = reverse("admin:notifications_countychannel_add")
    client.force_login(caseworker)
    assert client.get(url).status_code == 302  # to the admin's login: not staff
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.post(
        url,
        {
            "county": zicheng.county_id,
            "wecom_webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=2",
        },
    )
    assert response.status_code == 302
    assert (
        CountyChannel.objects.get().wecom_webhook
        == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=2"
    )
