"""The biblatex exporter, on in-memory records and on the seed listings."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import cache

import pytest

from citetools.errors import ExportError
from citetools.exporters import Exporter, to_string
from citetools.exporters.biblatex import (
    BiblatexExporter,
    _group_end,
    format_entry,
    keep_letters,
    latex_text,
)
from citetools.keys import DefaultKeyStyle, assign_keys
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.normalize import latex
from citetools.normalize.categories import normalize_category
from citetools.normalize.latex import escape
from citetools.normalize.titles import protect_title
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader
from tests.helpers import SEEDS, normalized


@cache
def seed_records() -> tuple[Record, ...]:
    """The 203 records of the seed listings, normalized and keyed as the CLI does it.
    (Shared with the RIS, JSONL and oracle tests.)"""
    done = normalized([str(SEEDS)], as_of=date(2026, 11, 24))
    return tuple(assign_keys(done.records, DefaultKeyStyle()))


LODZ = Record(
    title="Łódź-Nexus: Efficient Bridging for ViT & GPUs",
    authors=(
        Person(given="Jiazheng", family="Xing"),
        Person(given="Łukasz", family="Kaiser"),
        Person(family="Inferix Team", literal=True),
    ),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    abstract="Costs 100% less: $\\sim$4x faster_ever {really} #1 ~ ^ with σ",
    categories=("cs.CV", "cs.LG"),
    ids=Ids(
        arxiv="2605.31603",
        arxiv_version=1,
        doi="10.48550/arXiv.2605.31603",
        url="https://x.org/a_b%20c",
    ),
    has_code=True,
    orgs=("apple-ml",),
    affiliation="Université Paris-Saclay",
    key="xing2026lodz",
    provenance=(Provenance("feed.txt", 1, "feed"),),
)

# Written by hand from biblatex's documentation (§2.1.1 @online, §3.14.7 eprint) and the
# canonical BibTeX form: same escaping, UTF-8 letters, Greek in its math spelling (in dollars in
# running text: escape_text).
LODZ_BIB = r"""@online{xing2026lodz,
  title = {{Łódź-Nexus}: Efficient Bridging for {ViT} {\&} {GPUs}},
  author = {Xing, Jiazheng and Kaiser, Łukasz and {Inferix Team} and others},
  date = {2026-05-29},
  eprint = {2605.31603},
  eprinttype = {arxiv},
  eprintclass = {cs.CV},
  doi = {10.48550/arXiv.2605.31603},
  url = {https://x.org/a_b%20c},
  keywords = {cs.CV, cs.LG, org:apple-ml, code-available},
  annotation = {Affiliation: Université Paris-Saclay},
  abstract = {Costs 100{\%} less: {\$}{\textbackslash}sim{\$}4x faster{\_}ever {\textbraceleft}really{\textbraceright} {\#}1 {\textasciitilde} {\textasciicircum} with {$\sigma$}}
}
"""

LISTING = Record(
    title="Few-Step Distillation for Text-to-Image Generation: A Practical Guide",
    authors=(Person(given="Yifan", family="Pu"), Person(given="Yizeng", family="Han")),
    authors_truncated=True,
    date=PartialDate(2025, 12, 15),
    categories=("cs.CV",),
    has_code=True,
    key="pu2025few",
)
LISTING_BIB = """@misc{pu2025few,
  title = {Few-Step Distillation for Text-to-Image Generation: A Practical Guide},
  author = {Pu, Yifan and Han, Yizeng and others},
  date = {2025-12-15},
  keywords = {cs.CV, code-available}
}
"""

ABSTRACT_ONLY = Record(
    abstract="Only an abstract.",
    affiliation="JD Explore Academy",
    date=PartialDate(2026, 11, 24),
    key="anon2026only",
)
ABSTRACT_ONLY_BIB = """@misc{anon2026only,
  date = {2026-11-24},
  annotation = {Affiliation: JD Explore Academy},
  abstract = {Only an abstract.}
}
"""


@pytest.mark.parametrize(
    ("record", "expected"),
    [(LODZ, LODZ_BIB), (LISTING, LISTING_BIB), (ABSTRACT_ONLY, ABSTRACT_ONLY_BIB)],
    ids=["arxiv-preprint-online", "listing-entry-misc", "abstract-only-no-sort-key"],
)
def test_entries_match_hand_written_form(record, expected):
    assert format_entry(record) == expected


def test_plugin_attributes():
    exporter = BiblatexExporter()
    assert isinstance(exporter, Exporter)
    assert exporter.name == "biblatex"
    assert exporter.suffixes == ()  # .bib stays with the bibtex exporter
    assert "--to biblatex" in exporter.description


def test_entries_separated_by_one_blank_line_and_file_ends_in_newline():
    text = to_string(BiblatexExporter(), [LODZ, LISTING])
    assert text == LODZ_BIB + "\n" + LISTING_BIB


def test_record_without_key_cannot_be_exported():
    with pytest.raises(ExportError):
        format_entry(replace(LISTING, key=None))


@pytest.mark.parametrize(
    ("record", "header", "fields"),
    [
        (
            Record(entry_type="phdthesis", title="T", extra={"school": "MIT"}, key="k"),
            "@thesis{k",
            {"institution": "MIT", "type": "phdthesis"},
        ),
        (
            Record(entry_type="mastersthesis", title="T", key="k"),
            "@thesis{k",
            {"type": "mathesis"},
        ),
        (
            Record(entry_type="techreport", title="T", extra={"type": "Memo"}, key="k"),
            "@report{k",
            {"type": "Memo"},
        ),
        (
            Record(entry_type="conference", title="T", venue="Proc. X", key="k"),
            "@inproceedings{k",
            {"booktitle": "Proc. X"},
        ),
        (
            Record(entry_type="article", title="T", venue="J. A & B", key="k"),
            "@article{k",
            {"journaltitle": r"J. A {\&} B"},
        ),
        (
            Record(title="T", venue="Preprint", ids=Ids(arxiv="2401.00001"), key="k"),
            "@online{k",
            {"organization": "Preprint"},
        ),
        (
            Record(title="T", venue="Blog", ids=Ids(url="https://a.org"), key="k"),
            "@misc{k",
            {"howpublished": "Blog"},
        ),
        (
            Record(
                title="T",
                extra={"address": "Berlin", "annote": "mine", "key": "zz", "hyphenation": "german"},
                key="k",
            ),
            "@misc{k",
            {"location": "Berlin", "annotation": "mine", "sortkey": "zz", "langid": "german"},
        ),
        (
            Record(entry_type="article", title="T", ids=Ids(arxiv="2401.00001"), key="k"),
            "@article{k",
            {"eprint": "2401.00001", "eprinttype": "arxiv"},
        ),
    ],
    ids=[
        "phdthesis",
        "mastersthesis",
        "techreport-own-type-kept",
        "conference",
        "article-journaltitle",
        "online-organization",
        "url-only-stays-misc",
        "legacy-field-names",
        "published-article-keeps-type",
    ],
)
def test_biblatex_types_and_field_names(record, header, fields):
    lines = [line.rstrip(",") for line in format_entry(record).splitlines()]
    assert lines[0] == header
    for name, value in fields.items():
        assert f"  {name} = {{{value}}}" in lines


@pytest.mark.parametrize(
    "text",
    [
        r"Owning \input{/etc/passwd} and 100% }, note = {pwned",
        "Things_v2 #1 $x$ ~ ^ & @misc{fake, title={fake}}",
        "tab\tand\nnewline and \x07 bell",
    ],
    ids=["commands-and-braces", "specials", "controls"],
)
def test_ascii_text_is_escaped_exactly_as_for_bibtex(text):
    assert latex_text(text) == escape(text)
    assert keep_letters(protect_title(text)) == protect_title(text)


def test_non_ascii_letters_stay_utf8_in_every_text_field():
    record = Record(
        title="Ærø Straße ŁÓDŹ",
        authors=(Person(given="Zoë", family="Ødegaard"), Person(given="Şahin", family="Ñúñez")),
        venue="Revue Ç",
        abstract="naïve café",
        affiliation="Universität Zürich",
        extra={"note": "Çà"},
        entry_type="article",
        key="k",
    )
    text = format_entry(record)
    assert "title = {Ærø Straße {ŁÓDŹ}}" in text
    assert "author = {Ødegaard, Zoë and Ñúñez, Şahin}" in text
    assert "journaltitle = {Revue Ç}" in text
    assert "abstract = {naïve café}" in text
    assert "annotation = {Affiliation: Universität Zürich}" in text
    assert "note = {Çà}" in text
    assert "\\" not in text


def test_symbols_and_greek_keep_their_latex_spelling():
    assert latex_text("α ≤ β — 5 °C") == escape("α ≤ β — 5 °C")
    assert latex_text("σ-Net") == "{\\ensuremath{\\sigma}}-Net"


def test_keep_letters_undoes_exactly_the_letters_of_the_whole_escape_table():
    table = latex._unicode_table()
    assert len(table) > 500
    for code, spelling in table.items():
        char = chr(code)
        # Every spelling is one balanced group, so keep_letters sees it whole.
        assert _group_end(spelling, 0) == len(spelling), spelling
        kept = keep_letters(escape(char))
        if kept != spelling:
            assert kept == char and char.isalpha(), (char, spelling)
            assert not spelling.startswith("{\\ensuremath")


def test_seed_entries_use_biblatex_fields_only():
    text = to_string(BiblatexExporter(), seed_records())
    assert len(re.findall(r"^@misc\{", text, re.M)) == 203  # listings give no arXiv id
    for legacy in ("year", "month", "archivePrefix", "primaryClass", "annote", "key"):
        assert not re.search(rf"^  {legacy} = ", text, re.M), legacy
    # No eprintclass without an eprint: the categories are keywords, as in BibTeX.
    assert "eprintclass" not in text
    firsts = re.findall(r"^  keywords = \{([^,}]+)", text, re.M)
    categorised = sum(1 for record in seed_records() if record.categories)
    assert categorised == 121 == sum(normalize_category(k) == k for k in firsts)


def test_reader_restores_what_biblatex_holds_and_export_is_a_fixed_point():
    first = to_string(BiblatexExporter(), [LODZ, ABSTRACT_ONLY, *seed_records()])
    records = read_string(BibtexReader(), first, "x.bib").records
    assert to_string(BiblatexExporter(), records) == first
    lodz = records[0]
    assert lodz.entry_type == "online"
    assert (lodz.title, lodz.authors, lodz.authors_truncated) == (
        LODZ.title,
        LODZ.authors,
        True,
    )
    assert (lodz.date, lodz.abstract, lodz.categories) == (
        LODZ.date,
        LODZ.abstract,
        LODZ.categories,
    )
    # eprint holds the bare id; the arXiv DOI is the one the exporter derives from it
    assert lodz.ids == replace(LODZ.ids, arxiv_version=None, doi=None)
    assert (lodz.orgs, lodz.has_code) == (LODZ.orgs, True)


def test_reader_restores_the_affiliation_from_annotation():
    (record,) = read_string(BibtexReader(), ABSTRACT_ONLY_BIB, "x.bib").records
    assert record.affiliation == "JD Explore Academy"
