"""People and their cases: the stage machine, its dated and placed history, transfers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import FSMField, State

from ..idnumber import mask_id_number, mask_phone
from .fields import EncryptedCharField, EncryptedDateField, HashField, YearOfField, hash_fields_of
from .regions import Region

# what a list shows instead of a number the retention period erased
ERASED = _("erased")


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

    # Encrypted at rest (casework.crypto, docs/encryption.md): the ID number is found and kept
    # unique through its keyed hash, searched through the hashes of its last 4, 5 and 6
    # characters; erased (casework.retention) it is "" and its hashes NULL.
    id_number = EncryptedCharField(
        _("ID number"), max_length=18, blank=True, hash_field="id_number_hash",
        suffix_fields={4: "id_suffix4_hash", 5: "id_suffix5_hash", 6: "id_suffix6_hash"},
    )  # fmt: skip
    id_number_hash = HashField(source="id_number", unique=True)
    id_suffix4_hash = HashField(source="id_number", suffix=4, db_index=True)
    id_suffix5_hash = HashField(source="id_number", suffix=5, db_index=True)
    id_suffix6_hash = HashField(source="id_number", suffix=6, db_index=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    # in clear: what the lists sort by age on (the ID number's year of birth)
    birth_year = YearOfField(_("year of birth"), source="birth_date")
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    household_type = models.CharField(
        _("household registration"), max_length=20, choices=HouseholdType.choices, blank=True
    )
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
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
    # set when the retention period erased the personal numbers (casework.retention)
    erased_on = models.DateField(_("personal numbers erased on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    _loaded_name = None

    class Meta:
        verbose_name = _("laborer")
        verbose_name_plural = _("laborers")

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            # the hashes and the year follow the values they are made from
            update_fields = set(update_fields)
            if "id_number" in update_fields:
                update_fields |= {field.name for field in hash_fields_of(Person)}
            if "birth_date" in update_fields:
                update_fields.add("birth_year")
        super().save(*args, update_fields=update_fields, **kwargs)
        if self._loaded_name is not None and self._loaded_name != self.name:
            Case.objects.filter(person=self).update(person_name=self.name)
        self._loaded_name = self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        person = super().from_db(db, field_names, values)
        # the name as read, so that a renamed laborer's case list key follows (save())
        person._loaded_name = person.__dict__.get("name")
        return person

    @property
    def masked_id_number(self) -> str:
        return Person.id_number_masked(self.id_number, self.erased_on)

    @staticmethod
    def id_number_masked(id_number: str, erased_on) -> str:
        """The ID number as shown from its value and erasure date (rows read as values)."""
        return str(ERASED) if erased_on else mask_id_number(id_number)

    @property
    def masked_phone(self) -> str:
        return str(ERASED) if self.erased_on else mask_phone(self.phone)

    def age_on(self, day) -> int | None:
        born = self.birth_date
        if born is None:  # erased: the age in years the birth year gives at most
            return day.year - self.birth_year if self.birth_year else None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
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
    # the trade the laborer wishes skill training in, by the latest survey while not in work
    # ("": such a wish without a trade; NULL: none): what the needs list's trade totals count,
    # kept with latest_survey (casework.records.latest_survey_set) and by a summary (NEEDS)
    trade_wish = models.CharField(max_length=20, null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    # The list's sort keys, copied from the case's place and laborer so that every order of the
    # case list is an index of this table (docs/benchmarks.md, province scale): the place's
    # code (a village's 12 digits begin with its township's 9 and its county's 6) and the name.
    place_code = models.CharField(max_length=12, editable=False, default="")
    person_name = models.CharField(max_length=50, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    _loaded_region_id = None

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
            # the case list's orders (casework.tables.CaseTable), for the whole city and for one
            # county or township; a city's scope also bounds place_code (access.cases_visible_to)
            models.Index(fields=["place_code", "person_name", "id"], name="case_place_order"),
            models.Index(
                fields=["county", "place_code", "person_name", "id"], name="case_county_place"
            ),
            models.Index(
                fields=["township", "place_code", "person_name", "id"], name="case_township_place"
            ),
            models.Index(fields=["person_name", "id"], name="case_name_order"),
            models.Index(fields=["county", "person_name", "id"], name="case_county_name"),
            models.Index(fields=["identified_on", "id"], name="case_identified_order"),
            models.Index(fields=["county", "identified_on", "id"], name="case_county_identified"),
        ]

    def __str__(self):
        return f"{self.person.name} ({self.person.masked_id_number})"

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or {"region", "person"} & set(update_fields):
            self.sort_keys_fill()
            if update_fields is not None:
                update_fields = {*update_fields, "place_code", "person_name"}
        super().save(*args, update_fields=update_fields, **kwargs)
        self._loaded_region_id = self.region_id

    def get_absolute_url(self):
        return reverse("casework:case_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._loaded_region_id = case.__dict__.get("region_id")
        return case

    def sort_keys_fill(self) -> None:
        """Copy the place's code and the laborer's name to the list's sort keys (a bulk write
        calls this for each case it creates or moves; save() calls it itself). A relation not
        in memory is read only when it changed or its key is missing."""
        region, person = Case._meta.get_field("region"), Case._meta.get_field("person")
        if self.region_id and (
            region.is_cached(self) or self.region_id != self._loaded_region_id
            or not self.place_code
        ):  # fmt: skip
            self.place_code = self.region.code
        if self.person_id and (person.is_cached(self) or not self.person_name):
            self.person_name = self.person.name

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
