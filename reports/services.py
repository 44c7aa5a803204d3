"""A county's monthly report: remarks, submission (freezing its figures and the ids behind
them), and the city's answer. Each write takes the report's row lock, so two submissions at
once make one."""

import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access, history
from casework.errors import ServiceError
from casework.models import Reconciliation, Region, User

from . import figures
from .models import MonthlyReport, Submission
from .periods import FIRST_MONTH, Month

# sent after commit: a report submitted, accepted or returned (notifications tell the people)
report_decided = Signal()

OPEN = (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED)


def _locked(county: Region, month: Month) -> MonthlyReport:
    """The county's report for the month under its row lock, made (a draft) if missing: inside
    the caller's transaction, so a refused write leaves no draft behind."""
    MonthlyReport.objects.get_or_create(county=county, month=month.first)
    reports = MonthlyReport.objects.select_for_update().select_related("county")
    return reports.get(county=county, month=month.first)


def reconciliations_in(county_id: int, month: Month):
    """The county's reconciliation rounds with the poverty office held within the month."""
    return Reconciliation.objects.filter(
        county_id=county_id, held_on__range=(month.first, month.last)
    ).order_by("-held_on", "-pk")


@transaction.atomic
def report_remarks_save(*, county: Region, month: Month, actor: User, remarks: str):
    access.require(access.may_submit_report(actor, county.pk))
    report = _locked(county, month)
    if report.status not in OPEN:
        raise ServiceError(_("A submitted report cannot be changed."))
    before = report.remarks
    report.remarks = remarks.strip()
    report.save(update_fields=["remarks"])
    history.change_record(actor=actor, kind="report_remarks", county=county, target=report,
                          changes={"remarks": [before, report.remarks]})  # fmt: skip
    return report


@transaction.atomic
def report_submit(
    *,
    county: Region,
    month: Month,
    actor: User,
    remarks: str,
    reconciliation_id: int | None = None,
    no_reconciliation_reason: str = "",
    at: datetime.datetime | None = None,
) -> Submission:
    """Freeze the county's figures for the month, the remarks and the ids behind each figure.

    The month must be over; the submission names a reconciliation round of the county held
    within the month, or says why there was none."""
    access.require(access.may_submit_report(actor, county.pk))
    at = at or timezone.now()
    report = _locked(county, month)
    if report.status not in OPEN:
        raise ServiceError(_("This report has already been submitted."))
    if timezone.localdate(at) <= month.last:
        raise ServiceError(
            _("The report for %(month)s can be submitted once the month is over.")
            % {"month": month}
        )
    reconciliation = None
    if reconciliation_id is not None:
        reconciliation = reconciliations_in(report.county_id, month).filter(
            pk=reconciliation_id
        ).first()  # fmt: skip
        if reconciliation is None:
            raise ServiceError(_("Choose a reconciliation round of this county held that month."))
    elif reconciliations_in(report.county_id, month).exists():
        raise ServiceError(
            _("The county held a reconciliation round with the poverty office this month: "
              "choose it.")
        )  # fmt: skip
    elif not no_reconciliation_reason.strip():
        raise ServiceError(
            _("Choose the month's reconciliation round with the poverty office, or say why "
              "there was none.")
        )  # fmt: skip
    counted = figures.figures_by_county(month, [report.county_id])[report.county_id]
    submission = Submission.objects.create(
        report=report,
        submitted_by=actor,
        submitted_at=at,
        figures=counted,
        members=figures.all_members(month, report.county_id),
        remarks=remarks.strip(),
        reconciliation=reconciliation,
        no_reconciliation_reason="" if reconciliation else no_reconciliation_reason.strip(),
    )
    report.status = MonthlyReport.Status.SUBMITTED
    report.remarks = submission.remarks
    report.first_submitted_at = report.first_submitted_at or at
    report.save(update_fields=["status", "remarks", "first_submitted_at"])
    history.change_record(actor=actor, kind="report_submitted", county=report.county_id,
                          target=submission, fields={
        "month": month.first, "remarks": submission.remarks,
        "reconciliation": reconciliation.pk if reconciliation else None,
        "no_reconciliation_reason": submission.no_reconciliation_reason,
    })  # fmt: skip
    _announce(report, submission, actor)
    return submission


@transaction.atomic
def report_decide(
    *, report: MonthlyReport, actor: User, accept: bool, reason: str = ""
) -> Submission:
    """City staff accept the submitted report, or return it with a reason to be corrected
    and submitted again."""
    access.require(access.may_review_reports(actor))
    report = _locked(report.county, Month.of(report.month))
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ServiceError(_("Only a submitted report can be accepted or returned."))
    if not accept and not reason.strip():
        raise ServiceError(_("Say why the report is returned."))
    submission = report.submissions.order_by("-submitted_at", "-pk").first()
    submission.decision = Submission.Decision.ACCEPTED if accept else Submission.Decision.RETURNED
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.return_reason = "" if accept else reason.strip()
    submission.save(update_fields=["decision", "decided_by", "decided_at", "return_reason"])
    before = report.status
    report.status = MonthlyReport.Status.ACCEPTED if accept else MonthlyReport.Status.RETURNED
    report.save(update_fields=["status"])
    history.change_record(actor=actor, kind="report_decided", county=report.county_id,
                          target=submission, changes={"status": [before, report.status]},
                          data={"return_reason": submission.return_reason})  # fmt: skip
    _announce(report, submission, actor)
    return submission


def _announce(report: MonthlyReport, submission: Submission, actor: User) -> None:
    transaction.on_commit(
        lambda: report_decided.send(
            sender=MonthlyReport, report=report, submission=submission, actor=actor
        )
    )


def months_reportable(today: datetime.date) -> list[Month]:
    """From September 2018 to last month, newest first."""
    return list(reversed(list(Month(*FIRST_MONTH).until(Month.of(today).previous()))))
