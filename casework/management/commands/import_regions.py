"""manage.py import_regions FILE: add townships and villages from an xlsx or csv list."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework import services
from casework.models import Region
from casework.tabular import UnreadableFile, find_header, read_rows

ALIASES = {
    "county": {"县区", "县(区)", "县(市、区)", "县区名称", "县区代码", "county", "county code"},
    "township": {"乡镇", "乡镇(街道)", "镇街", "township"},
    "village": {"村", "村(社区)", "村居", "village"},
}


class Command(BaseCommand):
    help = "Add townships and villages (columns: county code or name, township, village)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            rows = read_rows(file)
        except (UnreadableFile, OSError) as error:
            raise CommandError(str(error)) from None
        header = find_header(rows, ALIASES, {"county", "township"})
        if header is not None:
            start, columns = header
            rows = rows[start + 1 :]
        else:
            columns = {"county": 0, "township": 1, "village": 2}
        counties = {}
        for county in Region.objects.filter(level=Region.Level.COUNTY):
            counties[county.code] = counties[county.name] = county
        created = {"township": 0, "village": 0}
        errors = []
        with transaction.atomic():
            for number, cells in rows:
                county_text, township_name, village_name = (
                    cells[columns[field]] if columns.get(field, len(cells)) < len(cells) else ""
                    for field in ("county", "township", "village")
                )
                county = counties.get(county_text)
                if county is None:
                    errors.append(f"row {number}: unknown county {county_text!r}")
                    continue
                if not township_name:
                    errors.append(f"row {number}: township missing")
                    continue
                township, new = services.region_ensure(parent=county, name=township_name)
                created["township"] += new
                if village_name:
                    _, new = services.region_ensure(parent=township, name=village_name)
                    created["village"] += new
        for error in errors:
            self.stderr.write(error)
        self.stdout.write(
            f"townships created: {created['township']}, villages created: {created['village']}, "
            f"rows skipped: {len(errors)}"
        )
