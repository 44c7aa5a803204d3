"""Erase the personal numbers of cases closed past the retention period; delete old rosters."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from casework.models import RetentionRule
from casework.retention import cases_due_for_erasure, retention_apply


class Command(BaseCommand):
    help = (
        "Erase the ID number, phone and birth date of every case closed longer than the retention "
        "rule's years (the case and its counts stay) and delete roster files older than its days. "
        "Also runs as periodic work (run_periodic: personal_numbers_erased)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to apply the periods from, YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="count the cases due, change nothing"
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        day = timezone.localdate()
        if today:
            day = parse_date(today)
            if day is None:
                raise CommandError("--today takes YYYY-MM-DD")
        rule = RetentionRule.current()
        if dry_run:
            due = cases_due_for_erasure(day, rule.erase_after_years).count()
            self.stdout.write(f"cases due for erasure: {due}")
            return
        counts = retention_apply(today=day, rule=rule)
        self.stdout.write(
            f"cases erased: {counts['cases_erased']}; "
            f"roster files deleted: {counts['roster_files_deleted']}; "
            f"export files deleted: {counts['export_files_deleted']}"
        )
