"""The survey form (附件2) on paper: blank, or pre-filled for door-to-door visits with the
laborer's full numbers; every pre-filled print is recorded.

The rows follow the paper form's layout; labels and boxes come from SurveyForm's own fields
and choices, so the paper and the page never disagree. The form is printed in Chinese, as
issued, whatever the user's language.
"""

from collections.abc import Sequence
from typing import NamedTuple

from django.utils import translation

from .. import pdf
from ..exports import export_logged
from ..models import Case, Region, User
from .form import SurveyForm

AGE, ID_NUMBER = "age", "id_number"  # on the paper, not among the survey's answers
EXTRA_LABELS = {AGE: "年龄", ID_NUMBER: "身份证号"}
# a field whose "other, please say" text is written after its boxes
OTHER_TEXT = {
    "former_industry": "former_industry_other",
    "industry": "industry_other",
    "destination_region": "destination_other",
    "training_trade": "training_trade_other",
}

# the paper's rows, section by section (SurveyForm.GROUPS' order): the fields on one line
LAYOUT: dict[int, Sequence[Sequence[str]]] = {
    0: [
        ("name", "sex", AGE), ("ethnicity", "household_type", "phone"),
        ("school_major", "graduated_on", ID_NUMBER), ("education",),
        ("health", "returned_home_on"), ("marital_status",), ("political_status",),
        ("training_received",), ("certificates",),
    ],
    1: [("employment_status",), ("former_employer", "former_occupation"), ("former_industry",)],
    2: [
        ("work_address",), ("employer_post",), ("startup_project",), ("flexible_post",),
        ("work_started_on", "time_away"), ("location_class",), ("destination_region",),
        ("destination",), ("employment_form",), ("income_band",), ("channel",), ("industry",),
        ("startup_support",),
    ],
    3: [
        ("reasons",), ("wished_location",), ("wished_form",), ("employer_type",),
        ("wage_expectation",), ("other_requirements",), ("startup_wish", "startup_project_wish"),
        ("training_wish",), ("training_kind",), ("training_trade",),
    ],
}  # fmt: skip
PERSON_FIELDS = (
    "sex", "ethnicity", "household_type", "phone", "school_major", "graduated_on", "education",
    "health", "returned_home_on", "marital_status", "political_status",
)  # fmt: skip


class Box(NamedTuple):
    label: str
    ticked: bool


class Cell(NamedTuple):
    """One labelled answer: boxes to tick, or a line to write on (or both, for "other")."""

    label: str
    boxes: list[Box]
    value: str
    span: int  # table columns the answer takes (the row is six columns wide)
    other: bool = False  # a line after the boxes for "other, please say"


def laid_out_fields() -> set[str]:
    """Every survey field the paper shows (its "other" texts included)."""
    names = {name for rows in LAYOUT.values() for row in rows for name in row}
    return (names | {OTHER_TEXT[name] for name in names if name in OTHER_TEXT}) - set(EXTRA_LABELS)


def answers_of(case: Case | None) -> dict:
    """What the paper is pre-filled with: the latest survey's answers, the laborer's record
    over them, the full ID and phone numbers."""
    if case is None:
        return {}
    survey = case.latest_survey
    answers = dict(survey.answers) if survey is not None else {}
    person = case.person
    for name in PERSON_FIELDS:
        value = getattr(person, name)
        if value not in (None, ""):
            answers[name] = value.isoformat() if hasattr(value, "isoformat") else value
    answers.update(name=person.name, age=str(person.age), id_number=person.id_number)
    return answers


def _cell(name: str, answers: dict, span: int) -> Cell:
    if name in EXTRA_LABELS:
        return Cell(EXTRA_LABELS[name], [], answers.get(name, ""), span)
    field = SurveyForm.base_fields[name]
    value = answers.get(name)
    choices = getattr(field, "choices", None)
    text = answers.get(OTHER_TEXT[name], "") if name in OTHER_TEXT else ""
    if not choices:
        return Cell(str(field.label), [], "" if value in (None, []) else str(value), span)
    ticked = set(value) if isinstance(value, list) else {value}
    boxes = [Box(str(label), code in ticked) for code, label in choices if code != ""]
    return Cell(str(field.label), boxes, text or "", span, other=name in OTHER_TEXT)


def paper_form(case: Case | None = None) -> dict:
    """The form's address and sections (rows of cells), blank without a case."""
    answers = answers_of(case)
    sections = []
    with translation.override("zh-hans"):
        for index, (title, _names, _shown_for) in enumerate(SurveyForm.GROUPS):
            rows = []
            for names in LAYOUT.get(index, ()):
                span = {1: 5, 2: 2, 3: 1}[len(names)]
                rows.append([_cell(name, answers, span) for name in names])
            if rows:
                sections.append({"title": str(title), "rows": rows})
    address = {"county": "", "township": "", "village": ""}
    if case is not None:
        village = case.region.name if case.region.level == Region.Level.VILLAGE else ""
        address = {"county": case.county.name, "township": case.township.name, "village": village}
    return {"address": address, "sections": sections, "filled": case is not None}


def blank_survey_form_pdf() -> bytes:
    """The blank form, to print for anyone (nothing personal in it)."""
    return _render([paper_form()])


def survey_forms_print(*, cases: Sequence[Case], actor: User, description: str) -> bytes:
    """The forms pre-filled for these cases, one a page, with full numbers; recorded."""
    content = _render([paper_form(case) for case in cases])
    export_logged(
        actor=actor, kind="survey_form", description=description, rows=len(cases),
        full_id_numbers=True,
    )  # fmt: skip
    return content


def _render(forms: list[dict]) -> bytes:
    with translation.override("zh-hans"):
        return pdf.render_pdf("pdf/survey_form.html", {"forms": forms})
