"""The canonical BibTeX exporter and the .bib reader, on in-memory records."""

from __future__ import annotations

from dataclasses import replace

import bibtexparser
import pytest
from hypothesis import example, given

from citetools.errors import ExportError
from citetools.exporters import to_string
from citetools.exporters.bibtex import BibtexExporter, format_entry
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader
from tests.unit.test_properties import any_person, records

LUMOS = Record(
    title="Lumos-Nexus: Efficient Frequency Bridging for ViT & GPUs",
    authors=(
        Person(given="Jiazheng", family="Xing"),
        Person(given="Łukasz", family="Kaiser"),
        Person(family="Inferix Team", literal=True),
    ),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    abstract="Costs 100% less: $\\sim$4x faster_ever {really} #1 ~ ^",
    categories=("cs.CV", "cs.LG"),
    ids=Ids(arxiv="2605.31603", doi="10.48550/arXiv.2605.31603", url="https://x.org/a_b%20c"),
    has_code=True,
    orgs=("apple-ml",),
    key="xing2026lumos",
    provenance=(Provenance("feed.txt", 1, "feed"),),
)

# Written by hand from the canonical form the normalizer issue specifies.
LUMOS_BIB = r"""@misc{xing2026lumos,
  title = {{Lumos-Nexus}: Efficient Frequency Bridging for {ViT} {\&} {GPUs}},
  author = {Xing, Jiazheng and Kaiser, {\L}ukasz and {Inferix Team} and others},
  organization = {arXiv},
  year = {2026},
  month = may,
  date = {2026-05-29},
  eprint = {2605.31603},
  archivePrefix = {arXiv},
  primaryClass = {cs.CV},
  doi = {10.48550/arXiv.2605.31603},
  url = {https://x.org/a_b%20c},
  keywords = {cs.CV, cs.LG, org:apple-ml, code-available},
  abstract = {Costs 100{\%} less: {\$}{\textbackslash}sim{\$}4x faster{\_}ever {\textbraceleft}really{\textbraceright} {\#}1 {\textasciitilde} {\textasciicircum}}
}
"""


def test_canonical_entry_matches_hand_written_form():
    assert format_entry(LUMOS) == LUMOS_BIB


def test_math_symbols_in_dollars_in_running_text_and_as_one_letter_in_names():
    """Title and abstract: {$\\sigma$}, which Zotero's BibTeX import reads; author and key:
    {\\ensuremath{..}}, one letter to BibTeX (initials, alpha labels cut names and keys)."""
    author = Person(given="Σ.", family="Δelta")
    record = replace(
        LUMOS, title="σReparam", authors=(author,), authors_truncated=False, abstract="4∼14"
    )
    text = format_entry(record)
    assert "title = {{{$\\sigma$}Reparam}}" in text
    assert "abstract = {4{$\\sim$}14}" in text
    assert "author = {{\\ensuremath{\\Delta}}elta, {\\ensuremath{\\Sigma}}.}" in text
    key = format_entry(replace(record, authors=()))
    assert "key = {{\\ensuremath{\\sigma}}Reparam}" in key
    (back,) = read_string(BibtexReader(), text, "x.bib").records
    assert (back.title, back.abstract, back.authors) == (record.title, "4∼14", record.authors)


def test_entries_separated_by_one_blank_line_and_file_ends_in_newline():
    second = Record(title="Second", date=PartialDate(2020), key="second2020")
    text = to_string(BibtexExporter(), [LUMOS, second])
    assert text == LUMOS_BIB + "\n" + (
        "@misc{second2020,\n  key = {Second},\n  title = {Second},\n  year = {2020},\n"
        "  date = {2020}\n}\n"
    )


def test_author_less_untitled_record_gets_its_citation_key_as_sort_key():
    record = Record(abstract="Only an abstract.", affiliation="JD Explore Academy", key="anon")
    assert format_entry(record) == (
        "@misc{anon,\n  key = {anon},\n  annote = {Affiliation: JD Explore Academy},\n"
        "  abstract = {Only an abstract.}\n}\n"
    )


def test_record_without_key_cannot_be_exported():
    with pytest.raises(ExportError):
        format_entry(Record(title="x"))


@pytest.mark.parametrize(
    "url",
    ["https://a.org/x y", "https://a.org/{x}", 'https://a.org/"q"', "https://a.org/\\x"],
    ids=["space", "braces", "quote", "backslash"],
)
def test_verbatim_fields_cannot_break_out_of_their_braces(url):
    text = format_entry(Record(title="T", ids=Ids(url=url), key="k"))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert set(entry.fields_dict) == {"key", "title", "url"}


def test_reader_restores_the_record():
    (record,) = read_string(BibtexReader(), LUMOS_BIB, "x.bib").records
    assert record.title == LUMOS.title
    assert record.authors == LUMOS.authors
    assert record.authors_truncated
    assert record.date == LUMOS.date
    assert record.abstract == LUMOS.abstract
    assert record.ids == replace(LUMOS.ids, doi=None)  # the arXiv DOI: derived from eprint
    assert record.categories == ("cs.CV", "cs.LG")  # primaryClass, and keywords for the rest
    assert record.has_code and record.orgs == ("apple-ml",)
    assert record.key == "xing2026lumos"
    assert record.provenance == (Provenance("x.bib", 1, "bibtex"),)
    assert format_entry(record) == LUMOS_BIB


def test_reader_keeps_hand_added_fields_and_reports_bad_blocks_with_lines():
    text = (
        "@article{a,\n  title = {T},\n  journal = {J. {\\&} K.},\n  note = {my note},\n"
        "  month = {June},\n  year = {2019}\n}\n\n"
        "@misc{a,\n  title = {dup}\n}\n\n"
        "@misc{b, title = {unclosed\n"
    )
    result = read_string(BibtexReader(), text, "refs.bib")
    (record,) = result.records
    assert record.entry_type == "article"
    assert record.venue == "J. & K."
    assert record.extra == {"note": "my note"}
    assert record.date == PartialDate(2019, 6)
    assert [(p.line, p.severity) for p in result.problems] == [(9, "error"), (13, "error")]
    assert "duplicate key 'a'" in result.problems[0].message
    assert "journal = {J. {\\&} K.}" in format_entry(record)
    assert "note = {my note}" in format_entry(record)


@given(records(person=any_person))
@example(Record(title="T", venue="V", entry_type="article", categories=("cs.CV",), key="k"))
@example(Record(key="k"))
def test_fields_come_in_field_order_without_sorting(record):
    """bibtex_fields fills a record's fields in FIELD_ORDER's order, which format_entry takes
    as it is for a record without extra fields."""
    from citetools.exporters.bibtex import FIELD_ORDER, bibtex_fields

    record = replace(record, extra={})
    names = list(bibtex_fields(record))
    assert names == sorted(names, key=FIELD_ORDER.index)
