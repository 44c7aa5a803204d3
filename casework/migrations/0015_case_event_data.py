"""Case events keep codes and data instead of text worded in the writer's language.

Each old message is read back into data where its kind's old format (in English or Chinese)
can be read; any other becomes a `legacy_text` event that shows the old message as it is.
The old wordings are copied here, frozen, so that later changes to the catalogue do not
change what this migration reads.
"""

import json
import re

from django.db import migrations, models

NOBODY = {"nobody", "无人"}
ROSTER = r"(?:roster import|名单导入) #(?P<roster_import>\d+)"
TASK_KINDS = {
    "survey": ("Door-to-door survey", "入户调查"),
    "assistance": ("Assistance", "就业帮扶"),
    "employment": ("Employment details", "填写就业情况"),
    "follow_up": ("Follow-up", "跟踪服务"),
    "resurvey": ("Quarterly re-survey", "季度复查"),
    "closing_approval": ("Approve closing", "审批结案"),
    "transfer_acceptance": ("Accept transfer", "接收转移"),
}
CLOSE_REASONS = {
    "unable_to_work": ("No capacity to work", "无劳动能力"),
    "unwilling": ("Does not wish to work", "不愿就业"),
    "left_list": ("Left the registered poor list", "退出建档立卡名单"),
    "moved_away": ("Moved away", "迁出"),
    "deceased": ("Deceased", "死亡"),
    "other": ("Other", "其他"),
}
PERSON_FIELDS = {
    "name": ("name", "姓名"),
    "ethnicity": ("ethnicity", "民族"),
    "phone": ("phone", "联系电话"),
    "education": ("education", "文化程度"),
    "health": ("health", "健康状况"),
    "household_no": ("household number", "户编号"),
    "work_status": ("work status (roster)", "务工状况（名单）"),
    "region": ("region", "区域"),
}
SETTLED = (" · settled by what was recorded", " · 已由记录的情况办结")


def _codes(labels: dict) -> dict:
    return {label: code for code, both in labels.items() for label in both}


TASK_KIND_CODES = _codes(TASK_KINDS)
CLOSE_REASON_CODES = _codes(CLOSE_REASONS)
FIELD_CODES = _codes(PERSON_FIELDS)


def _person(name: str):
    return None if name in NOBODY else name


def _pair(message: str):
    parts = message.split(" → ")
    return parts if len(parts) == 2 else None


def _roster_prefix(message: str):
    match = re.fullmatch(ROSTER + r"[:：] ?(?P<rest>.*)", message, re.DOTALL)
    if match is None:
        return {}, message
    return {"roster_import": int(match["roster_import"])}, match["rest"]


def _owner(message):
    data, rest = _roster_prefix(message)
    match = re.fullmatch(r"(?:Responsible caseworker: |责任经办人：)(?P<user>.*)", rest, re.DOTALL)
    if match is None:
        return None
    return {**data, "user_id": None, "user": _person(match["user"])}


def _release(message):
    if not message:
        return {}
    match = re.fullmatch(
        ROSTER + r"(?:: the laborer moved out of the regions of (?P<en>.*)"
        r"|：劳动力已迁出(?P<zh>.*)负责的区域)",
        message, re.DOTALL,
    )  # fmt: skip
    if match is None:
        return None
    return {"roster_import": int(match["roster_import"]), "user": match["en"] or match["zh"]}


def _handed(message):
    pair = _pair(message)
    if pair is None:
        return None
    return {"from_user": _person(pair[0]), "to_user": _person(pair[1])}


def _task(message):
    settled = False
    for suffix in SETTLED:
        if message.endswith(suffix):
            message, settled = message[: -len(suffix)], True
    if message not in TASK_KIND_CODES:
        return None
    return {"task_kind": TASK_KIND_CODES[message], **({"settled": True} if settled else {})}


def _close_request(message):
    for label in sorted(CLOSE_REASON_CODES, key=len, reverse=True):
        if message == label or message.startswith(label + " "):
            return {"reason": CLOSE_REASON_CODES[label], "note": message[len(label) + 1 :]}
    return None


def _transfer_request(message):
    match = re.fullmatch(r"→ (?P<county>\S+)(?: (?P<note>.*))?", message, re.DOTALL)
    if match is None:
        return None
    return {"to_county": match["county"], "note": match["note"] or ""}


def _transfer_accept(message):
    match = re.fullmatch(r"(?P<from>\S+) → (?P<to>\S+)(?: (?P<comment>.*))?", message, re.DOTALL)
    if match is None:
        return None
    return {"from_county": match["from"], "to_region": match["to"], "comment": match["comment"] or ""}


