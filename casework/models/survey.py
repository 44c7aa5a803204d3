"""The door-to-door survey (附件2) as dated snapshots, and drafts being typed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .fields import EncryptedJSONField
from .history import Located


class EmploymentStatus(models.TextChoices):
    """就失业状况 of the survey form."""

    MIGRANT = "migrant", _("Working away from home")
    LOCAL = "local", _("Working locally")
    FARMING = "farming", _("Farming at home")
    OTHER = "other", _("Other")


class Survey(Located):
    """A dated snapshot of the door-to-door survey (附件2); the full form comes with the survey."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="surveys")
    surveyed_on = models.DateField(_("survey date"))
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("surveyor"), on_delete=models.PROTECT
    )
    employment_status = models.CharField(
        _("employment status"), max_length=20, choices=EmploymentStatus.choices
    )
    is_resurvey = models.BooleanField(_("re-survey"), default=False)
    note = models.TextField(_("note"), blank=True)
    # the whole form as answered (casework.survey.SurveyForm), a dated snapshot
    # (encrypted at rest: it holds the phone number and free text)
    answers = EncryptedJSONField(_("answers"), default=dict, blank=True)
    # the wishes the needs list (需求清单) filters on, as columns
    wished_location = models.CharField(max_length=20, blank=True, db_index=True)
    wished_form = models.CharField(max_length=20, blank=True)
    wage_expectation = models.CharField(max_length=20, blank=True)
    training_wish = models.BooleanField(null=True)
    training_kind = models.CharField(max_length=10, blank=True)
    training_trade = models.CharField(max_length=20, blank=True, db_index=True)
    startup_wish = models.BooleanField(null=True)
    # working, or not working for a reason other than those that rule work out
    # (casework.survey.wants_work); the two 100% targets count the laborers who want work
    wants_work = models.BooleanField(_("wants work"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    date_field = "surveyed_on"

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["surveyed_on", "pk"]
        indexes = [models.Index(fields=["case", "surveyed_on"])]

    def __str__(self):
        return f"{self.case_id} {self.surveyed_on}"

    @property
    def is_working(self) -> bool:
        return self.employment_status in (EmploymentStatus.MIGRANT, EmploymentStatus.LOCAL)


class SurveyDraft(models.Model):
    """A survey being filled in, saved as it goes, so that nothing typed is lost."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = EncryptedJSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "author"], name="one_survey_draft_per_author")
        ]

    def __str__(self):
        return f"draft {self.case_id}/{self.author_id}"
