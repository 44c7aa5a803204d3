"""manage.py import_roster PATH: import the poverty office's roster (xlsx or csv)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from casework.models import Region, Role, User
from casework.roster import roster_import, roster_plan
from casework.tabular import UnreadableFile


class Command(BaseCommand):
    help = "Import a roster of registered poor laborers; every accepted row or none."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")
        parser.add_argument("--user", help="the importing user (default: the command line)")
        parser.add_argument("--county", help="county code: reject rows of other counties")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="the file is the county's complete roster: list who is missing from it",
        )

    def handle(self, *args, path, dry_run, user, county, complete, **options):
        as_json = options["json"]
        translation.activate(settings.LANGUAGE_CODE)
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"unknown user: {user}")
        scope = None
        if county:
            scope = Region.objects.filter(level=Region.Level.COUNTY, code=county).first()
            if scope is None:
                raise CommandError(f"unknown county code: {county}")
        elif actor is not None and actor.role == Role.COUNTY_SUPERVISOR:
            scope = actor.regions.filter(level=Region.Level.COUNTY).first()
        if complete and scope is None:
            raise CommandError("--complete needs --county (or a county supervisor's --user)")
        try:
            if dry_run:
                plan = roster_plan(path, county=scope, complete=complete)
            else:
                _, plan = roster_import(
                    path=path, actor=actor, county=scope, complete=complete,
                    source=f"manage.py import_roster {path}",
                )  # fmt: skip
        except (UnreadableFile, OSError) as error:
            raise CommandError(f"{path}: {error}") from None
        summary = plan.summary()
        if as_json:
            self.stdout.write(dumps(summary))
            return
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{plan.rows} rows: {verb} {summary['created']}, updated {summary['updated']}, "
            f"unchanged {summary['unchanged']}, rejected {len(summary['rejected'])}, "
            f"warnings {len(summary['warnings'])}, left-list candidates {summary['left_list']}"
        )
        for rejected in summary["rejected"]:
            self.stdout.write(f"  row {rejected['row']}: {' '.join(rejected['reasons'])}")


def dumps(summary) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2)
