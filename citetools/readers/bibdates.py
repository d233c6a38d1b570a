"""The date of a .bib entry, as biber reads it: biblatex's ``date`` (in every form
:mod:`citetools.formats.dates` reads), else ``year`` and ``month`` (a number, a month macro or
an English month name). What the date does not wholly say is kept as written, with a note
saying why: the BibTeX reader puts it in the record's ``extra`` and reports the note as a
warning on the field's line.
"""

from __future__ import annotations

import re

from citetools.formats.bibtex import MONTH_MACROS
from citetools.formats.dates import UNREAD, read_date
from citetools.model import PartialDate

_NUMBER = re.compile(r"[0-9]{1,4}")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _month(value: str) -> int | None:
    """The month of a number, a month macro or an English month name (in any case, a final dot
    allowed); ``None`` for anything else (``Summer``)."""
    text = value.strip().lower().rstrip(".")
    if _NUMBER.fullmatch(text):
        number = int(text)
        return number if 1 <= number <= 12 else None
    for i, name in enumerate(_MONTH_NAMES):
        if text and (text == MONTH_MACROS[i] or text == name):
            return i + 1
    return None


def entry_date(
    fields: dict[str, str], kept: dict[str, str], notes: dict[str, str]
) -> PartialDate | None:
    """The date of ``date`` (biblatex; see :mod:`citetools.formats.dates`), else (as biber
    reads them) of ``year`` and ``month``. What the date does not wholly say -- a season or a
    range in ``date``, ``to appear`` in ``year``, ``Spring`` in ``month`` -- is put in ``kept``
    as written, and why in ``notes`` (by field name); so are ``year`` and ``month`` when they
    date the record in place of a ``date`` kept as written (a format that writes only ``date``
    needs them)."""
    found = None
    text = fields.get("date", "")
    if text:
        reading = read_date(text)
        found = reading.date
        if not reading.exact:
            kept["date"] = text
            what = reading.note if reading.note == UNREAD else f"not a plain date ({reading.note})"
            dated = f"dated {found.iso()}" if found else "no date read from it"
            notes["date"] = f"date {text!r} is {what}: kept as written, {dated}"
    year_text, month_text = fields.get("year", ""), fields.get("month", "")
    year = int(year_text) if _NUMBER.fullmatch(year_text) else None
    month = _month(month_text) if month_text else None
    if found is not None:  # year and month are ignored, as biber ignores them ...
        if month_text and month is None and found.month is None:  # ... but Summer is kept
            kept["month"] = month_text
            notes["month"] = f"month {month_text!r} is not a month: kept as written"
        return found
    if year_text and year is None:
        kept["year"] = year_text
        notes["year"] = f"year {year_text!r} is not a year: kept as written"
    if month_text and month is None:
        kept["month"] = month_text
        notes["month"] = f"month {month_text!r} is not a month: kept as written"
    if year is not None:
        found = PartialDate(year, month)
        if "date" in kept:
            kept["year"] = year_text
            if month is not None:
                kept["month"] = month_text
    elif month is not None:
        kept["month"] = month_text
        notes["month"] = f"month {month_text!r} has no year: kept as written"
    return found
