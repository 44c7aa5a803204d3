"""manage.py add_user: create a staff member or replace an existing one's role and regions."""

import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework import services
from casework.models import Role, User
from casework.selectors import RegionNotFound, region_resolve


class Command(BaseCommand):
    help = "Create or update a staff member: role, regions (code or 县/乡镇 path), password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--region", action="append", default=[], help="code or path, e.g. 紫金县/紫城镇"
        )
        given = parser.add_mutually_exclusive_group()
        given.add_argument(
            "--password", help="the password (lands in the shell's history: --password-stdin)"
        )
        given.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    @transaction.atomic
    def handle(self, *args, username, role, region, password, password_stdin, **options):
        if password:
            self.stderr.write(
                "warning: a password on the command line is kept in the shell's history and "
                "seen by other users in the process list; prefer --password-stdin"
            )
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("no password on standard input")
        try:
            regions = [region_resolve(text) for text in region]
        except RegionNotFound as error:
            raise CommandError(f"unknown region: {error.args[0]!r}") from None
        user, created = User.objects.get_or_create(username=username)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                raise CommandError("password refused: " + " ".join(error.messages)) from None
            services.staff_password_set(user=user, password=password)
        elif created:
            user.set_unusable_password()
        user.save()
        try:
            services.staff_assign(user=user, role=role, regions=regions)
        except services.ServiceError as error:
            raise CommandError(str(error.message)) from None
        verb = "created" if created else "updated"
        names = ", ".join(region.path or region.name for region in regions) or "-"
        self.stdout.write(f"{verb} {username}: {role} of {names}")
