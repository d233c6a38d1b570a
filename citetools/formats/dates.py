"""biblatex dates (``date``, ``eventdate``, ``origdate``, ``urldate``): ISO 8601 and the EDTF
forms biblatex takes, read into the parts a :class:`~citetools.model.PartialDate` holds.

``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD`` are all a date says (``exact``). Every other form is
read for the parts it gives and no more -- a season ``2011-22`` (21-24, and EDTF's 25-41) for
its year; a range ``2004-06/2005`` or an open one ``2004/..`` for its start (``../2005`` and
``..`` give none); ``2004~`` (approximate), ``2004?`` (uncertain), ``2004%`` (both) and the
same before a part (``2004-?06``) for the parts; unknown digits ``201X`` give no year, ``2004-XX``
no month; a time ``T10:00:00`` is dropped -- and is not ``exact``: the text must be kept as
written. Nothing here raises, and no part is ever made up.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from citetools.model import PartialDate

# (A month or day of one digit, 2011-5-1, is read too, as it always was.)
# A qualifier (? uncertain, ~ approximate, % both) goes before or after a part (EDTF).
_PART = re.compile(
    r"[?~%]?(\d{4}|\d{3}X|\d{2}XX|\dXXX|XXXX)[?~%]?"
    r"(?:-[?~%]?([\dX]{1,2})[?~%]?(?:-[?~%]?([\dX]{1,2})[?~%]?)?)?"
)
_TIME = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?")
_OPEN = ("", "..")
_SEASONS = range(21, 42)  # 21-24 spring ... winter (biblatex), 25-41 EDTF level 2
UNREAD = "not a date citetools reads"


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date field's text gives: the parts understood (``date``; for a range its start),
    whether they are all it says (``exact``), and if not, what else it says (``note``: "a
    season", "a range", "approximate", "unknown digits" ..., or :data:`UNREAD`)."""

    date: PartialDate | None
    exact: bool
    note: str = ""


def read_date(text: str) -> DateReading:
    """The :class:`DateReading` of a biblatex date field's text (see the module)."""
    text = text.strip()
    start, slash, end = text.partition("/")
    if slash and "/" in end:
        return DateReading(None, False, UNREAD)
    if slash:
        if start in _OPEN:
            known = end in _OPEN or _one(end) is not None
            return DateReading(None, False, "an open range" if known else UNREAD)
        first, second = _one(start), (None if end in _OPEN else _one(end))
        if first is None or (end not in _OPEN and second is None):
            return DateReading(None, False, UNREAD)
        return DateReading(first.date, False, "an open range" if end in _OPEN else "a range")
    if text in _OPEN:
        return DateReading(None, False, "an open range" if text else UNREAD)
    found = _one(text)
    return found if found is not None else DateReading(None, False, UNREAD)


def _one(text: str) -> DateReading | None:
    """One date of a range (or the whole field); None when citetools cannot read it."""
    match = _PART.match(text)
    if match is None or not (match.end() == len(text) or _TIME.fullmatch(text, match.end())):
        return None
    said = match.group()
    approximate, uncertain = "~" in said or "%" in said, "?" in said or "%" in said
    qualified = (("approximate", approximate), ("uncertain", uncertain))
    notes = [" and ".join(name for name, on in qualified if on)] if approximate or uncertain else []
    if match.end() < len(text):
        notes.append("a time")
    year_text, month_text, day_text = match.groups()
    if "X" in year_text:
        notes.append("unknown digits")
        return DateReading(None, False, ", ".join(notes))
    date, note = _parts(int(year_text), month_text, day_text)
    if note:
        notes.append(note)
    return DateReading(date, not notes, ", ".join(notes))


def _parts(year: int, month_text: str | None, day_text: str | None) -> tuple[PartialDate, str]:
    """The date of a year and the texts of its month and day, and what could not go in it."""
    if month_text is None:
        return PartialDate(year), ""
    if "X" in month_text:
        return PartialDate(year), "unknown digits"
    month = int(month_text)
    if month in _SEASONS:
        return PartialDate(year), "a season" if day_text is None else UNREAD
    if not 1 <= month <= 12:
        return PartialDate(year), UNREAD
    if day_text is None:
        return PartialDate(year, month), ""
    if "X" in day_text:
        return PartialDate(year, month), "unknown digits"
    if not 1 <= int(day_text) <= calendar.monthrange(year, month)[1]:
        return PartialDate(year, month), UNREAD
    return PartialDate(year, month, int(day_text)), ""
