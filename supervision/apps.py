"""County supervision: the escalation ladder for counties that fall behind, inspections, the
year-end evaluation and the supervision report."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("County supervision")
