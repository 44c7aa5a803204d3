"""manage.py supervision_report --period 2026Q4|2026-11 -o FILE.pdf: the supervision report
(督导报告) of a quarter or a month, printed synchronously: the file is written when the command
exits (recorded as an export without a user, as monthly_report's files are)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework import exports
from casework.pdf import FontMissing, cjk_font_available
from supervision import report
from supervision.periods import Period, PeriodError


class Command(BaseCommand):
    help = "The supervision report (督导报告) of a quarter or a month as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="a quarter (2026Q4) or month (2026-11)")
        parser.add_argument("-o", "--output", help="the PDF to write (督导报告-PERIOD.pdf without)")

    def handle(self, *args, period, output, **options):
        try:
            period = Period.parse(period, today=timezone.localdate())
        except PeriodError as error:
            raise CommandError(f"--period: {error}") from None
        if not cjk_font_available():
            raise CommandError(str(FontMissing()))
        target = Path(output or report.filename(period))
        self._writable(target)
        try:
            rendered = report.report_render(period, generated_by="manage.py supervision_report")
        except FontMissing as error:
            raise CommandError(str(error)) from None
        try:
            target.write_bytes(rendered.content)
        except OSError as error:
            raise CommandError(f"cannot write {target}: {error.strerror}") from None
        exports.export_logged(
            actor=None, kind=report.EXPORT_KIND, description=report.description(period),
            rows=rendered.annex_rows,
        )  # fmt: skip
        self.stdout.write(f"{target}")

    def _writable(self, target: Path) -> None:
        """Refuse before the work, not after it: a folder that is missing or not writable."""
        folder = target.parent if str(target.parent) else Path(".")
        if target.is_dir():
            raise CommandError(f"cannot write {target}: it is a folder")
        if not folder.is_dir():
            raise CommandError(f"cannot write {target}: no folder {folder}")
        if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
            raise CommandError(f"cannot write {target}: permission denied")
