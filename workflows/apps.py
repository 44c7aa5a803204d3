from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Case workflow")

    def ready(self):
        from casework.history import choices_register

        from .models import TaskKind

        choices_register("task_kind", TaskKind)
