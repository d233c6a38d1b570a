"""biblatex / EDTF dates (citetools.formats.dates): every form gives the parts it says, never a
part it does not, and never raises."""

from __future__ import annotations

import calendar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetools.formats.dates import UNREAD, DateReading, read_date
from citetools.model import PartialDate

D = PartialDate

CASES = [
    # text, the date understood, exact (nothing else said), note
    ("2011", D(2011), True, ""),
    ("2011-05", D(2011, 5), True, ""),
    ("2011-05-29", D(2011, 5, 29), True, ""),
    ("  2011-05-29 ", D(2011, 5, 29), True, ""),
    ("2011-5-1", D(2011, 5, 1), True, ""),  # one digit: read as it always was
    ("0000", D(0), True, ""),
    ("2012-02-29", D(2012, 2, 29), True, ""),
    ("2011-21", D(2011), False, "a season"),
    ("2011-22", D(2011), False, "a season"),
    ("2011-24", D(2011), False, "a season"),
    ("2011-33", D(2011), False, "a season"),  # EDTF level 2: quarters, semesters ...
    ("2004/2012", D(2004), False, "a range"),
    ("2004-06/2005-07", D(2004, 6), False, "a range"),
    ("1990-02-01/1990-02-03", D(1990, 2, 1), False, "a range"),
    ("2004/..", D(2004), False, "an open range"),
    ("2004/", D(2004), False, "an open range"),
    ("2004-06-11/..", D(2004, 6, 11), False, "an open range"),
    ("../2004", None, False, "an open range"),
    ("/2004", None, False, "an open range"),
    ("..", None, False, "an open range"),
    ("2004~", D(2004), False, "approximate"),
    ("2004?", D(2004), False, "uncertain"),
    ("2004%", D(2004), False, "approximate and uncertain"),
    ("2004-06~", D(2004, 6), False, "approximate"),
    ("2004-?06", D(2004, 6), False, "uncertain"),
    ("?2004-06-~11", D(2004, 6, 11), False, "approximate and uncertain"),
    ("2004~/2005?", D(2004), False, "a range"),
    ("201X", None, False, "unknown digits"),
    ("19XX", None, False, "unknown digits"),
    ("XXXX-12", None, False, "unknown digits"),  # a month without its year: none
    ("2004-XX", D(2004), False, "unknown digits"),
    ("2004-1X", D(2004), False, "unknown digits"),
    ("2004-06-XX", D(2004, 6), False, "unknown digits"),
    ("2011-05-29T10:00:00", D(2011, 5, 29), False, "a time"),
    ("2011-05-29T10:00:00Z", D(2011, 5, 29), False, "a time"),
    ("2011-05-29T10:00:00+01:00", D(2011, 5, 29), False, "a time"),
    ("2011-13", D(2011), False, UNREAD),
    ("2011-02-30", D(2011, 2), False, UNREAD),
    ("2011-02-29", D(2011, 2), False, UNREAD),
    ("2004-22-05", D(2004), False, UNREAD),  # a day in a season
    ("2011-05-29Tnoon", None, False, UNREAD),
    ("-0044", None, False, UNREAD),
    ("Y170000002", None, False, UNREAD),
    ("June 2011", None, False, UNREAD),
    ("15/05/84", None, False, UNREAD),
    ("2004-06/soon", None, False, UNREAD),
    ("soon/2004", None, False, UNREAD),
    ("", None, False, UNREAD),
]


@pytest.mark.parametrize(
    ("text", "date", "exact", "note"), CASES, ids=[c[0] or "empty" for c in CASES]
)
def test_each_form_gives_the_parts_it_says(text, date, exact, note):
    assert read_date(text) == DateReading(date, exact, note)


@given(st.text(alphabet="0123456789X-/.~?%T:Z+ ", max_size=24) | st.text(max_size=12))
def test_any_text_is_read_without_raising_and_gives_a_real_date(text):
    reading = read_date(text)
    if reading.date is not None:
        year, month, day = reading.date.year, reading.date.month, reading.date.day
        assert year is not None  # never a month or day without its year
        assert month is None or 1 <= month <= 12
        assert day is None or (month is not None and day <= calendar.monthrange(year, month)[1])
        assert reading.date.iso()[:4] in text
    assert reading.exact == (reading.note == "")