def _roster_update(message):
    data, rest = _roster_prefix(message)
    if not data:
        return None
    changes = []
    for item in rest.split("; ") if rest else []:
        match = re.fullmatch(r"(?P<label>[^:]+): (?P<old>.*) → (?P<new>.*)", item, re.DOTALL)
        if match is None or match["label"] not in FIELD_CODES:
            return None
        old, new = (value if value != "—" else "" for value in (match["old"], match["new"]))
        changes.append({"field": FIELD_CODES[match["label"]], "from": old, "to": new})
    return {**data, "changes": changes}


def _left_list(message):
    match = re.fullmatch(r"(?P<file>.*) \((?P<on>\d{4}-\d{2}-\d{2})\)", message, re.DOTALL)
    if match is None:
        return None
    return {"file_name": match["file"], "imported_on": match["on"]}


def _id_corrected(message):
    pair = _pair(message)
    return None if pair is None else {"old": pair[0], "new": pair[1]}


def _merged(message):
    match = re.fullmatch(
        r"Case #(?P<from>\d+) \((?P<old>.*)\) merged into case #(?P<to>\d+)"
        r"|个案 #(?P<from_zh>\d+)（(?P<old_zh>.*)）已合并到个案 #(?P<to_zh>\d+)",
        message, re.DOTALL,
    )  # fmt: skip
    if match is None:
        return None
    return {
        "from_case": int(match["from"] or match["from_zh"]),
        "from_id_number": match["old"] if match["from"] else match["old_zh"],
        "into_case": int(match["to"] or match["to_zh"]),
    }


def _empty(message):
    return {} if not message else None


PARSERS = {
    "claim": _empty,
    "release": _release,
    "hand_over": _handed,
    "reassign": _handed,
    "complete": _task,
    "cancel": _task,
    "assistance": lambda message: {"note": message},
    "close_request": _close_request,
    "close_approve": lambda message: {"comment": message},
    "close_refuse": lambda message: {"comment": message},
    "transfer_request": _transfer_request,
    "transfer_accept": _transfer_accept,
    "transfer_refuse": lambda message: {"comment": message},
    "resurvey_start": _empty,
    "undo": lambda message: {"reason": message},
    "owner": _owner,
    "roster_update": _roster_update,
    "left_list": _left_list,
    "id_corrected": _id_corrected,
    "merged": _merged,
}


def convert(kind: str, message: str) -> tuple[str, dict]:
    """The kind and data of an event written with an old message."""
    parse = PARSERS.get(kind)
    data = parse(message) if parse is not None else None
    if data is None:
        return "legacy_text", {"text": message, "kind": kind}
    return kind, data


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("casework", "CaseEvent")
    rows = CaseEvent.objects.only("pk", "kind", "message").order_by("pk")
    batch = []
    for event in rows.iterator(chunk_size=2000):
        event.kind, event.data = convert(event.kind, event.message)
        batch.append(event)
        if len(batch) == 2000:
            CaseEvent.objects.bulk_update(batch, ["kind", "data"])
            batch = []
    CaseEvent.objects.bulk_update(batch, ["kind", "data"])


def backwards(apps, schema_editor):
    CaseEvent = apps.get_model("casework", "CaseEvent")
    for event in CaseEvent.objects.filter(kind="legacy_text").iterator():
        event.kind, event.message = event.data.get("kind", "assistance"), event.data.get("text", "")
        event.save(update_fields=["kind", "message"])
    for event in CaseEvent.objects.exclude(data={}).exclude(message__gt="").iterator():
        event.message = json.dumps(event.data, ensure_ascii=False)
        event.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0014_located_records_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("claim", "Claimed a task"),
                    ("release", "Released a task to the queue"),
                    ("hand_over", "Handed a task over"),
                    ("reassign", "Reassigned a task"),
                    ("complete", "Completed a task"),
                    ("cancel", "Cancelled a task"),
                    ("assistance", "Recorded help"),
                    ("close_request", "Asked to close the case"),
                    ("close_approve", "Approved closing"),
                    ("close_refuse", "Refused closing"),
                    ("transfer_request", "Asked to transfer the case"),
                    ("transfer_accept", "Accepted the transfer"),
                    ("transfer_refuse", "Refused the transfer"),
                    ("resurvey_start", "Started a re-survey"),
                    ("undo", "Undid a stage change"),
                    ("owner", "Changed the responsible caseworker"),
                    ("roster_update", "Updated from the roster"),
                    ("left_list", "Left the registered poor list"),
                    ("id_corrected", "Corrected the ID number"),
                    ("merged", "Merged two cases"),
                    ("legacy_text", "Earlier entry"),
                ],
                max_length=20,
                verbose_name="what",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="caseevent", name="message"),
    ]
