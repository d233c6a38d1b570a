"""Real .bib files are read as BibTeX and biber read them (issue 15): a field given twice keeps
its first value, with a warning; biblatex dates in every EDTF form never raise."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citetools import plugins
from citetools.exporters import to_string
from citetools.lint import check_bibtex
from citetools.model import PartialDate
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader
from citetools.readers.csljson import CslJsonReader
from citetools.readers.jsonl import JsonlReader
from citetools.readers.ris import RisReader

REPEATED = """@string{jr = {Journal of Repeats}}

@article{twice,
  title = {First Title},
  author = {Ada Lovelace},
  journal = jr,
  Title = {Second Title},
  year = 2020,
  journal = {Other Journal},
  YEAR = {2021},
  note = {kept}
}

@misc{after, title = {After}}
"""


def test_a_repeated_field_keeps_its_first_value_with_a_warning_per_repeat():
    result = read_string(BibtexReader(), REPEATED, "refs.bib")
    twice, after = result.records
    assert (twice.key, twice.title, twice.venue) == ("twice", "First Title", "Journal of Repeats")
    assert twice.date == PartialDate(2020) and twice.extra == {"note": "kept"}
    assert after.title == "After"
    assert [(p.line, p.severity) for p in result.problems] == [
        (7, "warning"),
        (9, "warning"),
        (10, "warning"),
    ]
    first = result.problems[0].message
    assert first == (
        "field 'title' given twice in entry 'twice': the first value is kept, as BibTeX does, "
        "and this one ('Second Title') ignored"
    )
    assert "'journal'" in result.problems[1].message and "'year'" in result.problems[2].message


def test_check_reports_a_repeated_field():
    findings = check_bibtex(REPEATED, source="refs.bib")
    repeated = [(f.line, f.key, f.code) for f in findings if f.code == "duplicate-field"]
    assert repeated == [
        (7, "twice", "duplicate-field"),
        (9, "twice", "duplicate-field"),
        (10, "twice", "duplicate-field"),
    ]
    assert not [f for f in findings if f.code == "parse-error"]


DATED = """@misc{season, title = {Season}, date = {2011-22}, year = {2011}, month = {Summer}}
@misc{range, title = {Range}, date = {2004-06/2005-07}}
@misc{openstart, title = {Open start},
  year = {2004},
  date = {../2004}}
@misc{approx, title = {Approx}, date = {2004~}}
@misc{unknown, title = {Unknown}, date = {201X}}
@misc{plain, title = {Plain}, date = {2011-05-29}, year = {2010}, month = {????}}
@misc{appear, title = {Appear}, year = {to appear}, month = {Spring}}
@misc{nomonth, title = {No month}, year = {1990}, month = {Fall}}
"""

EXPECTED = {
    # key: (date, extra, warning lines)
    "season": (PartialDate(2011), {"date": "2011-22", "month": "Summer"}, [1, 1]),
    "range": (PartialDate(2004, 6), {"date": "2004-06/2005-07"}, [2]),
    # the open range gives no date; the year does, and is kept for formats that write only date
    "openstart": (PartialDate(2004), {"date": "../2004", "year": "2004"}, [5]),
    "approx": (PartialDate(2004), {"date": "2004~"}, [6]),
    "unknown": (None, {"date": "201X"}, [7]),
    "plain": (PartialDate(2011, 5, 29), {}, []),  # the date wins (as in biber): year, month unread
    "appear": (None, {"year": "to appear", "month": "Spring"}, [9, 9]),
    "nomonth": (PartialDate(1990), {"month": "Fall"}, [10]),
}


def test_every_date_form_is_read_for_its_parts_and_kept_as_written_with_a_warning():
    result = read_string(BibtexReader(), DATED, "refs.bib")
    assert [r.key for r in result.records] == list(EXPECTED)
    for record in result.records:
        date, extra, _ = EXPECTED[record.key]
        assert (record.date, dict(record.extra)) == (date, extra), record.key
    assert [p.line for p in result.problems] == [
        n for *_, lines in EXPECTED.values() for n in lines
    ]
    assert {p.severity for p in result.problems} == {"warning"}
    messages = [p.message for p in result.problems]
    assert (
        messages[0] == "date '2011-22' is not a plain date (a season): kept as written, dated 2011"
    )
    assert messages[3] == (
        "date '../2004' is not a plain date (an open range): kept as written, no date read from it"
    )
    assert "year 'to appear' is not a year: kept as written" in messages
    assert "month 'Fall' is not a month: kept as written" in messages


@pytest.mark.parametrize("to", ["bibtex", "biblatex", "csljson", "ris", "jsonl"])
def test_dates_kept_as_written_are_written_so_and_read_back_the_same(to):
    records = read_string(BibtexReader(), DATED, "refs.bib").records
    text = to_string(plugins.exporter(to), records)
    reader = {"bibtex": BibtexReader(), "biblatex": BibtexReader(), "csljson": CslJsonReader()}
    reader |= {"ris": RisReader(), "jsonl": JsonlReader()}
    again = read_string(reader[to], text, "again").records
    assert [(r.key, r.date, dict(r.extra)) for r in again] == [
        (key, date, extra) for key, (date, extra, _) in EXPECTED.items()
    ]
    if to == "bibtex":  # (a .bib's entries are written back as they were ...)
        assert text == DATED
        # (... and written anew, as from another format, they say the same)
        text = to_string(plugins.exporter(to), [replace(r, origin=None) for r in records])
        assert "  date = {2011-22}" in text and "  date = {2004~}" in text
        assert "  year = {2011},\n" in text and "  month = {Spring}" in text
        again = read_string(BibtexReader(), text, "again").records
        assert [(r.key, r.date, dict(r.extra)) for r in again] == [
            (key, date, extra) for key, (date, extra, _) in EXPECTED.items()
        ]
    if to == "biblatex":
        assert "  date = {2011-22}" in text and "  date = {2004~}" in text
        assert "  year = {2011},\n" not in text  # (biblatex: the date alone)
        assert "  month = {Spring}" in text  # braced: a month kept as written is no macro


DATE_TEXT = st.text(alphabet="0123456789X-/.~?%T:Z+ ", max_size=20) | st.text(max_size=10)


@settings(max_examples=150, deadline=None)
@given(DATE_TEXT, DATE_TEXT, DATE_TEXT)
def test_any_date_year_and_month_are_read_and_written_without_raising(date, year, month):
    def braced(value: str) -> str:
        return "{" + value.replace("{", "").replace("}", "").replace("\\", "") + "}"

    bib = f"@misc{{k, title = {{T}}, date = {braced(date)}, year = {braced(year)}, month = {braced(month)}}}"
    result = read_string(BibtexReader(), bib, "refs.bib")
    for record in result.records:
        assert record.date is None or record.date.year is not None  # never a year made up
    for to in ("bibtex", "biblatex", "csljson", "ris", "jsonl"):
        to_string(plugins.exporter(to), result.records)
