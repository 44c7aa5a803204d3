from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Case workflow")

    def ready(self):
        from django.db.models.signals import post_save
        from viewflow.workflow.models import Task

        from casework.history import choices_register

        from .bookkeeping import task_mirrored
        from .models import TaskKind

        choices_register("task_kind", TaskKind)
        post_save.connect(task_mirrored, sender=Task, dispatch_uid="workflows.task_mirrored")
