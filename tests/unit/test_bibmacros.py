"""Field values as BibTeX reads them: ``#`` concatenation and macros (issue 15, point 1).
bibtexparser 2 leaves ``"The " # tug`` as that text (its issue #396) and looks macros up
case-sensitively (#541); the expected values here are what BibTeX prints."""

from __future__ import annotations

import pytest

from citetools.files import Source
from citetools.readers.bibmacros import MONTHS, expand
from citetools.readers.bibtex import BibtexReader

MACROS = {**MONTHS, "tug": "TUGboat", "acm": "ACM"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("{The {\\TeX}book}", "The {\\TeX}book"),  # one braced piece: inner braces kept
        ('"Proc. {"}Q{"}"', 'Proc. {"}Q{"}'),  # a quote inside braces is text
        ("1984", "1984"),
        ("tug", "TUGboat"),
        ("TUG", "TUGboat"),  # macro names are read without regard to case
        ('"Proc. " # acm', "Proc. ACM"),
        ('10 # "~" # jan', "10~January"),
        ("{a}#{b}", "ab"),
        ('  {a}  #  "b"  #  tug ', "abTUGboat"),
        ("undefined", "undefined"),  # BibTeX warns and prints nothing; the name loses less
        ("{a} # {b", "{a} # {b"),  # not a value: as written
        ('"a" #', '"a" #'),
        ('"a" "b"', '"a" "b"'),
    ],
)
def test_values_read_as_bibtex_reads_them(value, text):
    assert expand(value, MACROS) == text


def test_string_definitions_expand_in_order_and_may_use_earlier_ones():
    text = (
        '@string{j = "J. " # acm}\n@string{ACM = {ACM}}\n@string{k = j # { X}}\n'
        "@misc{a, journal = k, note = acm, month = dec}\n"
    )
    (record,) = BibtexReader().read(Source.from_text(text, "x.bib")).records
    assert record.venue == "J. acm X"  # (acm was not defined yet where j was: its name)
    assert record.extra["note"] == "ACM"
    assert record.date is None and record.extra["month"] == "December"  # (no year)
