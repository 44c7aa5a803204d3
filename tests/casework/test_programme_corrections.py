"""A supervisor corrects a programme: edits it within what its placements allow, closes it (it
takes nobody new, keeps everything), and each change is logged; its page shows its own date,
place and employer; a course not started offers no completion (issue 11, item 8)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework.models import Course, Enrolment, Placement, ProgrammeChange, PublicPost, Role
from tests.casework.test_programme_rules import said, surveyed
from tests.factories import region, staff

D = datetime.date


def post_form(**changes) -> dict:
    form = {"name": "紫城镇保洁员", "post_type": "cleaning", "positions": "3",
            "employer": "紫城镇人民政府", "monthly_subsidy": "1500", "starts_on": "2026-10-01",
            "ends_on": "2026-12-31"}  # fmt: skip
    return {**form, **changes}


def cleaning_posts(supervisor) -> PublicPost:
    return PublicPost.objects.create(
        county=region("紫金县"), name="紫城镇保洁员", post_type="cleaning", positions=3,
        employer="紫城镇人民政府", monthly_subsidy=1500, starts_on=D(2026, 10, 1),
        ends_on=D(2026, 12, 31), created_by=supervisor,
    )  # fmt: skip


def place_two(login, caseworker, supervisor, post, zicheng):
    """Two laborers placed in the posts on 10-10 and 10-20."""
    worker = login(caseworker)
    first = surveyed(worker, zicheng, "钟秀英")
    second = surveyed(worker, zicheng, "黄志明")
    page = reverse("programmes:detail", args=["posts", post.pk])
    boss = login(supervisor)
    boss.post(page, {"on": "2026-10-10", "case": [first.pk]})
    boss.post(page, {"on": "2026-10-20", "case": [second.pk]})
    assert Placement.objects.filter(public_post=post).count() == 2


def test_the_page_shows_the_programmes_own_date_place_and_employer(login, supervisor):
    post = cleaning_posts(supervisor)
    page = login(supervisor).get(reverse("programmes:detail", args=["posts", post.pk]))
    facts = page.content.decode()
    for text in ("紫城镇人民政府", "2026-10-01", "2026-12-31", "农村保洁", "1500.00"):
        assert text in facts


def test_an_edit_is_saved_and_logged_with_who_and_what(login, supervisor):
    post = cleaning_posts(supervisor)
    client = login(supervisor)
    response = client.post(
        reverse("programmes:edit", args=["posts", post.pk]),
        post_form(employer="紫金县紫城镇人民政府", positions="5"), follow=True,
    )  # fmt: skip
    assert said(response) == ["已保存。"]
    post.refresh_from_db()
    assert (post.employer, post.positions) == ("紫金县紫城镇人民政府", 5)
    assert post.county.name == "紫金县"
    change = ProgrammeChange.objects.get()
    assert (change.kind, change.actor) == ("edited", supervisor)
    assert change.data == {"changes": [
        {"field": "positions", "from": 3, "to": 5},
        {"field": "employer", "from": "紫城镇人民政府", "to": "紫金县紫城镇人民政府"},
    ]}  # fmt: skip
    page = response.content.decode()
    assert (
        "sup_zijin · 修改了项目: 岗位数 3 → 5; 就业单位 紫城镇人民政府 → 紫金县紫城镇人民政府"
    ) in page


def test_an_edit_cannot_leave_placements_outside_the_posts(login, caseworker, supervisor, zicheng):
    post = cleaning_posts(supervisor)
    place_two(login, caseworker, supervisor, post, zicheng)
    client = login(supervisor)
    edit = reverse("programmes:edit", args=["posts", post.pk])
    refused = client.post(edit, post_form(positions="1", starts_on="2026-10-15",
                                          ends_on="2026-10-19"))  # fmt: skip
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "目前有 2 名劳动力在岗：岗位数不能少于此数。" in page
    assert "已有劳动力于 2026-10-10 经此安置就业：开始日期不能晚于该日。" in page
    assert "已有劳动力于 2026-10-20 安置到这些岗位：结束日期不能早于该日。" in page
    post.refresh_from_db()
    assert (post.positions, post.starts_on, post.ends_on) == (3, D(2026, 10, 1), D(2026, 12, 31))
    assert not ProgrammeChange.objects.exists()
    # exactly the two taken, and the period still holding both placements, is allowed
    client.post(edit, post_form(positions="2", starts_on="2026-10-10", ends_on="2026-10-20"))
    post.refresh_from_db()
    assert (post.positions, post.starts_on, post.ends_on) == (2, D(2026, 10, 10), D(2026, 10, 20))


def test_a_closed_programme_takes_nobody_new_and_keeps_its_placements(
    login, caseworker, supervisor, zicheng
):
    post = cleaning_posts(supervisor)
    place_two(login, caseworker, supervisor, post, zicheng)
    third = surveyed(login(caseworker), zicheng, "刘春梅")
    client = login(supervisor)
    closed = client.post(reverse("programmes:close", args=["posts", post.pk]), follow=True)
    assert said(closed) == ["项目已关闭，不再接收新人员。"]
    post.refresh_from_db()
    assert post.closed_on == timezone.localdate()
    change = ProgrammeChange.objects.get()
    assert (change.kind, change.actor) == ("closed", supervisor)
    page = closed.content.decode()
    assert "该项目已关闭，不再接收新人员；已有记录全部保留。" in page
    assert 'name="case"' not in page  # nobody offered to place or invite
    detail = reverse("programmes:detail", args=["posts", post.pk])
    refused = client.post(detail, {"on": "2026-10-25", "case": [third.pk]}, follow=True)
    today = timezone.localdate().isoformat()
    assert said(refused) == [f"紫城镇保洁员 已于 {today} 关闭，不再接收新人员。"]
    assert Placement.objects.filter(public_post=post).count() == 2
    again = client.post(reverse("programmes:close", args=["posts", post.pk]), follow=True)
    assert said(again) == ["该项目已关闭。"]
    assert ProgrammeChange.objects.count() == 1


def test_there_is_no_way_to_delete_a_programme(login, supervisor):
    post = cleaning_posts(supervisor)
    client = login(supervisor)
    for url in (reverse("programmes:detail", args=["posts", post.pk]),
                reverse("programmes:edit", args=["posts", post.pk])):  # fmt: skip
        assert "delete" not in client.get(url).content.decode().lower()
    assert client.post(f"/programmes/posts/{post.pk}/delete/").status_code == 404
    assert PublicPost.objects.filter(pk=post.pk).exists()


def test_a_course_not_started_offers_no_completion_and_refuses_one(
    login, caseworker, supervisor, zicheng
):
    start = timezone.localdate() + datetime.timedelta(days=7)
    course = Course.objects.create(
        county=region("紫金县"), name="电工培训班", kind="skill", trade="electrician",
        provider="紫金县技工学校", starts_on=start, ends_on=start + datetime.timedelta(days=30),
        created_by=supervisor,
    )  # fmt: skip
    worker = login(caseworker)
    laborer = surveyed(worker, zicheng, "钟秀英")
    worker.post(reverse("programmes:detail", args=["courses", course.pk]),
                {"on": timezone.localdate().isoformat(), "case": [laborer.pk]})  # fmt: skip
    enrolment = Enrolment.objects.get()
    page = worker.get(reverse("programmes:detail", args=["courses", course.pk])).content.decode()
    assert 'data-testid="complete"' not in page and "尚未开班" in page
    refused = worker.post(reverse("programmes:enrolment_complete", args=[enrolment.pk]),
                          {"on": timezone.localdate().isoformat()}, follow=True)  # fmt: skip
    assert said(refused) == [f"电工培训班 尚未开班（开班日期 {start.isoformat()}），不能登记结业。"]
    assert Enrolment.objects.get().completed_on is None


def test_a_course_cannot_start_after_a_completion(login, caseworker, supervisor, zicheng):
    course = Course.objects.create(
        county=region("紫金县"), name="电工培训班", kind="skill", trade="electrician",
        provider="紫金县技工学校", starts_on=D(2026, 10, 1), ends_on=D(2026, 10, 31),
        created_by=supervisor,
    )  # fmt: skip
    laborer = surveyed(login(caseworker), zicheng, "钟秀英")
    Enrolment.objects.create(case=laborer, course=course, enrolled_on=D(2026, 10, 1),
                             completed_on=D(2026, 10, 20), recorded_by=caseworker)  # fmt: skip
    form = {"name": "电工培训班", "kind": "skill", "trade": "electrician",
            "provider": "紫金县技工学校", "starts_on": "2026-10-21",
            "ends_on": "2026-10-31"}  # fmt: skip
    page = login(supervisor).post(reverse("programmes:edit", args=["courses", course.pk]), form)
    assert "已有劳动力于 2026-10-20 结业：开班日期不能晚于该日。" in page.content.decode()
    assert Course.objects.get().starts_on == D(2026, 10, 1)


def test_only_the_countys_supervisor_edits_or_closes(login, caseworker, city, supervisor):
    post = cleaning_posts(supervisor)
    edit = reverse("programmes:edit", args=["posts", post.pk])
    close = reverse("programmes:close", args=["posts", post.pk])
    for user in (caseworker, city):
        assert login(user).get(edit).status_code == 403
        assert login(user).post(edit, post_form(positions="9")).status_code == 403
        assert login(user).post(close).status_code == 403
    elsewhere = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    assert login(elsewhere).get(edit).status_code == 404
    assert login(elsewhere).post(close).status_code == 404
    post.refresh_from_db()
    assert (post.positions, post.closed_on) == (3, None)
    assert not ProgrammeChange.objects.exists()
