"""manage.py export_ledger: the named ledger (实名台账) as JSON or xlsx, written a row at a time
and finished before the command exits (never a background job)."""

from django.core.management.base import BaseCommand, CommandError

from casework.exports import export_logged, json_write, xlsx_export
from casework.ledger.rows import ledger_rows, ledger_sheet
from casework.models import Case, Region


class _Unended:
    """The command's output taking text as given (OutputWrapper ends each write with a line)."""

    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")


class Command(BaseCommand):
    help = "Export one row per laborer, ordered by county code then ID number (IDs masked)."

    def add_arguments(self, parser):
        parser.add_argument("--county", help="county code")
        parser.add_argument("--format", choices=["json", "xlsx"], required=True)
        parser.add_argument("-o", "--output", help="file (default: standard output, json only)")

    def handle(self, *args, county, format, output, **options):
        cases = Case.objects.all()
        if county:
            region = Region.objects.filter(level=Region.Level.COUNTY, code=county).first()
            if region is None:
                raise CommandError(f"unknown county code: {county}")
            cases = cases.filter(county=region)
        description = f"manage.py export_ledger --county {county or 'all'} {format}"
        if format == "xlsx":
            if not output:
                raise CommandError("xlsx needs -o FILE")
            count = xlsx_export([ledger_sheet(cases)], output, actor=None, kind="ledger",
                                description=description)  # fmt: skip
        else:
            if output:
                with open(output, "w", encoding="utf-8") as handle:
                    count = json_write(ledger_rows(cases), handle)
            else:
                count = json_write(ledger_rows(cases), _Unended(self.stdout))
                self.stdout.write("")  # the newline the text ended with
            export_logged(actor=None, kind="ledger", rows=count, description=description)
        if output:
            self.stderr.write(f"{count} laborers written to {output}")
