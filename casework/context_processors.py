"""The header's navigation: what the signed-in user's role works with."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [(_("Home"), reverse("home")), (_("Cases"), reverse("casework:case_list"))]
    if user.role == Role.ADMIN or user.is_superuser:
        items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items}
