"""manage.py export_ledger: the named ledger (实名台账) as JSON or xlsx."""

import json

from django.core.management.base import BaseCommand, CommandError

from casework.exports import export_logged, xlsx_export
from casework.ledger.rows import ledger_rows, ledger_sheet
from casework.models import Case, Region


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
            rows = list(ledger_rows(cases))
            text = json.dumps(rows, ensure_ascii=False, indent=1)
            count = len(rows)
            if output:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text)
            else:
                self.stdout.write(text)
            export_logged(actor=None, kind="ledger", rows=count, description=description)
        if output:
            self.stderr.write(f"{count} laborers written to {output}")
