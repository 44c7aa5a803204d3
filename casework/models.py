"""The registry: regions, staff, people and their cases with the stage machine and its history."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import FSMField, State

from .idnumber import mask_id_number, mask_phone


class Role(models.TextChoices):
    """Staff roles; each is also a Django group of the same name carrying its permissions."""

    CASEWORKER = "caseworker", _("Caseworker")
    COUNTY_SUPERVISOR = "county_supervisor", _("County supervisor")
    CITY_STAFF = "city_staff", _("City staff")
    ADMIN = "admin", _("Administrator")


class Region(models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / street")
        VILLAGE = "village", _("Village / community")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The county a region lies in (a county is its own); kept so that scoping a
    # user or a case to a county never walks the tree.
    county = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    default_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for_regions",
        help_text=_("New survey tasks of this township or village go to this caseworker."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")
        ]
        indexes = [models.Index(fields=["level", "county"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.level in (self.Level.TOWNSHIP, self.Level.VILLAGE) and self.parent_id:
            self.county_id = self.parent.county_id
        super().save(*args, **kwargs)
        if self.level == self.Level.COUNTY and self.county_id != self.pk:
            Region.objects.filter(pk=self.pk).update(county=self.pk)
            self.county_id = self.pk

    @cached_property
    def path(self) -> str:
        """紫金县/紫城镇/… from the county down, the way people name a place."""
        names = []
        region = self
        while region is not None and region.level != self.Level.CITY:
            names.append(region.name)
            region = region.parent
        return "/".join(reversed(names))


class User(AbstractUser):
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions"),
        blank=True,
        related_name="staff",
        help_text=_("A caseworker works townships or villages, a supervisor a county."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    @cached_property
    def role(self) -> str | None:
        """The staff role, read from the user's role group."""
        names = {group.name for group in self.groups.all()}
        for role in (Role.ADMIN, Role.CITY_STAFF, Role.COUNTY_SUPERVISOR, Role.CASEWORKER):
            if role.value in names:
                return role.value
        return None

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


