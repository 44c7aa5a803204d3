"""Template filters of the registry."""

from django import template

from casework import history
from casework.survey import answer_display

register = template.Library()


@register.filter
def answer(value, field_name):
    """A survey answer shown with its label: {{ value|answer:"wished_location" }}."""
    return answer_display(field_name, value)


@register.filter
def event_title(event):
    """What a case event was, in the viewer's language: {{ event|event_title }}."""
    return history.event_title(event)


@register.filter
def event_text(event):
    """A case event's details in the viewer's language: {{ event|event_text }}."""
    return history.event_text(event)


@register.filter
def change_text(change):
    """A stage change's details in the viewer's language: {{ change|change_text }}."""
    return history.change_text(change)


@register.filter
def change_source(change):
    """What made a stage change no user made: {{ change|change_source }}."""
    return history.change_source(change)


@register.filter
def close_reason(code):
    """A closing reason's label, never its code: {{ data.reason|close_reason }}."""
    return history.close_reason_label(code)
