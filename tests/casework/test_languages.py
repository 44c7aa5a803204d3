"""Every page in each language: in Chinese no English of ours and no raw code, in English no
Chinese of ours; the people's own data (names, places, notes) is theirs and excluded.

The pages are every named URL of the resolver (tests.resolver), with the ids of the role
matrix's world plus a case closed with a reason, a closing waiting for approval, a survey with
trades and a list of reasons, employment, programmes of every kind, and an import with warnings;
each is rendered as every role that may see it, in zh-hans and en.
"""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from casework import history, recording
from casework.models import (
    Case,
    CaseEvent,
    Course,
    PublicPost,
    RecruitmentEvent,
    RosterImport,
    User,
    Vacancy,
    Workshop,
)
from casework.roster.reading import COLUMNS as ROSTER_COLUMNS
from reports.figures import FIGURES
from tests.casework.test_role_matrix import ADMIN, CITY, CW, MATRIX, SUP, world  # noqa: F401
from tests.factories import CaseFactory
from tests.resolver import named_patterns
from workflows import services as workflow
from workflows.models import CaseTask

ROOT = Path(__file__).resolve().parents[2]
ZH_PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
LANGUAGES = ("zh-hans", "en")
READERS = (CW, SUP, CITY, ADMIN)

# Latin words a Chinese page may show: the language switch, file formats, the product's name,
# the hash's name, the holiday package named to administrators and the chat service QQ (the
# contact table's QQ号码).
ALLOWED_LATIN = {
    "English", "Casework", "xlsx", "csv", "CSV", "Excel", "UTF", "GB", "SHA", "ID",
    "chinesecalendar", "SHA-256", "QQ", "PDF", "KB", "MB",
}  # fmt: skip
# Chinese an English page may show besides the people's data: the language switch and the
# column names a roster file is read by (the files are Chinese).
ALLOWED_CHINESE = (
    {"简体中文"}
    | {name for names in ROSTER_COLUMNS.values() for name in names}
    # the monthly report's form (附件1) keeps its own headings, the reader's language under them
    | {figure.title for figure in FIGURES}
    | {figure.group for figure in FIGURES}
    | {"日期", "累计", "备注"}
    # the notice's names of the supervision's steps keep their Chinese beside the reader's words
    | {"通报", "约谈", "专项督导检查", "年终考评", "停发基层服务经费补贴"}
)

LATIN = re.compile(r"(?<![\w*])[A-Za-z][A-Za-z_'’-]*[A-Za-z]")
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


class VisibleText(HTMLParser):
    """What a reader sees: text outside script and style, and placeholders and tooltips; text
    marked translate="no" (data as recorded: an export record's description) is left out."""

    HIDDEN = {"script", "style"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.verbatim: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        if ("translate", "no") in attrs:
            self.verbatim.append(tag)
            self.hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1
        if self.verbatim and self.verbatim[-1] == tag:
            self.verbatim.pop()
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def choice_codes() -> set[str]:
    """Every code of the project's choice lists (models and the survey's choices)."""
    codes, pending = set(), list(models.Choices.__subclasses__())
    while pending:
        choices = pending.pop()
        pending.extend(choices.__subclasses__())
        if choices.__module__.split(".")[0] in ("casework", "workflows"):
            codes |= {str(value) for value in choices.values}
    return {code for code in codes if len(code) > 1 and re.search("[a-z]", code)}


def people_data() -> list[str]:
    """Every text the people typed or the poverty office sent, as stored: names, places,
    notes, answers (the test's data is Chinese, so English mode may show it)."""
    texts = []
    for model in apps.get_models():
        if model._meta.app_label not in ("casework", "workflows", "viewflow", "supervision"):
            continue
        typed = models.CharField | models.TextField | models.JSONField
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, typed)]
        for row in model.objects.values_list(*fields):
            texts.extend(str(value) for value in row if value)
    texts.extend(user.get_full_name() for user in User.objects.all())
    return texts


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural and msgstr(s), unquoted."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if entry and not line.startswith("#"):
                entries.append(entry)
                entry, key = {}, None
            continue
        if line.startswith('"'):
            entry[key] += _unquote(line)
            continue
        key, _space, value = line.partition(" ")
        if key == "msgctxt" and "msgid" in entry:  # a new entry without a blank line
            entries.append(entry)
            entry = {}
        entry[key] = _unquote(value)
    if entry:
        entries.append(entry)
    return entries


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text[1:-1])


