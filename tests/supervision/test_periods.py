"""A supervision report's period as typed on the form or the command line: a year with no date
(0000) is refused as too early rather than crashing on datetime.date(0, …), and digits typed
full width (a Chinese input method's ２０２６) are kept as ASCII, so that the record, the cover and
the file name read 2026Q4."""

import datetime

import pytest
from django.utils import translation

from supervision.periods import Period, PeriodError

TODAY = datetime.date(2026, 12, 5)


@pytest.mark.parametrize("text", ["0000Q1", "0000-01", "0001Q4"])
def test_a_period_of_year_zero_or_one_is_too_early_not_a_crash(text):
    with translation.override("en"), pytest.raises(PeriodError) as refused:
        Period.parse(text, today=TODAY)
    assert str(refused.value) == "Reports run from 2018-09: choose a later period."


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("２０２６Q4", "2026Q4"),
        ("２０２６-１１", "2026-11"),
        ("2026Q4", "2026Q4"),
        (" 2026-11 ", "2026-11"),
    ],
)
def test_a_period_is_kept_in_ascii_digits(typed, kept):
    period = Period.parse(typed, today=TODAY)
    assert (period.text, str(period)) == (kept, kept)
