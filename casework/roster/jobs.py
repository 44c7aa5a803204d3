"""The roster upload's background steps: analyse (preview), then import on confirmation."""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from .. import jobs
from ..models import RosterImport
from ..tabular import UnreadableFile, unreadable_text
from .importing import roster_import
from .reading import conflicts_record, roster_plan

UPLOADS = "imports"
logger = logging.getLogger(__name__)


def stored_path(record: RosterImport) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOADS / record.stored_file


def _progress(record, start=0.0, span=1.0):
    return lambda fraction: jobs.set_progress(f"import-{record.pk}", start + span * fraction)


def stored_delete(record: RosterImport) -> None:
    """The uploaded file is kept only while it waits for confirmation."""
    if record.stored_file:
        stored_path(record).unlink(missing_ok=True)


def _fail(record: RosterImport, error: Exception) -> None:
    """Any error ends the job as failed (never left analysing), with its file deleted."""
    if isinstance(error, UnreadableFile):
        data = error.data()  # why, as data: worded in the reader's language when shown
    elif isinstance(error, OSError):
        data = {"text": str(error)}
    else:
        # an error nobody foresaw: the log has its traceback (masked), the page a plain reason
        logger.exception("roster import %s failed", record.pk)
        data = UnreadableFile(gettext_noop("The file could not be read.")).data()
    record.status = RosterImport.Status.FAILED
    record.message = json.dumps(data, ensure_ascii=False)
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "message", "finished_at"])
    stored_delete(record)


@jobs.job("roster.analyse")
def analyse(pk: int) -> None:
    """Check the uploaded file and keep the preview on the import record."""
    record = RosterImport.objects.get(pk=pk)
    try:
        plan = roster_plan(
            stored_path(record), county=record.county, complete=record.complete,
            progress=_progress(record),
        )  # fmt: skip
    except Exception as error:
        _fail(record, error)
        return
    plan.write_counts(record)
    conflicts_record(record=record, plan=plan)
    record.status = RosterImport.Status.PREVIEW
    record.save()


@jobs.job("roster.execute")
def execute(pk: int) -> None:
    """Import the previewed file: every accepted row in one transaction."""
    record = RosterImport.objects.get(pk=pk)
    try:
        roster_import(
            path=stored_path(record), actor=record.actor, county=record.county,
            complete=record.complete, record=record, progress=_progress(record),
        )  # fmt: skip
    except Exception as error:
        _fail(record, error)
        return
    stored_delete(record)


def failure_text(message: str) -> str:
    """Why an import failed, in the active language (a reason stored as text stays as it is)."""
    try:
        data = json.loads(message)
    except ValueError:
        return message
    if not isinstance(data, dict):
        return message
    return unreadable_text(data) if "msgid" in data else str(data.get("text", ""))
