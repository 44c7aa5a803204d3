"""Work: employments and the follow-ups of laborers in work (跟踪服务)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .history import Located


class IncomeBand(models.TextChoices):
    B1 = "1000-2000", _("1000元-2000元")
    B2 = "2000-3000", _("2000元-3000元")
    B3 = "3000-4000", _("3000元-4000元")
    B4 = "4000-5000", _("4000元-5000元")
    B5 = "5000+", _("5000元以上")


class LocationClass(models.TextChoices):
    OUTSIDE_PROVINCE = "outside_province", _("Outside the province")
    IN_PROVINCE = "in_province", _("In the province, outside the city")
    IN_CITY = "in_city", _("In the city, outside the county")
    IN_COUNTY = "in_county", _("In the county")


class EmploymentForm(models.TextChoices):
    EMPLOYEE = "employee", _("Employed by a unit")
    STARTUP = "startup", _("Started a business")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FLEXIBLE = "flexible", _("Flexible work")
    OTHER = "other", _("Other employment")
    PUBLIC_POST = "public_post", _("Public-welfare post")


class Employment(Located):
    """Where and how a laborer works, from the employment task, a survey or a placement; ended
    when a follow-up or re-survey finds the job lost or changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="employments")
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    employer = models.CharField(_("employer"), max_length=100)
    post = models.CharField(_("post"), max_length=100, blank=True)
    place = models.CharField(_("work address"), max_length=200, blank=True)
    wage_band = models.CharField(
        _("monthly wage"), max_length=10, choices=IncomeBand.choices, blank=True
    )
    location_class = models.CharField(
        _("location"), max_length=20, choices=LocationClass.choices, blank=True
    )
    form = models.CharField(_("form of employment"), max_length=20, choices=EmploymentForm.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    date_field = "started_on"

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.employer} {self.post}"


class FollowUpStatus(models.TextChoices):
    STILL_WORKING = "still_working", _("Still working")
    CHANGED_JOB = "changed_job", _("Changed job")
    LOST_JOB = "lost_job", _("Lost the job")


class FollowUp(Located):
    """A follow-up call or visit to a laborer in work (跟踪服务)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    followed_up_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=FollowUpStatus.choices)
    work_address = models.CharField(_("work address"), max_length=200, blank=True)
    wage_band = models.CharField(
        _("monthly wage"), max_length=10, choices=IncomeBand.choices, blank=True
    )
    problems = models.TextField(_("problems met"), blank=True)
    help_given = models.TextField(_("help given"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    date_field = "followed_up_on"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["followed_up_on", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.followed_up_on}"
