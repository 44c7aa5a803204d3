"""The survey form (附件2): every group of the paper form, its sections by employment status
and its checks."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..idnumber import is_phone_number, mask_phone, normalize_phone
from ..models import (
    Education,
    EmploymentForm,
    EmploymentStatus,
    Health,
    HouseholdType,
    IncomeBand,
    LocationClass,
    MaritalStatus,
    PoliticalStatus,
    Sex,
)
from .choices import (
    DESTINATIONS_OF,
    NOT_WORKING,
    WORKING,
    Certificate,
    Channel,
    Destination,
    DestinationRegion,
    EmployerType,
    Industry,
    NotWorkingReason,
    StartupSupport,
    Trade,
    TrainingKind,
    TrainingReceived,
    WishedForm,
    WishedLocation,
    YesNo,
)


def radio(label, choices, **kwargs):
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, required=False, **kwargs
    )


def checkboxes(label, choices):
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


def text(label, max_length=100):
    return forms.CharField(label=label, max_length=max_length, required=False)


def date(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class SurveyForm(forms.Form):
    """附件2, group by group. Sections show as they apply; the checks follow the form's logic."""

    # (title, fields, the employment statuses that show it: None for every status). One rule
    # for the page, which shows a section only for its statuses (data-shows-for), and for the
    # checks: a hidden section is neither checked nor kept (hidden_fields).
    GROUPS = [
        (_("个人基本信息"), ["name", "sex", "ethnicity", "household_type", "phone", "school_major",
                       "graduated_on", "education", "health", "returned_home_on",
                       "marital_status", "political_status", "training_received",
                       "certificates"], None),
        (_("就失业状况"), ["employment_status", "former_employer", "former_occupation",
                      "former_industry", "former_industry_other"], None),
        (_("已就业（转移就业）情况"), ["work_address", "employer_post", "startup_project",
                               "flexible_post", "work_started_on", "time_away",
                               "location_class", "destination_region", "destination",
                               "destination_other", "employment_form", "income_band",
                               "channel", "industry", "industry_other", "startup_support"],
         WORKING),
        (_("未转移就业人员就业意愿"), ["reasons", "wished_location", "wished_form",
                               "employer_type", "wage_expectation", "other_requirements",
                               "startup_wish", "startup_project_wish", "training_wish",
                               "training_kind", "training_trade", "training_trade_other"],
         NOT_WORKING),
        (_("调查"), ["surveyed_on", "note"], None),
    ]  # fmt: skip

    name = forms.CharField(label=_("姓名"), max_length=50)
    sex = radio(_("性别"), Sex.choices)
    ethnicity = text(_("民族"), 20)
    household_type = radio(_("户籍性质"), HouseholdType.choices)
    # shown masked; the masked value sent back unchanged keeps the stored number (clean_phone)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"data-personal-number": "phone", "autocomplete": "off"}),
    )  # fmt: skip
    school_major = text(_("毕业院校及专业"))
    graduated_on = date(_("毕业时间"))
    education = radio(_("文化程度"), Education.choices)
    health = radio(_("健康状况"), Health.choices)
    returned_home_on = date(_("外出务工人员返乡时间"))
    marital_status = radio(_("婚姻状况"), MaritalStatus.choices)
    political_status = radio(_("政治面貌"), PoliticalStatus.choices)
    training_received = checkboxes(_("接受培训情况"), TrainingReceived.choices)
    certificates = checkboxes(_("获得技能证书"), Certificate.choices)
    employment_status = radio(_("就失业状况"), EmploymentStatus.choices)
    former_employer = text(_("外出务工人员返乡前单位"))
    former_occupation = text(_("返乡前从事职业"))
    former_industry = radio(_("返乡前就业单位或自主创业所属行业"), Industry.choices)
    former_industry_other = text(_("其他行业说明"))
    work_address = text(_("就业（创业）地址"), 200)
    employer_post = text(_("工作单位及岗位"))
    startup_project = text(_("自主创业项目名称"))
    flexible_post = text(_("灵活就业岗位名称"))
    work_started_on = date(_("工作时间"))
    time_away = text(_("外出务工时间"), 50)
    location_class = radio(_("就业所在地"), LocationClass.choices)
    destination_region = radio(_("外出务工地"), DestinationRegion.choices)
    destination = radio(_("外出务工城市"), Destination.choices)
    destination_other = text(_("其他地区（省、市、县）"))
    employment_form = radio(_("就业形式"), EmploymentForm.choices)
    income_band = radio(_("月工资收入"), IncomeBand.choices)
    channel = radio(_("外出务工渠道"), Channel.choices)
    industry = radio(_("所在企业及自主创业所属行业"), Industry.choices)
    industry_other = text(_("其他行业说明"))
    startup_support = checkboxes(_("自主创业人员已经享受的扶持政策"), StartupSupport.choices)
    reasons = checkboxes(_("未转移就业创业原因"), NotWorkingReason.choices)
    wished_location = radio(_("理想的就业地"), WishedLocation.choices)
    wished_form = radio(_("就业形式意愿"), WishedForm.choices)
    employer_type = radio(_("就业单位性质"), EmployerType.choices)
    wage_expectation = radio(_("月工资收入要求"), IncomeBand.choices)
    other_requirements = text(_("其他要求"), 200)
    startup_wish = radio(_("是否有创业意愿"), YesNo.choices)
    startup_project_wish = text(_("想创业的项目"))
    training_wish = radio(_("是否有培训意愿"), YesNo.choices)
    training_kind = radio(_("愿意接受什么样的培训"), TrainingKind.choices)
    training_trade = radio(_("最想参加什么工种的培训"), Trade.choices)
    training_trade_other = text(_("其他工种说明"))
    surveyed_on = forms.DateField(
        label=_("调查时间"), initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def hidden_fields(cls, status) -> set[str]:
        """The fields of the sections an employment status hides (no status: both sections
        that depend on it)."""
        return {
            name
            for _title, names, shown_for in cls.GROUPS
            if shown_for is not None and status not in shown_for
            for name in names
        }

    @classmethod
    def without_hidden(cls, data: dict) -> dict:
        """Typed answers (a draft) without those of the sections their status hides."""
        status = data.get("employment_status")
        if isinstance(status, list):
            status = status[0] if status else None
        hidden = cls.hidden_fields(status)
        return {name: value for name, value in data.items() if name not in hidden}

    def groups(self):
        """The form's groups with their bound fields, for the template."""
        for index, (title, names, shown_for) in enumerate(self.GROUPS):
            yield {
                "title": title,
                "index": index,
                "fields": [self[name] for name in names],
                "shown_for": " ".join(shown_for) if shown_for is not None else "",
            }

    def clean_phone(self):
        """The masked number sent back unchanged stands for the stored one; a new one is typed
        whole and must be a phone number."""
        phone = self.cleaned_data.get("phone", "").strip()
        stored = getattr(self, "stored_phone", "") or ""
        if stored and phone == mask_phone(stored):
            return stored
        if "*" in phone:
            raise forms.ValidationError(
                _("Type the whole new phone number, or leave the masked one as it is.")
            )
        phone = normalize_phone(phone)
        if phone and not is_phone_number(phone):
            raise forms.ValidationError(
                _(
                    "Enter a mobile number (11 digits starting with 1) or a landline with "
                    "its area code, such as 0762-1234567."
                )
            )
        return phone

    def drop_hidden(self, cleaned: dict) -> None:
        """What a hidden section holds is neither checked nor kept: its values and errors go."""
        for name in self.hidden_fields(cleaned.get("employment_status")):
            self.errors.pop(name, None)
            cleaned[name] = [] if isinstance(self.fields[name], forms.MultipleChoiceField) else (
                None if isinstance(self.fields[name], forms.DateField) else ""
            )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        self.drop_hidden(cleaned)
        today = timezone.localdate()
        for name in ("surveyed_on", "graduated_on", "returned_home_on", "work_started_on"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("The date cannot be in the future."))
        person_sex = getattr(self, "person_sex", None)
        if cleaned.get("sex") and person_sex and cleaned["sex"] != person_sex:
            self.add_error("sex", _("The sex disagrees with the ID number."))
        status = cleaned.get("employment_status")
        if not status:
            self.add_error("employment_status", _("This field is required."))
            return cleaned
        working = status in WORKING
        wanted = ["location_class", "employment_form", "income_band"] if working else [
            "reasons", "wished_location", "wished_form", "training_wish", "startup_wish",
        ]  # fmt: skip
        for name in wanted:
            if not cleaned.get(name):
                self.add_error(name, _("This field is required."))
        if working:
            if cleaned.get("destination_region") == DestinationRegion.OTHER:
                if not cleaned.get("destination_other"):
                    self.add_error("destination_other", _("This field is required."))
            elif cleaned.get("destination_region") and cleaned.get(
                "destination"
            ) not in DESTINATIONS_OF.get(cleaned["destination_region"], []):
                self.add_error("destination", _("Choose a city of that region."))
            if cleaned.get("industry") == Industry.OTHER and not cleaned.get("industry_other"):
                self.add_error("industry_other", _("This field is required."))
        else:
            if cleaned.get("training_wish") == YesNo.YES:
                if not cleaned.get("training_kind"):
                    self.add_error("training_kind", _("This field is required."))
                if cleaned.get("training_kind") == TrainingKind.SKILL and not cleaned.get(
                    "training_trade"
                ):
                    self.add_error("training_trade", _("This field is required."))
                if cleaned.get("training_trade") == Trade.OTHER and not cleaned.get(
                    "training_trade_other"
                ):
                    self.add_error("training_trade_other", _("This field is required."))
            if cleaned.get("startup_wish") == YesNo.YES and not cleaned.get("startup_project_wish"):
                self.add_error("startup_project_wish", _("This field is required."))
        if (
            TrainingReceived.NONE in cleaned.get("training_received", [])
            and len(cleaned["training_received"]) > 1
        ):
            self.add_error("training_received", _("“Never trained” cannot go with a training."))
        if Certificate.NONE in cleaned.get("certificates", []) and len(cleaned["certificates"]) > 1:
            self.add_error("certificates", _("“None” cannot go with a certificate."))
        return cleaned

    def answers(self) -> dict:
        """What the survey recorded, as JSON-ready values (dates as ISO strings)."""
        answers = {}
        for name, value in self.cleaned_data.items():
            if name in ("surveyed_on", "note"):
                continue
            answers[name] = value.isoformat() if hasattr(value, "isoformat") else value
        # sections that do not apply are not kept (drop_hidden emptied them)
        for name in self.hidden_fields(answers["employment_status"]):
            answers[name] = [] if isinstance(answers.get(name), list) else ""
        return answers
