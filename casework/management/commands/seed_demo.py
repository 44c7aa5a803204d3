"""manage.py seed_demo: demo regions, logins (password casework-demo) and about 600 cases."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.demo.seed import PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo data (development only). Running it twice adds nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even though DEBUG is off (not in production!)"
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates logins with a known "
                "password. Use --force if this really is a demo installation."
            )
        result = seed_demo()
        self.stdout.write(
            f"demo data ready: {result['cases']} cases created; logins "
            f"admin, city, sup_zijin, cw_zijin, cw_zijin2, cw_longchuan (password {PASSWORD})"
        )
