"""Assistance programmes (工作措施) and the help recorded through them; reconciliation rounds."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cases import Case
from .history import Located
from .regions import Region
from .work import Employment, IncomeBand


class Campaign(models.TextChoices):
    SPRING_WARMTH = "spring_warmth", _("南粤春暖")
    SPRING_BREEZE = "spring_breeze", _("春风行动")
    PRIVATE_WEEK = "private_week", _("民营企业招聘周")
    AID_MONTH = "aid_month", _("就业援助月")
    DISABLED_AID = "disabled_aid", _("贫困残疾人帮扶")
    ACTION_DAY = "action_day", _("就业扶贫行动日")
    OTHER = "other", _("其他")


class PublicPostType(models.TextChoices):
    ROADS = "roads", _("公路养护")
    CLEANING = "cleaning", _("农村保洁")
    PATROL = "patrol", _("治安巡逻")
    RESERVOIR = "reservoir", _("水库安全管理")
    FOREST = "forest", _("山林防护")
    SCHOOL = "school", _("学校安全管理")
    CITY = "city", _("城管")
    SANITATION = "sanitation", _("环卫")
    PARKS = "parks", _("园林")
    OTHER = "other", _("其他")


class BenefitKind(models.TextChoices):
    TRANSPORT = "transport", _("交通补贴")
    TRAINING = "training", _("职业培训补贴")
    STARTUP = "startup", _("创业补贴")
    POST = "post", _("岗位补贴")
    INSURANCE = "insurance", _("社会保险补贴")
    OTHER = "other", _("其他")


class Programme(models.Model):
    """What every programme has: its county, a name, who recorded it and when."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # a closed programme takes no new placements, enrolments or invitations; what it has stays
    closed_on = models.DateField(
        pgettext_lazy("programme", "closed on"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class Vacancy(Programme):
    """A post a local employer needs to fill (缺工岗位), collected for matching."""

    employer = models.CharField(_("employer"), max_length=100)
    post = models.CharField(_("post"), max_length=100)
    positions = models.PositiveIntegerField(_("number of posts"))
    wage = models.CharField(_("wage"), max_length=20, choices=IncomeBand.choices)
    place = models.CharField(_("place"), max_length=100, blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    industry = models.CharField(_("industry"), max_length=20, blank=True)
    suits_poor_laborers = models.BooleanField(_("suitable for poor laborers"), default=True)

    class Meta(Programme.Meta):
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")


class RecruitmentEvent(Programme):
    """A special recruitment campaign or event (专项招聘活动)."""

    campaign = models.CharField(_("campaign"), max_length=20, choices=Campaign.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    employers = models.TextField(_("employers"), blank=True)

    class Meta(Programme.Meta):
        verbose_name = _("recruitment event")
        verbose_name_plural = _("recruitment events")


class Workshop(Programme):
    """A poverty-alleviation workshop (就业扶贫车间) in a township or village."""

    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region, verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    enterprise = models.CharField(_("enterprise"), max_length=100)
    founded_on = models.DateField(_("founded on"))
    rent_subsidy = models.DecimalField(
        _("rent subsidy (yuan)"), max_digits=10, decimal_places=2, default=0
    )
    utility_subsidy = models.DecimalField(
        _("utility subsidy (yuan)"), max_digits=10, decimal_places=2, default=0
    )

    class Meta(Programme.Meta):
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")


class PublicPost(Programme):
    """Public-welfare posts (公益性岗位) created by an employer."""

    post_type = models.CharField(_("post type"), max_length=20, choices=PublicPostType.choices)
    positions = models.PositiveIntegerField(_("number of posts"))
    employer = models.CharField(_("employer"), max_length=100)
    monthly_subsidy = models.DecimalField(
        _("monthly subsidy (yuan)"), max_digits=10, decimal_places=2, default=0
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)

    class Meta(Programme.Meta):
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")


class Course(Programme):
    """A skill (技能) or entrepreneurship (创业, `startup`) training course."""

    class Kind(models.TextChoices):
        SKILL = "skill", _("技能培训")
        STARTUP = "startup", _("创业培训")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    trade = models.CharField(_("trade"), max_length=20, blank=True)
    provider = models.CharField(_("provider"), max_length=100)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))

    class Meta(Programme.Meta):
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")


class ProgrammeChange(models.Model):
    """A programme edited or closed: who, when, and what changed (field codes with the values
    before and after, worded when shown)."""

    class Kind(models.TextChoices):
        EDITED = "edited", _("Edited the programme")
        CLOSED = "closed", _("Closed the programme")

    programme_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    programme_id = models.PositiveIntegerField()
    programme = GenericForeignKey("programme_type", "programme_id")
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("programme change")
        verbose_name_plural = _("programme changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["programme_type", "programme_id"])]

    def __str__(self):
        return f"{self.programme_type_id}/{self.programme_id} {self.kind} {self.at:%Y-%m-%d}"


class Placement(Located):
    """A laborer placed in work through a job fair, a workshop or a public-welfare post."""

    class Kind(models.TextChoices):
        EVENT = "event", _("recruitment event")
        WORKSHOP = "workshop", _("workshop")
        PUBLIC_POST = "public_post", _("public-welfare post")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    event = models.ForeignKey(RecruitmentEvent, null=True, blank=True, on_delete=models.PROTECT)
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.PROTECT)
    public_post = models.ForeignKey(PublicPost, null=True, blank=True, on_delete=models.PROTECT)
    placed_on = models.DateField(_("date"))
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    vacancy = models.ForeignKey(
        "Vacancy", verbose_name=_("vacancy"), null=True, blank=True, on_delete=models.PROTECT
    )
    employment = models.ForeignKey(Employment, null=True, on_delete=models.SET_NULL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    date_field = "placed_on"

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [models.Index(fields=["kind", "placed_on"])]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.placed_on}"

    @property
    def programme(self):
        return self.event or self.workshop or self.public_post


class Enrolment(Located):
    """A laborer enrolled in a training course, and whether they completed it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    date_field = "enrolled_on"

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["case", "course"], name="one_enrolment_per_course")
        ]

    def __str__(self):
        return f"{self.case_id} {self.course_id}"


class Outreach(Located):
    """Policy outreach (政策宣传) to a laborer."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outreach")
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # the token of the form that sent it: the same form sent twice records it once
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    date_field = "on"

    class Meta:
        verbose_name = _("policy outreach")
        verbose_name_plural = _("policy outreach")

    def __str__(self):
        return f"{self.case_id} {self.on}"


class Benefit(Located):
    """A policy benefit a laborer received."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("kind"), max_length=12, choices=BenefitKind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    date_field = "on"

    class Meta:
        verbose_name = _("policy benefit")
        verbose_name_plural = _("policy benefits")

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.on}"


class Reconciliation(models.Model):
    """A reconciliation round with the poverty office: the cases whose employment information
    was confirmed (与扶贫部门确认更新就业工作信息)."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    cases = models.ManyToManyField(
        Case, verbose_name=_("confirmed cases"), related_name="reconciliations", blank=True,
        through="Confirmation",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reconciliation round")
        verbose_name_plural = _("reconciliation rounds")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.county} {self.held_on}"


