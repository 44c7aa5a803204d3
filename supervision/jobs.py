"""The supervision's background work: the ladder's monthly assessment (periodic, counted under
`county_escalations`) and the supervision report made in the background."""

import logging

from django.utils import timezone, translation

from casework import history, jobs
from casework.models import User

from . import report
from .ladder import county_escalations_run  # noqa: F401  (registers the periodic assessment)
from .models import SupervisionReport
from .periods import Period

logger = logging.getLogger(__name__)


def progress_key(pk: int) -> str:
    return f"supervision-report-{pk}"


def generated_by(user: User) -> str:
    """The name on the cover: full name and user name."""
    return str(user)


@jobs.job("supervision.report")
def report_print(pk: int) -> None:
    """Print a requested supervision report in its asker's language and keep the PDF on its
    record, reporting progress on the way; a failure is kept on the record with its reason."""
    record = SupervisionReport.objects.select_related("requested_by").get(pk=pk)
    started = SupervisionReport.objects.filter(
        pk=pk, status=SupervisionReport.Status.PENDING
    ).update(status=SupervisionReport.Status.RUNNING)
    if not started:  # printed (or being printed) already
        return

    def progress(fraction: float) -> None:
        jobs.set_progress(progress_key(pk), fraction)

    try:
        with translation.override(record.language):
            asked_on = timezone.localdate(record.requested_at)
            rendered = report.report_render(
                Period.parse(record.period, today=asked_on),
                generated_by=generated_by(record.requested_by), today=asked_on,
                progress=progress,
            )  # fmt: skip
    except Exception as error:  # kept on the record and shown on its page, not lost in a log
        logger.exception("supervision report %s failed", pk)
        SupervisionReport.objects.filter(pk=pk).update(
            status=SupervisionReport.Status.FAILED, error=str(error)[:2000],
            finished_at=timezone.now(),
        )  # fmt: skip
        return
    SupervisionReport.objects.filter(pk=pk).update(
        status=SupervisionReport.Status.DONE, progress=100, pdf=rendered.content,
        size=len(rendered.content), annex_rows=rendered.annex_rows, finished_at=timezone.now(),
    )  # fmt: skip
    jobs.set_progress(progress_key(pk), 1.0)


def report_request(*, actor: User, period: Period) -> SupervisionReport:
    """Ask for a supervision report, printed in the background in the asker's language; the
    same period asked again while it is still printing is the same report."""
    language = translation.get_language() or "zh-hans"
    printing = SupervisionReport.objects.filter(
        requested_by=actor, period=str(period), language=language,
        status__in=[SupervisionReport.Status.PENDING, SupervisionReport.Status.RUNNING],
    ).first()  # fmt: skip
    if printing is not None:
        return printing
    record = SupervisionReport.objects.create(
        period=str(period), language=language, requested_by=actor, requested_at=timezone.now(),
    )  # fmt: skip
    history.change_record(actor=actor, kind="supervision_report_asked", target=record,
                          fields={"period": str(period), "language": language})  # fmt: skip
    jobs.submit("supervision.report", pk=record.pk)
    return record
