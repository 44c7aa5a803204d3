"""A survey shown: answers with their labels, personal numbers masked, and what changed."""

from django.utils.translation import pgettext

from ..idnumber import mask_numbers_in_text, mask_phone
from .form import SurveyForm


def answer_display(name: str, value) -> str:
    """An answer as the form shows it: choice labels instead of codes, personal numbers masked."""
    field = SurveyForm.base_fields.get(name)
    if value in (None, "", []):
        return "—"
    if name == "phone":
        return mask_phone(str(value))
    labels = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        separator = pgettext("list separator", ", ")
        return separator.join(mask_numbers_in_text(str(labels.get(item, item))) for item in value)
    return mask_numbers_in_text(str(labels.get(value, value)))


def survey_summary(survey) -> list[tuple[str, str]]:
    """The answered fields of a survey, labelled, in the form's order."""
    rows = []
    for _title, names, _shown_for in SurveyForm.GROUPS:
        for name in names:
            value = survey.answers.get(name)
            if value not in (None, "", []):
                rows.append((str(SurveyForm.base_fields[name].label), answer_display(name, value)))
    return rows


def survey_changes(latest, previous) -> list[tuple[str, str, str]]:
    """What a survey answered differently from the one before: (field, before, now)."""
    if previous is None:
        return []
    changes = []
    for _title, names, _shown_for in SurveyForm.GROUPS:
        for name in names:
            old, new = previous.answers.get(name), latest.answers.get(name)
            if (old or None) != (new or None):
                label = str(SurveyForm.base_fields[name].label)
                changes.append((label, answer_display(name, old), answer_display(name, new)))
    return changes
