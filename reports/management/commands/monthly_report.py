"""manage.py monthly_report --month 2026-10 [--county 441621] --format json|xlsx|pdf [-o FILE]:
the monthly report (附件1) of a month, as JSON (one object per county), or in the form's layout
as a workbook or PDF (one county's months, or without --county the city's totals)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.models import Region
from casework.pdf import FontMissing
from reports import annex1, figures, selectors
from reports.periods import FIRST_MONTH, Month


class Command(BaseCommand):
    help = "The monthly report (附件1) of a month: JSON, or the form's layout as xlsx or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month, as 2026-10")
        parser.add_argument("--county", help="a county's code (441621); all counties without")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("-o", "--output", help="the file to write (JSON: standard output)")

    def handle(self, *args, month, county, format, output, **options):
        month = self._month(month)
        counties = Region.objects.filter(level=Region.Level.COUNTY)
        if county:
            counties = counties.filter(code=county)
            if not counties.exists():
                known = ", ".join(
                    f"{c.code} {c.name}" for c in Region.objects.filter(
                        level=Region.Level.COUNTY).order_by("code")
                )  # fmt: skip
                raise CommandError(f"no county with code {county!r} (counties: {known})")
        if format == "json":
            text = json.dumps(report_json(counties, month), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        if county:
            annex = annex1.county_annex(counties.get(), month)
        else:
            annex = annex1.city_annex(counties, month)
        target = Path(output or f"{annex.filename_stem}.{format}")
        if format == "xlsx":
            annex1.xlsx_write(annex, target, actor=None)
        else:
            try:
                target.write_bytes(annex1.pdf_render(annex, actor=None))
            except FontMissing as error:
                raise CommandError(str(error)) from None
        self.stdout.write(f"{target}")

    def _month(self, text: str) -> Month:
        try:
            month = Month.parse(text)
        except ValueError:
            raise CommandError(f"--month {text!r}: give a month as YYYY-MM, e.g. 2026-10") from None
        if not Month(*FIRST_MONTH) <= month <= Month.of(timezone.localdate()):
            raise CommandError(
                f"--month {text}: reports run from {Month(*FIRST_MONTH)} to this month"
            )
        return month


def report_json(counties, month: Month) -> list[dict]:
    """One object per county, in code order: figures (frozen once submitted), remarks, status,
    lateness."""
    return [
        {
            "county": row.county.code,
            "month": str(month),
            "cumulative": {key: row.figures["cumulative"][key] for key in figures.KEYS},
            "month_only": {key: row.figures["month_only"][key] for key in figures.KEYS},
            "remarks": row.remarks,
            "status": row.status,
            "late": row.late,
        }
        for row in selectors.report_rows(counties, month)
    ]
