"""The header's navigation: what the signed-in user's role works with."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [(_("Home"), reverse("home"))]
    if user.role == Role.CASEWORKER:
        items += [
            (_("My tasks"), reverse("workflows:inbox")),
            (_("Task queue"), reverse("workflows:queue")),
        ]
    supervisor = access.is_supervisor(user)
    if supervisor:
        items += [
            (_("Overdue tasks"), reverse("workflows:overdue")),
            (_("Team"), reverse("workflows:team")),
        ]
    items.append((_("Cases"), reverse("casework:case_list")))
    items.append((_("Needs list"), reverse("needs")))
    items.append((_("Programmes"), reverse("programmes:index")))
    items.append((_("Contacts"), reverse("contacts:index")))
    if access.may_see_reports(user):
        items.append((_("Monthly report"), reverse("reports:monthly")))
        items.append((_("Supervision"), reverse("supervision:dashboard")))
    if access.may_import(user):
        items.append((_("Import the roster"), reverse("casework:import_upload")))
    if user.role == Role.COUNTY_SUPERVISOR:
        items.insert(1, (_("Task queue"), reverse("workflows:queue")))
    if access.may_read_audit(user):
        items.append((_("Record of processing"), reverse("audit")))
    if user.role == Role.ADMIN or user.is_superuser:
        items.append((_("Administration"), reverse("admin:index")))
    # only those who hold tasks have an inbox and a queue to look at
    holds_tasks = access.has_role(user, *access.WORKERS)
    return {"nav_items": items, "is_supervisor": supervisor, "holds_tasks": holds_tasks}
