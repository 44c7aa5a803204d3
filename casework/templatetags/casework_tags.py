"""Template filters of the registry."""

from django import template

from casework.survey import answer_display

register = template.Library()


@register.filter
def answer(value, field_name):
    """A survey answer shown with its label: {{ value|answer:"wished_location" }}."""
    return answer_display(field_name, value)
