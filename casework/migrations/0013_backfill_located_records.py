"""Backfill: transfers from the transfer processes that exist, then the county and township of
every record as they were on its date, stage-change dates, confirmations from the old rounds,
and structured help from the help events."""

import zoneinfo

from django.db import migrations

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DATED = {
    "survey": "surveyed_on",
    "employment": "started_on",
    "followup": "followed_up_on",
    "placement": "placed_on",
    "enrolment": "enrolled_on",
    "outreach": "on",
    "benefit": "on",
    "stagechange": "on",
}
MEASURE_LABELS = {
    "referral": ("Job referral or recruitment event", "岗位推荐或招聘会"),
    "workshop": ("Poverty-alleviation workshop", "扶贫车间"),
    "public_post": ("Public-welfare post", "公益性岗位"),
    "training": ("Training", "培训"),
    "policy": ("Policy outreach", "政策宣传"),
}


def local_day(moment):
    return moment.astimezone(TZ).date()


def backfill_transfers(apps):
    CaseEvent = apps.get_model("casework", "CaseEvent")
    Region = apps.get_model("casework", "Region")
    Transfer = apps.get_model("casework", "Transfer")
    CaseTask = apps.get_model("workflows", "CaseTask")
    counties = {region.name: region for region in Region.objects.filter(level="county")}
    for event in CaseEvent.objects.filter(kind="transfer_accept").order_by("at", "pk"):
        if event.task_id is None:
            continue
        data = event.task.process.data
        # the process keeps where it came from; the message was "<from county> → <to> <note>"
        from_county = Region.objects.filter(pk=data.get("from_county")).first() or counties.get(
            event.message.split(" → ")[0].strip()
        )
        if from_county is None:
            continue
        to_county_id = data.get("to_county")
        before = (
            CaseTask.objects.filter(case_id=event.case_id, county=from_county,
                                    township__isnull=False, task__created__lte=event.at)
            .order_by("-task__created").first()
        )  # fmt: skip
        after = (
            CaseTask.objects.filter(case_id=event.case_id, county_id=to_county_id,
                                    township__isnull=False)
            .order_by("task__created").first()
        )  # fmt: skip
        case = event.case
        to_township_id = after.township_id if after else (
            case.township_id if case.county_id == to_county_id else None
        )  # fmt: skip
        if before is None or to_township_id is None:
            continue
        Transfer.objects.create(
            case_id=event.case_id, on=local_day(event.at), from_county=from_county,
            from_township_id=before.township_id, to_county_id=to_county_id,
            to_township_id=to_township_id, accepted_by_id=event.actor_id, at=event.at,
        )  # fmt: skip


def place_on(case, day, transfers):
    for transfer in transfers.get(case.pk, []):
        if transfer.on > day:
            return transfer.from_county_id, transfer.from_township_id
    return case.county_id, case.township_id


def backfill_locations(apps):
    Case = apps.get_model("casework", "Case")
    Transfer = apps.get_model("casework", "Transfer")
    StageChange = apps.get_model("casework", "StageChange")
    transfers = {}
    for transfer in Transfer.objects.order_by("on", "pk"):
        transfers.setdefault(transfer.case_id, []).append(transfer)
    for change in StageChange.objects.filter(on__isnull=True).iterator():
        StageChange.objects.filter(pk=change.pk).update(on=local_day(change.at))
    cases = {case.pk: case for case in Case.objects.only("pk", "county_id", "township_id")}
    for name, date_field in DATED.items():
        model = apps.get_model("casework", name)
        for record in model.objects.filter(county__isnull=True).only("pk", "case_id", date_field):
            county_id, township_id = place_on(
                cases[record.case_id], getattr(record, date_field), transfers
            )
            model.objects.filter(pk=record.pk).update(county_id=county_id, township_id=township_id)
    return cases, transfers


def backfill_confirmations(apps, cases, transfers):
    Reconciliation = apps.get_model("casework", "Reconciliation")
    Confirmation = apps.get_model("casework", "Confirmation")
    for round_ in Reconciliation.objects.all():
        for case in round_.cases.all():
            county_id, township_id = place_on(cases[case.pk], round_.held_on, transfers)
            Confirmation.objects.get_or_create(
                reconciliation=round_, case_id=case.pk,
                defaults={"confirmed_on": round_.held_on, "confirmed_by_id": round_.recorded_by_id,
                          "county_id": county_id, "township_id": township_id},
            )  # fmt: skip


def backfill_help(apps, cases, transfers):
    CaseEvent = apps.get_model("casework", "CaseEvent")
    Assistance = apps.get_model("casework", "Assistance")
    Outreach = apps.get_model("casework", "Outreach")
    Enrolment = apps.get_model("casework", "Enrolment")
    for event in CaseEvent.objects.filter(kind="assistance").exclude(actor=None):
        label, _, note = event.message.partition(": ")
        measure = next(
            (code for code, labels in MEASURE_LABELS.items() if label.strip() in labels), "other"
        )
        day = local_day(event.at)
        county_id, township_id = place_on(cases[event.case_id], day, transfers)
        place = {"county_id": county_id, "township_id": township_id}
        if measure == "policy":
            Outreach.objects.create(case_id=event.case_id, on=day, note=note[:200],
                                    recorded_by_id=event.actor_id, **place)  # fmt: skip
        elif measure != "other" or not Enrolment.objects.filter(
            case_id=event.case_id, enrolled_on=day
        ).exists():  # an enrolment wrote its course's name as help: it has its own record
            Assistance.objects.create(
                case_id=event.case_id, measure=measure, on=day,
                note=(note if measure != "other" else event.message)[:200],
                recorded_by_id=event.actor_id, **place,
            )  # fmt: skip


def forwards(apps, schema_editor):
    backfill_transfers(apps)
    cases, transfers = backfill_locations(apps)
    backfill_confirmations(apps, cases, transfers)
    backfill_help(apps, cases, transfers)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0012_located_records"),
        ("workflows", "0002_default_deadlines"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