class Confirmation(Located):
    """A laborer's employment information confirmed with the poverty office in a round: who
    confirmed it and on which day."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="confirmations"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="confirmations")
    confirmed_on = models.DateField(_("confirmed on"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    date_field = "confirmed_on"

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["reconciliation", "case"], name="one_confirmation_per_round"
            )
        ]

    def __str__(self):
        return f"{self.reconciliation_id}/{self.case_id} {self.confirmed_on}"


class AssistanceMeasure(models.TextChoices):
    """Help given besides placements, enrolments, outreach and benefits (工作措施)."""

    REFERRAL = "referral", _("Job referral or recruitment event")
    WORKSHOP = "workshop", _("Poverty-alleviation workshop")
    PUBLIC_POST = "public_post", _("Public-welfare post")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other help")


class Assistance(Located):
    """Help given to a laborer not in work, by measure: from the assistance task or the case
    page (placements, enrolments, outreach and benefits have records of their own)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assistance")
    measure = models.CharField(_("help given"), max_length=20, choices=AssistanceMeasure.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    date_field = "on"

    class Meta:
        verbose_name = _("help given")
        verbose_name_plural = _("help given")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.measure} {self.on}"


class Invitation(models.Model):
    """A laborer invited to a vacancy, event, workshop, post or course (双向推介)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    programme_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    programme_id = models.PositiveIntegerField()
    programme = GenericForeignKey("programme_type", "programme_id")
    invited_on = models.DateField(_("date"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["programme_type", "programme_id"])]

    def __str__(self):
        return f"{self.case_id} → {self.programme_type_id}/{self.programme_id}"