class Stage(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    SURVEYED = "surveyed", _("Surveyed")
    ASSISTED = "assisted", _("Assisted")
    EMPLOYED = "employed", _("Employed")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = [stage for stage in Stage.values if stage != Stage.CLOSED]


class CloseReason(models.TextChoices):
    UNABLE_TO_WORK = "unable_to_work", _("No capacity to work")
    UNWILLING = "unwilling", _("Does not wish to work")
    LEFT_LIST = "left_list", _("Left the registered poor list")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class HouseholdType(models.TextChoices):
    AGRICULTURAL = "agricultural", _("Agricultural")
    NON_AGRICULTURAL = "non_agricultural", _("Non-agricultural")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("Illiterate")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    TECHNICAL = "technical", _("Technical school")
    VOCATIONAL = "vocational", _("Vocational secondary")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    UNIVERSITY = "university", _("University")
    MASTER = "master", _("Master's degree")
    DOCTOR = "doctor", _("Doctorate")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    FRAIL = "frail", _("Frail")
    DISABLED = "disabled", _("Disabled")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Unmarried")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("CPC probationary member")
    LEAGUE_MEMBER = "league_member", _("Communist Youth League member")
    MASSES = "masses", _("Ordinary citizen")
    OTHER = "other", _("Other")


class Person(models.Model):
    """A registered poor laborer, with the personal fields of the survey form (附件2)."""

    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    household_type = models.CharField(
        _("household registration"), max_length=20, choices=HouseholdType.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    school_major = models.CharField(_("school and major"), max_length=100, blank=True)
    graduated_on = models.DateField(_("graduation date"), null=True, blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, blank=True)
    returned_home_on = models.DateField(_("date returned home"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    household_no = models.CharField(_("household number"), max_length=40, blank=True, db_index=True)
    work_status = models.CharField(_("work status (roster)"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("laborer")
        verbose_name_plural = _("laborers")

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def age_on(self, day) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class Case(models.Model):
    """One laborer's case; its stage changes only through the guarded transitions below."""

    person = models.OneToOneField(
        Person, verbose_name=_("laborer"), on_delete=models.PROTECT, related_name="case"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("village or township"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # Denormalised from region so that region filters and scoping stay one indexed column.
    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    stage = FSMField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.IDENTIFIED,
        protected=True,
        enforce_initial=True,
    )
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    left_list_on = models.DateField(_("left the list on"), null=True, blank=True)
    # the latest survey (kept by survey_submit), so that the needs list reads one row per case
    latest_survey = models.ForeignKey(
        "Survey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("work_case", _("Can work on case tasks: survey, assistance, follow-up")),
            ("reassign_case", _("Can reassign cases and tasks")),
            ("undo_stage", _("Can undo a stage change")),
            ("approve_closing", _("Can approve closing a case")),
            ("import_roster", _("Can import the poverty office's roster")),
        ]
        indexes = [
            models.Index(fields=["county", "stage"]),
            models.Index(fields=["township", "stage"]),
            models.Index(fields=["region", "stage"]),
            models.Index(fields=["owner", "stage"]),
        ]

    def __str__(self):
        return f"{self.person.name} ({self.person.masked_id_number})"

    def get_absolute_url(self):
        return reverse("casework:case_detail", args=[self.pk])

    def place_on(self, day) -> tuple[int, int]:
        """The (county id, township id) the case belonged to on that day.

        A transfer dated after the day tells where the case was before it; with none, the
        case is where it is now. A transfer on the day itself counts for the receiving county.
        """
        later = self.transfers.filter(on__gt=day).order_by("on", "pk").first()
        if later is not None:
            return later.from_county_id, later.from_township_id
        return self.county_id, self.township_id

    # The stage machine (DOMAIN.md, Lifecycle). The methods only move the stage;
    # casework.services.case_transition records who, when and why.

    @stage.transition(source=Stage.IDENTIFIED, target=Stage.SURVEYED, label=_("Survey"))
    def survey(self):
        pass

    @stage.transition(source=Stage.SURVEYED, target=Stage.ASSISTED, label=_("Record assistance"))
    def assist(self):
        pass

    @stage.transition(
        source=[Stage.SURVEYED, Stage.ASSISTED], target=Stage.EMPLOYED, label=_("Place in work")
    )
    def place(self):
        pass

    @stage.transition(
        source=[Stage.EMPLOYED, Stage.FOLLOWED_UP], target=Stage.FOLLOWED_UP, label=_("Follow up")
    )
    def follow_up(self):
        pass

    @stage.transition(
        source=[Stage.EMPLOYED, Stage.FOLLOWED_UP], target=Stage.ASSISTED, label=_("Lost job")
    )
    def lose_job(self):
        pass

    @stage.transition(source=OPEN_STAGES, target=Stage.CLOSED, label=_("Close"))
    def close(self, *, reason_code: str, closed_on):
        self.closed_reason = reason_code
        self.closed_on = closed_on

    @stage.transition(
        source=[stage for stage in Stage.values if stage != Stage.IDENTIFIED],
        target=State.GET_STATE(lambda case, *, to: to, states=OPEN_STAGES),
        label=_("Undo last change"),
    )
    def undo(self, *, to: str):
        if self.closed_on:
            self.closed_on = None
            self.closed_reason = ""


class Located(models.Model):
    """Where the case was when the record's event happened: the county and township the monthly
    report counts it for. Written once, by casework.records.located; a later transfer moves the
    case, never its past records."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )

    date_field = ""  # the field holding the day the record's event happened

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.county_id is None or self.township_id is None:
            self.county_id, self.township_id = self.case.place_on(getattr(self, self.date_field))
        super().save(*args, **kwargs)


class StageChange(Located):
    """One move of a case's stage: from, to, who, when (the day it happened), why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    transition = models.CharField(_("transition"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    date_field = "on"

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["case", "at"]),
            models.Index(fields=["to_stage", "at"]),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"

    def save(self, *args, **kwargs):
        if self.on is None:
            self.on = timezone.localdate(self.at)
        super().save(*args, **kwargs)


class CaseEvent(models.Model):
    """Something done to a case besides a stage change: task work, hand-overs, requests."""

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Claimed a task")
        RELEASE = "release", _("Released a task to the queue")
        HAND_OVER = "hand_over", _("Handed a task over")
        REASSIGN = "reassign", _("Reassigned a task")
        COMPLETE = "complete", _("Completed a task")
        CANCEL = "cancel", _("Cancelled a task")
        ASSISTANCE = "assistance", _("Recorded help")
        CLOSE_REQUEST = "close_request", _("Asked to close the case")
        CLOSE_APPROVE = "close_approve", _("Approved closing")
        CLOSE_REFUSE = "close_refuse", _("Refused closing")
        TRANSFER_REQUEST = "transfer_request", _("Asked to transfer the case")
        TRANSFER_ACCEPT = "transfer_accept", _("Accepted the transfer")
        TRANSFER_REFUSE = "transfer_refuse", _("Refused the transfer")
        RESURVEY_START = "resurvey_start", _("Started a re-survey")
        UNDO = "undo", _("Undid a stage change")
        OWNER = "owner", _("Changed the responsible caseworker")
        ROSTER_UPDATE = "roster_update", _("Updated from the roster")
        LEFT_LIST = "left_list", _("Left the registered poor list")
        ID_CORRECTED = "id_corrected", _("Corrected the ID number")
        MERGED = "merged", _("Merged two cases")
        LEGACY_TEXT = "legacy_text", _("Earlier entry")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    task = models.ForeignKey(
        "viewflow.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # what happened, as codes and typed text (casework.history words it when shown)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return f"{self.case_id}: {self.kind}"


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
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # the wishes the needs list (需求清单) filters on, as columns
    wished_location = models.CharField(max_length=20, blank=True, db_index=True)
    wished_form = models.CharField(max_length=20, blank=True)
    wage_expectation = models.CharField(max_length=20, blank=True)
    training_wish = models.BooleanField(null=True)
    training_kind = models.CharField(max_length=10, blank=True)
    training_trade = models.CharField(max_length=20, blank=True, db_index=True)
    startup_wish = models.BooleanField(null=True)
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
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "author"], name="one_survey_draft_per_author")
        ]

    def __str__(self):
        return f"draft {self.case_id}/{self.author_id}"


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


class RosterImport(models.Model):
    """One file from the poverty office: who, when, which file, what it did, row by row."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("Reading the file")
        PREVIEW = "preview", _("Waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Could not be read")
        CANCELLED = "cancelled", _("Cancelled")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_file = models.CharField(max_length=255, blank=True)
    county = models.ForeignKey(
        Region, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    complete = models.BooleanField(_("complete roster of the county"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ANALYSING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    left_list = models.PositiveIntegerField(_("left-list candidates"), default=0)
    report = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("casework:import_detail", args=[self.pk])


class LeftListCandidate(models.Model):
    """A case of a county whose complete roster no longer names the laborer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To be decided")
        CONFIRMED = "confirmed", _("Confirmed: left the list")
        DISMISSED = "dismissed", _("Dismissed: still on the list")

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.PROTECT, related_name="left_list_candidates"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="left_list_candidates")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("left-list candidate")
        verbose_name_plural = _("left-list candidates")
        indexes = [models.Index(fields=["status", "case"])]

    def __str__(self):
        return f"{self.case_id} {self.status}"


class RegistrationConflict(models.Model):
    """A county's roster names a laborer whose case is registered in another county.

    The importing county is told only that the number is registered elsewhere; the city sees
    these rows and arranges a transfer.
    """

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.CASCADE, related_name="conflicts"
    )
    row = models.PositiveIntegerField(_("row"))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(
        Region, verbose_name=_("county naming the laborer"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration conflict")
        verbose_name_plural = _("registration conflicts")
        ordering = ["-found_at", "row"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster_import", "case"], name="one_conflict_per_import_and_case"
            )
        ]

    def __str__(self):
        return f"{self.roster_import_id}:{self.row} → {self.case_id}"


# --- assistance programmes (工作措施) -------------------------------------------------------


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
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

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


class Transfer(models.Model):
    """A case moved from one county to another: the day, who accepted it, from where to where.
    Records dated before it keep the county they were written for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    on = models.DateField(_("date"))
    from_county = models.ForeignKey(
        Region, verbose_name=_("from county"), on_delete=models.PROTECT, related_name="+"
    )
    from_township = models.ForeignKey(
        Region, verbose_name=_("from township"), on_delete=models.PROTECT, related_name="+"
    )
    to_county = models.ForeignKey(
        Region, verbose_name=_("to county"), on_delete=models.PROTECT, related_name="+"
    )
    to_township = models.ForeignKey(
        Region, verbose_name=_("to township"), on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["case", "on"])]

    def __str__(self):
        return f"{self.case_id} {self.from_county_id}→{self.to_county_id} {self.on}"


class ExportLog(models.Model):
    """Every export of case data and every reveal of full ID numbers: who, when, what."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    description = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    full_id_numbers = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


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
