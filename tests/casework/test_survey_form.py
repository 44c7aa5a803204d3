"""The survey form offers exactly the choices of 附件2, in its order (its typo corrected)."""

from pathlib import Path

import pytest
from django.utils import translation

from casework.survey import SurveyForm

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed"
TYPO = {"中公预备党员": "中共预备党员"}
# the form's checkbox groups in the order they appear on the paper form
FIELDS = [
    "sex", "household_type", "education", "health", "marital_status", "political_status",
    "training_received", "certificates", "employment_status", "former_industry",
    "location_class", "destination_region", "destination", "employment_form", "income_band",
    "channel", "industry", "startup_support", "reasons", "wished_location", "wished_form",
    "employer_type", "wage_expectation", "startup_wish", "training_wish", "training_kind",
    "training_trade",
]  # fmt: skip


def seed_groups() -> list[list[str]]:
    """Every run of checkboxes of the survey form (附件2) in the seed, in order."""
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        pytest.skip(f"the seed is not beside the checkout ({SEED})")
    text = files[0].read_text(encoding="utf-8")
    form = text[text.index("河源市贫困劳动力调查表") : text.index("调查人(签名)")]
    groups = []
    for line in form.splitlines():
        for cell in line.split("\t"):
            if "checkbox" in cell:
                options = cell.split('<input type="checkbox"/>')[1:]
                groups.append([TYPO.get(o.split()[0].rstrip("_"), o.split()[0].rstrip("_"))
                               for o in options])  # fmt: skip
    # 外出务工地: three region rows, two of them followed by their cities
    start = next(i for i, group in enumerate(groups) if group == ["长三角地区"])
    region = groups[start] + groups[start + 2] + groups[start + 4]
    cities = groups[start + 1] + groups[start + 3]
    return groups[:start] + [region, cities] + groups[start + 5 :]


def test_the_survey_form_offers_exactly_the_choices_of_the_paper_form():
    expected = seed_groups()
    assert len(expected) == len(FIELDS)
    form = SurveyForm()
    with translation.override("zh-hans"):
        offered = [[str(label) for _, label in form.fields[name].choices if _] for name in FIELDS]
    for name, want, got in zip(FIELDS, expected, offered, strict=True):
        assert got == want, name


WORKING_SECTION = {
    "work_address", "employer_post", "startup_project", "flexible_post", "work_started_on",
    "time_away", "location_class", "destination_region", "destination", "destination_other",
    "employment_form", "income_band", "channel", "industry", "industry_other", "startup_support",
}  # fmt: skip
WISHES_SECTION = {
    "reasons", "wished_location", "wished_form", "employer_type", "wage_expectation",
    "other_requirements", "startup_wish", "startup_project_wish", "training_wish",
    "training_kind", "training_trade", "training_trade_other",
}  # fmt: skip


@pytest.mark.parametrize(
    ("status", "hidden"),
    [
        ("migrant", WISHES_SECTION),  # 外出务工: the employment section shows
        ("local", WISHES_SECTION),  # 本地就业
        ("farming", WORKING_SECTION),  # 在家务农: the wishes show
        ("other", WORKING_SECTION),
        (None, WORKING_SECTION | WISHES_SECTION),  # no status yet: neither
    ],
)
def test_the_employment_status_hides_one_section(status, hidden):
    assert SurveyForm.hidden_fields(status) == hidden


def test_the_page_shows_each_section_for_the_statuses_the_checks_use():
    shown_for = {group["title"]: group["shown_for"] for group in SurveyForm().groups()}
    with translation.override("zh-hans"):
        shown_for = {str(title): statuses for title, statuses in shown_for.items()}
    assert shown_for == {
        "个人基本信息": "",
        "就失业状况": "",
        "已就业（转移就业）情况": "migrant local",
        "未转移就业人员就业意愿": "farming other",
        "调查": "",
    }


def test_a_draft_drops_what_its_status_hides():
    draft = {"employment_status": "farming", "work_started_on": "2099-01-01", "reasons": ["age"]}
    assert SurveyForm.without_hidden(draft) == {"employment_status": "farming", "reasons": ["age"]}


def not_working(**extra) -> dict:
    return {
        "name": "钟秀英", "surveyed_on": "2026-01-05", "employment_status": "farming",
        "reasons": ["skills"], "wished_location": "in_county", "wished_form": "employee",
        "training_wish": "no", "startup_wish": "no", **extra,
    }  # fmt: skip


def test_a_hidden_section_is_neither_checked_nor_kept():
    form = SurveyForm(
        not_working(work_started_on="2099-01-01", employer_post="宝山电子厂", income_band="bogus")
    )
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert (answers["work_started_on"], answers["employer_post"], answers["income_band"]) == (
        "",
        "",
        "",
    )


def test_a_future_date_in_a_shown_section_is_refused():
    form = SurveyForm(not_working(returned_home_on="2099-01-01"))
    with translation.override("en"):
        assert form.errors == {"returned_home_on": ["The date cannot be in the future."]}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese keyboard
        ("0762-1234567", "0762-1234567"),  # 河源 landline with its area code
        ("020-12345678", "020-12345678"),
        ("07621234567", "07621234567"),
        ("", ""),
    ],
)
def test_the_phone_accepts_a_mobile_or_a_landline_with_area_code(typed, kept):
    form = SurveyForm(not_working(phone=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == kept


@pytest.mark.parametrize(
    "typed",
    ["12812345678", "1381234567", "138123456789", "1234567", "0762-123456", "762-1234567",
     "+8613812345678", "abc", "钟秀英", "13812345678x"],
)  # fmt: skip
def test_the_phone_refuses_what_is_not_a_phone_number(typed):
    form = SurveyForm(not_working(phone=typed))
    with translation.override("zh-hans"):
        assert form.errors["phone"] == [
            "请填写手机号码（1开头的11位数字）或带区号的固定电话，如0762-1234567。"
        ]
