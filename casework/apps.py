from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class IdConverter:
    """A record number in a URL (`<id:pk>`): up to 18 digits, so that a longer one is a page
    not found rather than a number the database cannot hold."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case registry")

    def ready(self):
        register_converter(IdConverter, "id")  # before any URLconf is loaded
        from . import checks, logins, roles, tasks  # noqa: F401  (jobs, checks, login receivers)

        # after every app, so that permissions of apps migrated later exist too
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="casework_role_groups")
