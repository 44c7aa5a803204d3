from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case registry")

    def ready(self):
        from . import roles, tasks  # noqa: F401  (tasks registers the background jobs by name)

        # after every app, so that permissions of apps migrated later exist too
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="casework_role_groups")