@pytest.fixture
def pages(world):  # noqa: F811
    """world, plus what makes every page show its words: (name, args) of each page."""
    users = world["users"]
    today = timezone.localdate()
    zicheng = world["a"].region
    county = world["zijin"]
    # a survey with trades and reasons, and one still working with employment details
    wishing = CaseFactory(region=zicheng, name="钟愿望")
    workflow.case_process_start(case=wishing)
    workflow.task_execute(
        case_task=CaseTask.objects.get(case=wishing, kind="survey"), actor=users[CW],
        perform=lambda case: recording.survey_submit(
            case=case, actor=users[CW], surveyed_on=today, employment_status="farming",
            answers={"reasons": ["skills", "age"], "wished_location": "in_county",
                     "wished_form": "employee", "training_wish": "yes",
                     "training_kind": "skill", "training_trade": "housekeeping",
                     "startup_wish": "no", "wage_expectation": "3000-4000"}),
    )  # fmt: skip
    # a closing waiting for approval, and a closed case with its reason
    workflow.closing_request(case=world["b"], actor=users[CW], reason="unwilling")
    closed = CaseFactory(region=zicheng, name="钟结案")
    workflow.case_process_start(case=closed)
    workflow.closing_request(case=closed, actor=users[CW], reason="unable_to_work")
    workflow.closing_decide(
        case_task=CaseTask.objects.get(case=closed, kind="closing_approval"),
        actor=users[SUP], approve=True,
    )  # fmt: skip
    # a task settled by what was recorded, in the timeline
    history.case_event_record(case=world["c"], kind=CaseEvent.Kind.COMPLETE,
                              data={"task_kind": "assistance", "settled": True})  # fmt: skip
    start = today - datetime.timedelta(days=30)
    common = {"county": county, "created_by": users[SUP]}
    programmes = {
        "vacancies": Vacancy.objects.create(
            name="电子厂普工", employer="宝山电子厂", post="装配工", positions=3, wage="3000-4000",
            place="紫城镇", industry="manufacturing", suits_poor_laborers=True, **common),
        "events": RecruitmentEvent.objects.create(
            name="春风行动招聘会", campaign="spring_breeze", held_on=start, place="人才市场",
            employers="宝山电子、龙记制衣", **common),
        "workshops": Workshop.objects.create(
            name="紫城镇扶贫车间", township=zicheng.parent, enterprise="龙记制衣", founded_on=start,
            **common),
        "posts": world["post"],
        "courses": Course.objects.create(
            name="家政服务员培训班", kind="skill", trade="housekeeping", provider="职业技术学校",
            starts_on=start, ends_on=today, **common),
    }  # fmt: skip
    Course.objects.create(name="中式烹调师培训班", kind="skill", trade="cook", provider="技校",
                          starts_on=today + datetime.timedelta(days=9),
                          ends_on=today + datetime.timedelta(days=30), **common)  # fmt: skip
    assert isinstance(programmes["posts"], PublicPost)
    # an import with warnings and a refused row, as the job stores them
    RosterImport.objects.create(
        actor=users[SUP], file_name="名单.xlsx", sha256="1" * 64, county=county, status="done",
        rows=3, created=1, rejected=1,
        report={"rejected": [{"row": 4, "codes": ["id_checksum"], "params": {}}],
                "warnings": [{"row": 3, "code": "unknown_value",
                              "params": {"column": "education", "value": "大专以上"}},
                             {"row": 0, "code": "columns_ignored",
                              "params": {"columns": ["备注", "户主"]}}]},
    )  # fmt: skip
    listed = []
    for name, _pattern in named_patterns():
        if name not in MATRIX:
            continue  # login, logout, the language switch: no id, rendered below
        args = MATRIX[name][0]
        listed.append((name, args(world) if args else None))
    listed += [("login", None)]
    listed += [("programmes:list", [slug]) for slug in programmes]
    listed += [("programmes:detail", [slug, item.pk]) for slug, item in programmes.items()]
    listed += [("casework:import_detail", [RosterImport.objects.latest("pk").pk])]
    listed += [("casework:case_detail", [case.pk]) for case in (world["b"], world["c"],
                                                                 wishing, closed)]  # fmt: skip
    listed += [("workflows:task_detail", [task.pk]) for task in CaseTask.objects.filter(
        task__status__in=["NEW", "ASSIGNED"])]  # fmt: skip
    return list(dict.fromkeys((name, tuple(args or ())) for name, args in listed))


