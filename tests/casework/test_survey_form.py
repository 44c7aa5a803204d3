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
