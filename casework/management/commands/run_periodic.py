"""Run the periodic work that is due (cron every few minutes, on any number of hosts)."""

import json
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from casework import jobs


class Command(BaseCommand):
    help = (
        "Run everything due: viewflow's timers, quarterly re-surveys, escalations, notification "
        "delivery and digests. Safe to run from several hosts at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="the clock for the project's own jobs, ISO 8601 (2027-01-01 or 2027-01-01T08:00); "
            "a time without a zone is Asia/Shanghai's",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the counts as JSON"
        )

    def handle(self, *args, now=None, as_json=False, **options):
        moment = self.moment(now)
        counts, failed = jobs.periodic_run(now=moment)
        if as_json:
            self.stdout.write(json.dumps(counts))
        else:
            for key, count in counts.items():
                self.stdout.write(f"{key}: {count}")
        if failed:
            raise CommandError(f"failed: {', '.join(failed)} (see the log)")

    @staticmethod
    def moment(value):
        if not value:
            return timezone.now()
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, time.min)
        if moment is None:
            raise CommandError(f"--now {value!r} is not an ISO 8601 date and time")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
