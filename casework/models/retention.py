"""How long personal numbers and uploaded rosters are kept: one rule, edited in the admin."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """The retention periods (PIPL art. 19: no longer than the purpose needs): one row, edited in
    the admin, read by each run of the periodic erasure (casework.retention)."""

    erase_after_years = models.PositiveSmallIntegerField(
        _("years after closing before the personal numbers are erased"), default=5,
        validators=[MinValueValidator(1)],
        help_text=_("A closed case keeps its records and counts; its laborer's ID number, phone, "
                    "birth date and the numbers in its survey answers and history are erased."),
    )  # fmt: skip
    roster_file_days = models.PositiveSmallIntegerField(
        _("days an uploaded roster file is kept"), default=30, validators=[MinValueValidator(1)],
        help_text=_("The import's record and row report stay; the file itself is deleted."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rule")

    def __str__(self):
        return str(_("Retention rule"))

    @classmethod
    def current(cls) -> "RetentionRule":
        """The rule in force (the defaults until an administrator saves one)."""
        return cls.objects.order_by("pk").first() or cls()
