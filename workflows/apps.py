from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Case workflow")

    def ready(self):
        from viewflow.workflow.models import Task

        from casework.history import choices_register

        from . import bookkeeping, models

        choices_register("task_kind", models.TaskKind)
        # the lists' copies of a task's owner and status follow every save of the task
        post_save.connect(
            bookkeeping.task_mirrored, sender=Task, dispatch_uid="workflows.task_mirrored"
        )