def render_all(client, world, pages):  # noqa: F811
    """(language, role, url, visible text) of every page a role may see, in each language."""
    rendered = []
    for language in LANGUAGES:
        client.cookies["django_language"] = language
        for role in READERS:
            client.force_login(world["users"][role])
            for name, args in pages:
                url = reverse(name, args=args or None)
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue  # refused, POST only, a download or JSON
                rendered.append((language, role, url, visible_text(response.content.decode())))
    return rendered


def test_every_page_speaks_the_readers_language(client, world, pages):  # noqa: F811
    rendered = render_all(client, world, pages)
    codes = choice_codes()
    untranslated = {
        entry["msgid"] for entry in po_entries(ZH_PO)
        if entry.get("msgid") and re.search("[A-Za-z]{2}", entry["msgid"])
        and not CHINESE.search(entry["msgid"])
    }  # fmt: skip
    data = people_data()
    usernames = set(User.objects.values_list("username", flat=True))
    problems = []
    for language, role, url, parts in rendered:
        for part in parts:
            if language == "zh-hans":
                if part in untranslated and part not in ALLOWED_LATIN:
                    problems.append((language, role, url, "untranslated", part))
                for word in LATIN.findall(part):
                    if word in usernames:  # shown where a user has no full name
                        continue
                    if word in codes:
                        problems.append((language, role, url, "raw code", word))
                    elif word not in ALLOWED_LATIN:
                        problems.append((language, role, url, "English", part))
            else:
                for word in re.findall(r"[a-z]+(?:_[a-z]+)+", part):
                    if word in codes:
                        problems.append((language, role, url, "raw code", word))
                for run in CHINESE.findall(part):
                    if run not in ALLOWED_CHINESE and not any(run in text for text in data):
                        problems.append((language, role, url, "Chinese", part))
    pages_rendered = len({(role, url) for _language, role, url, _parts in rendered})
    print(f"\nlanguages: {len(rendered)} renders = {pages_rendered} pages × {len(LANGUAGES)}"
          " languages")  # fmt: skip
    assert len(rendered) == pages_rendered * len(LANGUAGES)
    assert len(rendered) >= 200, f"only {len(rendered)} pages × languages rendered"
    unique = sorted(set(problems))
    assert not unique, f"{len(unique)} problems in {len(rendered)} renders:\n" + "\n".join(
        " | ".join(problem) for problem in unique[:80]
    )


def test_the_chinese_catalogue_translates_everything():
    empty = [
        entry["msgid"] for entry in po_entries(ZH_PO)
        if entry.get("msgid") and not any(
            value for key, value in entry.items() if key.startswith("msgstr"))
    ]  # fmt: skip
    assert len(po_entries(ZH_PO)) > 500
    assert empty == []


def test_the_english_catalogue_translates_every_chinese_wording():
    """The survey form's and the domain's Chinese wording (msgids in Chinese) has English."""
    en_po = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    chinese = [
        entry for entry in po_entries(en_po)
        if CHINESE.search(entry.get("msgid", "")) and not LATIN.search(entry["msgid"])
    ]  # fmt: skip
    assert len(chinese) > 100
    assert [entry["msgid"] for entry in chinese if not entry.get("msgstr")] == []


