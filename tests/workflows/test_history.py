"""The case history: stored as codes and data, worded in the viewer's language when shown."""

import html
import importlib
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from casework import history
from casework.models import CaseEvent
from casework.roster import case_correct_id
from casework.roster.importing import _apply_changes
from tests.factories import CaseFactory, region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# system wording of the history in English that must not show in a Chinese timeline
ENGLISH = [
    "Responsible", "caseworker", "nobody", "settled", "recorded", "Case #", "merged", "roster",
    "import", "Claimed", "Handed", "Reassigned", "Completed", "Refused", "Asked", "Undid",
    "Updated", "Accepted", "survey", "Assistance", "phone", "work status", "Does not", "system",
    "transfer", "Merged",
]  # fmt: skip
TYPED = ["想在家照顾老人", "请再动员", "帮扶记录填错了", "随子女迁居", "已接收", "外出务工",
         "电工培训咨询"]  # fmt: skip


def timeline_text(client, case, language):
    client.cookies["django_language"] = language
    page = client.get(case.get_absolute_url()).content.decode()
    table = page.split('<table class="table compact timeline">')[1].split("</table>")[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", table))


@pytest.fixture
def lived_case(login, caseworker, colleague, supervisor, other_supervisor, started_case):
    """A case taken through every kind of history a timeline shows, through services and pages."""
    case = started_case
    survey_task = open_task(case, "survey")
    services.task_claim(case_task=survey_task, actor=caseworker)
    services.task_hand_over(
        case_task=open_task(case, "survey"), actor=caseworker, to_user=colleague
    )
    services.tasks_reassign(case_tasks=[open_task(case, "survey")], actor=supervisor,
                            to_user=caseworker)  # fmt: skip
    response = login(caseworker).post(task_url(open_task(case, "survey")), survey_form(case))
    assert response.status_code == 302, [str(m) for m in response.context["messages"]]
    help_given = {"measure": "training", "on": timezone.localdate().isoformat(), "note": TYPED[6]}
    assert (
        login(caseworker).post(task_url(open_task(case, "assistance")), help_given).status_code
        == 302
    )
    login(caseworker).post(reverse("workflows:case_close", args=[case.pk]),
                {"reason": "unwilling", "note": TYPED[0]})  # fmt: skip
    boss = login(supervisor)  # one test client: the last login acts
    boss.post(task_url(open_task(case, "closing_approval")),
              {"decision": "refuse", "comment": TYPED[1]})  # fmt: skip
    boss.post(reverse("workflows:case_undo", args=[case.pk]), {"reason": TYPED[2]})
    changes = {"phone": ("13800001111", "13900002222"), "work_status": ("", TYPED[5])}
    _apply_changes([(None, case, changes)], {}, supervisor, 7)
    duplicate = CaseFactory(region=region("紫金县/紫城镇"), name="钟二妹")
    case_correct_id(case=duplicate, actor=supervisor, id_number=case.person.id_number)
    boss.post(reverse("workflows:case_transfer", args=[case.pk]),
              {"to_county": region("龙川县").pk, "note": TYPED[3]})  # fmt: skip
    login(other_supervisor).post(
        task_url(open_task(case, "transfer_acceptance")),
        {"decision": "approve", "region": region("龙川县/老隆镇/水口村").pk, "comment": TYPED[4]},
    )
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds >= {
        "claim", "owner", "hand_over", "reassign", "complete", "close_request", "close_refuse",
        "undo", "roster_update", "merged", "transfer_request", "transfer_accept",
    }  # fmt: skip
    return case


def test_an_english_timeline_has_no_chinese_system_wording(login, other_supervisor, lived_case):
    text = timeline_text(login(other_supervisor), lived_case, "en")
    assert "Responsible caseworker: cw_zijin2" in text and "cw_zijin2 → cw_zijin" in text
    assert "Door-to-door survey" in text and "Does not wish to work 想在家照顾老人" in text
    assert "roster import #7: phone: 138****1111 → 139****2222" in text
    assert f"merged into case #{lived_case.pk}" in text and "→ 龙川县 随子女迁居" in text
    data = TYPED + ["钟秀英", "钟二妹", "龙川县/老隆镇/水口村", "紫金县", "龙川县"]
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    assert not CJK.findall(text), text


def test_a_chinese_timeline_has_no_english_system_wording(login, other_supervisor, lived_case):
    text = timeline_text(login(other_supervisor), lived_case, "zh-hans")
    assert (
        "责任经办人：cw_zijin2" in text and "入户调查" in text and "不愿就业 想在家照顾老人" in text
    )
    assert "名单导入 #7：联系电话: 138****1111 → 139****2222" in text
    assert f"已合并到个案 #{lived_case.pk}" in text
    assert not [word for word in ENGLISH if word.lower() in text.lower()], text


def test_the_history_stores_codes_and_typed_text_never_wording(lived_case):
    for event in CaseEvent.objects.filter(case=lived_case):
        for value in re.findall(r'"([^"]*)"', str(event.data).replace("'", '"')):
            assert value not in {"无人", "nobody", "入户调查", "Door-to-door survey"}
    claim = CaseEvent.objects.filter(case=lived_case, kind="complete").first()
    assert claim.data == {"task_kind": "survey"}


def test_translated_wording_is_refused_as_data(zijin_case):
    with pytest.raises(TypeError), translation.override("en"):
        history.case_event_record(
            case=zijin_case, kind="undo", data={"reason": translation.gettext_lazy("Other")}
        )


# --- the signal later notifications fan out from -------------------------------------------


@pytest.fixture
def received():
    events = []

    def receiver(sender, event, **kwargs):
        events.append(event)

    history.case_event_recorded.connect(receiver)
    yield events
    history.case_event_recorded.disconnect(receiver)


def test_an_event_is_announced_once_its_transaction_commits(
    zijin_case, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = history.case_event_record(case=zijin_case, kind="undo", data={"reason": "x"})
        assert received == []
    assert len(callbacks) == 1 and received == [event]


def test_an_event_rolled_back_is_never_announced(
    zijin_case, received, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        history.case_event_record(case=zijin_case, kind="undo", data={"reason": "x"})
        raise RuntimeError
    assert callbacks == [] and received == []
    assert not CaseEvent.objects.filter(case=zijin_case).exists()


def test_bulk_events_are_announced_each_after_commit(
    zijin_case, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events = history.case_events_record(
            [{"case": zijin_case, "kind": "claim"}, {"case": zijin_case, "kind": "release"}]
        )
    assert received == events and all(event.pk for event in events)


# --- the migration of rows written as text ---------------------------------------------------

migration = importlib.import_module("casework.migrations.0015_case_event_data")


def old_messages(language: str) -> list[tuple[str, str]]:
    """Messages as the old writers worded them, in the writer's language."""
    _ = translation.gettext
    with translation.override(language):
        label = _("roster import #%(id)s") % {"id": 7}
        return [
            ("owner", _("Responsible caseworker: %(user)s") % {"user": "张三"}),
            ("owner", f"{label}: " + _("Responsible caseworker: %(user)s") % {"user": _("nobody")}),
            ("hand_over", _("%(from)s → %(to)s") % {"from": _("nobody"), "to": "李四"}),
            (
                "release",
                _("%(label)s: the laborer moved out of the regions of %(user)s")
                % {"label": label, "user": "张三"},
            ),  # fmt: skip
            ("complete", str(translation.gettext_lazy("Door-to-door survey"))),
            ("cancel", _("Follow-up")),
            ("close_request", f"{_('Does not wish to work')} 想在家照顾老人"),
            ("close_request", f"{_('Other')} "),
            ("transfer_request", "→ 龙川县 随子女迁居"),
            ("transfer_accept", "紫金县 → 龙川县/老隆镇/水口村 已接收"),
            (
                "roster_update",
                f"{label}: {_('phone')}: 138****1111 → 139****2222; "
                f"{_('region')}: 紫城镇/上围村 → —",
            ),  # fmt: skip
            ("left_list", "名单2026.xlsx (2026-10-01)"),
            ("id_corrected", "441621********1234 → 441621********5678"),
            (
                "merged",
                _("Case #%(from)s (%(old)s) merged into case #%(to)s")
                % {"from": 12, "old": "441621********1234", "to": 34},
            ),  # fmt: skip
            ("undo", "帮扶记录填错了"),
            ("claim", ""),
        ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_migration_reads_the_old_messages_and_words_them_again(language):
    for kind, message in old_messages(language):
        new_kind, data = migration.convert(kind, message)
        assert new_kind == kind, (kind, message)
        with translation.override(language):
            text = history.event_text(CaseEvent(kind=kind, data=data))
        # the roster import's label is now followed by a full-width colon in Chinese
        assert text.replace("：", ": ") == message.rstrip().replace("：", ": "), (kind, message)


def test_the_migration_reads_a_settled_completion_written_half_in_english():
    kind, data = migration.convert("complete", "就业帮扶 · settled by what was recorded")
    assert (kind, data) == ("complete", {"task_kind": "assistance", "settled": True})
    with translation.override("zh-hans"):
        assert (
            history.event_text(CaseEvent(kind=kind, data=data)) == "就业帮扶 · 已由记录的情况办结"
        )


def test_the_migration_keeps_what_it_cannot_read_as_earlier_text():
    assert migration.convert("owner", "经办人换了") == (
        "legacy_text", {"text": "经办人换了", "kind": "owner"}
    )  # fmt: skip
    assert migration.convert("claim", "something") == (
        "legacy_text", {"text": "something", "kind": "claim"}
    )  # fmt: skip
    event = CaseEvent(kind="legacy_text", data={"text": "经办人换了", "kind": "owner"})
    with translation.override("en"):
        assert (history.event_title(event), history.event_text(event)) == (
            "Changed the responsible caseworker", "经办人换了",
        )  # fmt: skip


def test_a_closing_stage_change_is_worded_in_the_viewers_language(
    login, caseworker, supervisor, started_case
):
    services.closing_request(case=started_case, actor=caseworker, reason="moved_away", note="")
    services.closing_decide(case_task=open_task(started_case, "closing_approval"),
                            actor=supervisor, approve=True)  # fmt: skip
    change = started_case.stage_changes.get(to_stage="closed")
    assert (change.reason, change.data) == ("", {"reason": "moved_away"})
    client = login(supervisor)
    english = timeline_text(client, started_case, "en")
    assert "Moved away" in english and not CJK.findall(english.replace("钟秀英", ""))
    chinese = timeline_text(client, started_case, "zh-hans")
    assert "迁出" in chinese and "Moved away" not in chinese


@pytest.mark.parametrize(
    ("reason", "source", "expected"),
    [
        ("迁出", "", ({"reason": "moved_away"}, "", "")),
        ("Deceased", "", ({"reason": "deceased"}, "", "")),
        (
            "个案 #3（441621********0011）已合并到个案 #9",
            "",
            ({"reason": "other", "merged_into": 9}, "", ""),
        ),
        ("全家迁往深圳", "", ({"reason": "moved_away"}, "全家迁往深圳", "")),
        ("", "roster import #4", ({"reason": "moved_away", "roster_import": 4}, "", "")),
    ],
)
def test_the_migration_keeps_closing_reasons_merges_and_imports_as_codes(
    zijin_case, reason, source, expected
):
    from django.apps import apps

    from casework.models import Case, StageChange

    migration = importlib.import_module("casework.migrations.0016_stage_change_data")
    Case.objects.filter(pk=zijin_case.pk).update(closed_reason=expected[0]["reason"])
    change = StageChange.objects.create(
        case=zijin_case, from_stage="identified", to_stage="closed", transition="close",
        reason=reason, source=source,
    )  # fmt: skip
    migration.codes_from_text(apps, None)
    change.refresh_from_db()
    assert (change.data, change.reason, change.source) == expected
