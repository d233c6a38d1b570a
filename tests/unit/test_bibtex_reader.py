"""Real .bib files are read as BibTeX and biber read them (issue 15): a field given twice keeps
its first value, with a warning; biblatex dates in every EDTF form never raise."""

from __future__ import annotations

from citetools.lint import check_bibtex
from citetools.model import PartialDate
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader

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