def test_a_closed_case_and_its_closing_read_in_words(client, world, pages):  # noqa: F811
    """The story of the issue: a supervisor reads a closing waiting for approval and a
    closed case in Chinese; the reasons are words, the trades too."""
    client.force_login(world["users"][SUP])
    closed = Case.objects.get(person__name="钟结案")
    page = "".join(visible_text(client.get(closed.get_absolute_url()).content.decode()))
    assert "无劳动能力" in page and "unable_to_work" not in page
    approval = CaseTask.objects.get(case=world["b"], kind="closing_approval")
    page = "".join(visible_text(client.get(approval.get_absolute_url()).content.decode()))
    assert "不愿就业" in page
    assert "unwilling" not in page
    courses = "".join(
        visible_text(client.get(reverse("programmes:list", args=["courses"])).content.decode())
    )
    assert "家政服务员" in courses and "housekeeping" not in courses


def test_an_import_report_is_worded_in_the_readers_language(client, world, pages):  # noqa: F811
    """The job that checked the file had no reader; the page words its report for each one,
    a column by its label."""
    record = RosterImport.objects.get(file_name="名单.xlsx")
    client.force_login(world["users"][SUP])
    page = "".join(visible_text(client.get(record.get_absolute_url()).content.decode()))
    assert "无法识别的文化程度已忽略：大专以上" in page
    assert "已忽略的列：备注、户主" in page
    assert "身份证号码校验位错误。" in page and "id_checksum" not in page
    client.cookies["django_language"] = "en"
    page = "".join(visible_text(client.get(record.get_absolute_url()).content.decode()))
    assert "Unknown education ignored: 大专以上" in page
    assert "Columns ignored: 备注, 户主" in page
    assert "The ID number's check character is wrong." in page


def test_a_programme_list_names_its_columns_for_programmes(client, world, pages):  # noqa: F811
    client.force_login(world["users"][SUP])
    page = client.get(reverse("programmes:list", args=["vacancies"])).content.decode()
    headings = re.findall(r"<th>([^<]*)</th>", page)
    assert headings[:4] == ["县（区）", "名称", "就业单位", "岗位数"]
    row = re.search(r"电子厂普工.*?</tr>", page, re.S).group(0)
    assert "<td>是</td>" in row and "True" not in row


def test_why_a_file_could_not_be_read_follows_the_reader(client, world, pages):  # noqa: F811
    """An English-speaking supervisor uploads a broken workbook; the background job words
    nothing, so a Chinese-speaking colleague reads the same failure in Chinese."""
    client.force_login(world["users"][SUP])
    client.cookies["django_language"] = "en"
    broken = SimpleUploadedFile("坏文件.xlsx", b"not a workbook")
    client.post(reverse("casework:import_upload"), {"file": broken})
    record = RosterImport.objects.get(file_name="坏文件.xlsx")
    assert record.status == "failed"
    page = "".join(visible_text(client.get(record.get_absolute_url()).content.decode()))
    assert "The file is not a readable Excel workbook." in page
    client.cookies["django_language"] = "zh-hans"
    page = "".join(visible_text(client.get(record.get_absolute_url()).content.decode()))
    assert "文件无法读取，没有作任何更改。 该文件不是可读取的 Excel 工作簿。" in page


def test_an_import_reported_before_keeps_its_words(client, world):  # noqa: F811
    """Imports checked before reports were kept as codes show the text they stored."""
    record = RosterImport.objects.create(
        actor=world["users"][SUP], file_name="旧名单.xlsx", sha256="2" * 64,
        county=world["zijin"], status="failed", message="文件为空。",
        report={"rejected": [{"row": 4, "codes": ["id_checksum"], "reasons": ["校验位错误"]}],
                "warnings": [{"row": 3, "message": "无法识别的education已忽略：大专"}]},
    )  # fmt: skip
    client.force_login(world["users"][SUP])
    page = "".join(visible_text(client.get(record.get_absolute_url()).content.decode()))
    assert "文件为空。" in page
    record.status = "done"
    record.save()
    page = "".join(visible_text(client.get(record.get_absolute_url()).content.decode()))
    assert "校验位错误" in page and "无法识别的education已忽略：大专" in page
