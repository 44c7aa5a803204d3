"""The roster upload's background steps: analyse (preview), then import on confirmation."""

import contextlib
import json
import logging
import tempfile
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_noop

from .. import crypto, jobs
from ..models import RosterImport
from ..retention import roster_file_path
from ..tabular import UnreadableFile, unreadable_text
from .importing import roster_import
from .reading import conflicts_record, roster_plan

logger = logging.getLogger(__name__)


def stored_path(record: RosterImport) -> Path:
    return roster_file_path(record.stored_file)


def store_encrypted(name: str, content: bytes) -> Path:
    """Keep an uploaded roster under MEDIA_ROOT encrypted (casework.crypto): it names laborers
    with their ID and phone numbers."""
    path = roster_file_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(crypto.encrypt_bytes(content))
    return path


@contextlib.contextmanager
def plain_copy(record: RosterImport):
    """The stored roster decrypted into a private temporary folder for the reader, for as long as
    the step runs, then removed."""
    with tempfile.TemporaryDirectory(prefix="casework-roster-") as folder:
        path = Path(folder) / f"roster{Path(record.stored_file).suffix}"
        path.write_bytes(crypto.decrypt_bytes(stored_path(record).read_bytes()))
        yield path


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
        with plain_copy(record) as path:
            plan = roster_plan(
                path, county=record.county, complete=record.complete, progress=_progress(record)
            )
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
        with plain_copy(record) as path:
            roster_import(
                path=path, actor=record.actor, county=record.county,
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
