"""The RIS exporter and reader: hand-written form, fixed points, problems with lines."""

from __future__ import annotations

from dataclasses import replace

import pytest
from typer.testing import CliRunner

from citetools import plugins
from citetools.cli import app
from citetools.errors import ReadError
from citetools.exporters import Exporter, to_string
from citetools.exporters.ris import RisExporter, format_name, format_record, one_line
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.readers import SniffingReader, Source, read_string
from citetools.readers.ris import RisReader, parse_name
from tests.helpers import SEEDS
from tests.unit.test_biblatex_export import seed_records

RICH = Record(
    title="Łódź-Nexus: Efficient Bridging for ViT & GPUs",
    authors=(
        Person(given="Jiazheng", family="Xing"),
        Person(given="Ludwig", family="Beethoven", particle="van", suffix="Jr."),
        Person(family="Inferix Team", literal=True),
    ),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    abstract="Line one\nline two",
    categories=("cs.CV", "cs.LG"),
    ids=Ids(arxiv="2605.31603", arxiv_version=2, doi="10.48550/arXiv.2605.31603"),
    has_code=True,
    orgs=("apple-ml",),
    affiliation="Université Paris-Saclay",
    extra={
        "note": "Oral at CVPR",
        "keywords": "diffusion, video",
        "volume": "3",
        "pages": "1--10",
        "series": "Lecture Notes",
    },
    key="xing2026lodz",
    provenance=(Provenance("feed.txt", 1, "feed"),),
)

# Written by hand from the RIS specification and Zotero's RIS export (tags, "Family, Given,
# Suffix", DA as YYYY/MM/DD/, CRLF, ER last).
RICH_RIS = (
    "\r\n".join(
        [
            "TY  - GEN",
            "TI  - Łódź-Nexus: Efficient Bridging for ViT & GPUs",
            "AU  - Xing, Jiazheng",
            "AU  - van Beethoven, Ludwig, Jr.",
            "AU  - Inferix Team",
            "AB  - Line one line two",
            "AD  - Université Paris-Saclay",
            "DA  - 2026/05/29/",
            "PY  - 2026",
            "DO  - 10.48550/arXiv.2605.31603",
            "SP  - 1",
            "EP  - 10",
            "VL  - 3",
            "UR  - https://arxiv.org/abs/2605.31603",
            "AN  - arXiv:2605.31603",
            "DB  - arXiv",
            "N1  - et al.",
            "N1  - Oral at CVPR",
            "N1  - series: Lecture Notes",
            "KW  - cs.CV",
            "KW  - cs.LG",
            "KW  - diffusion",
            "KW  - video",
            "KW  - org:apple-ml",
            "KW  - code-available",
            "ID  - xing2026lodz",
            "ER  - ",
        ]
    )
    + "\r\n"
)


def ris(records) -> str:
    return to_string(RisExporter(), records)


def read(text: str):
    return read_string(RisReader(), text, "refs.ris")


def test_record_matches_hand_written_form():
    assert format_record(RICH) == RICH_RIS


def test_reader_restores_the_record():
    result = read(RICH_RIS)
    assert result.problems == []
    (record,) = result.records
    # The abstract's line break became a space; the arXiv page stood in for the missing URL,
    # and the arXiv DOI and the bare id are what the exporter writes for any arXiv preprint.
    assert record == replace(
        RICH,
        abstract="Line one line two",
        ids=replace(RICH.ids, arxiv_version=None, doi=None),
        provenance=(Provenance("refs.ris", 1, "ris"),),
    )


def test_records_separated_by_one_blank_line_crlf_throughout():
    second = Record(title="Second", key="second")
    text = ris([RICH, second])
    assert text == RICH_RIS + "\r\n" + "TY  - GEN\r\nTI  - Second\r\nID  - second\r\nER  - \r\n"
    assert "\n" not in text.replace("\r\n", "")


def test_plugin_attributes():
    assert isinstance(RisExporter(), Exporter)
    assert (RisExporter.name, RisExporter.suffixes) == ("ris", (".ris",))
    reader = RisReader()
    assert isinstance(reader, SniffingReader)
    assert (reader.name, reader.suffixes) == ("ris", (".ris",))


def test_every_seed_record_is_a_fixed_point():
    records = seed_records()
    first = ris(records)
    result = read(first)
    assert result.problems == []
    assert ris(result.records) == first
    # Where each value came from is not RIS's to hold.
    assert [replace(r, provenance=()) for r in result.records] == [
        replace(r, provenance=(), sources={}) for r in records
    ]


TRICKY = {
    "key-only": Record(key="k"),
    "no-key": Record(title="No key"),
    "year-less-date": Record(date=PartialDate(None, 5, 29), key="k"),
    "year-only": Record(date=PartialDate(2026), key="k"),
    "year-month": Record(date=PartialDate(2020, 2), key="k"),
    "early-year": Record(date=PartialDate(7, 1, 2), key="k"),
    "single-word-name": Record(authors=(Person(family="Plato"),), key="k"),
    "family-only-with-particle": Record(authors=(Person(family="van Gogh"),), key="k"),
    "particle-in-family": Record(authors=(Person(given="Vincent", family="van Gogh"),), key="k"),
    "particles": Record(authors=(Person(given="Ana", family="Fuente", particle="de la"),), key="k"),
    "corporate-with-comma": Record(
        authors=(Person(family="University of California, Berkeley", literal=True),), key="k"
    ),
    "suffix-without-given": Record(authors=(Person(family="Smith", suffix="Jr."),), key="k"),
    "non-ascii-names": Record(
        authors=(Person(given="Łukasz", family="Kaiser"), Person(given="Zoë", family="Ødegaard")),
        key="k",
    ),
    "truncated-without-authors": Record(authors_truncated=True, key="k"),
    "line-breaks-everywhere": Record(
        title="A\r\nB\rC\u2028D\u2029E\x85F\x0bG\x0cH\x1cI",
        abstract="  lead\n\ntrail  ",
        venue="J.\nX",
        key="k",
    ),
    "looks-like-tags": Record(title="ER  - \nTY  - JOUR", abstract="KW  - x", key="k"),
    "blank-values-skipped": Record(title="   ", abstract="\n", key="k"),
    "note-reading-et-al": Record(extra={"note": "et al."}, key="k"),
    "note-reading-like-a-field": Record(extra={"note": "see: the appendix"}, key="k"),
    "unknown-category-first": Record(categories=("foo", "cs.CV"), key="k"),
    "category-like-keyword": Record(extra={"keywords": "cs.LG, robots"}, key="k"),
    "url-without-arxiv": Record(ids=Ids(url="https://a.org/x y"), key="k"),
    "arxiv-with-own-url": Record(ids=Ids(arxiv="2401.00001", url="https://b.org"), key="k"),
    "old-style-arxiv": Record(ids=Ids(arxiv="hep-th/9901001", arxiv_version=3), key="k"),
    "article": Record(entry_type="article", venue="J. Foo", key="k"),
    "mastersthesis-reads-as-phdthesis": Record(entry_type="mastersthesis", key="k"),
    "unknown-type": Record(entry_type="manual", key="k"),
    "page-with-letter": Record(extra={"pages": "e123"}, key="k"),
    "en-dash-range": Record(extra={"pages": "12–34"}, key="k"),
    "tagged-fields": Record(
        extra={
            "Volume": "1",
            "number": "2",
            "publisher": "P",
            "address": "A",
            "edition": "2nd",
            "language": "en",
            "isbn": "978-3-16-148410-0",
        },
        key="k",
    ),
    "other-extras-sorted": Record(extra={"zeta": "z", "alpha": "a", "note": "n"}, key="k"),
    "org-and-code-only": Record(orgs=("a", "b"), has_code=True, key="k"),
}


@pytest.mark.parametrize("record", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_records_are_fixed_points(record):
    first = ris([record])
    result = read(first)
    assert result.problems == []
    assert ris(result.records) == first


@pytest.mark.parametrize(
    "record",
    [TRICKY[name] for name in ("particles", "non-ascii-names", "suffix-without-given", "article")],
    ids=["particles", "non-ascii-names", "suffix-without-given", "article"],
)
def test_plain_records_come_back_equal(record):
    (back,) = read(ris([record])).records
    assert replace(back, provenance=()) == record


@pytest.mark.parametrize(
    ("person", "text"),
    [
        (
            Person(given="Ludwig", family="Beethoven", particle="van", suffix="Jr."),
            "van Beethoven, Ludwig, Jr.",
        ),
        (Person(given="Jane", family="Doe"), "Doe, Jane"),
        (Person(family="Plato"), "Plato"),
        (Person(family="Smith", suffix="Jr."), "Smith, , Jr."),
        (Person(family="Inferix Team", literal=True), "Inferix Team"),
    ],
    ids=["full", "plain", "family-only", "suffix-only", "corporate"],
)
def test_names_both_ways(person, text):
    assert format_name(person) == text
    assert parse_name(text) == person


def test_one_line_folds_every_line_break():
    assert one_line(" a\r\nb\u2028c\n") == "a b c"


def test_sniff():
    reader = RisReader()
    assert reader.sniff(Source.from_text("TY  - JOUR\r\nER  - \r\n"))
    assert reader.sniff(Source.from_text("\n\nTY - GEN\n"))  # one space, as some tools write it
    assert not reader.sniff(Source.from_text("@misc{x, title={y}}"))
    assert not reader.sniff(Source.from_text("TI  - title first\nTY  - GEN\n"))


BROKEN = "\n".join(
    [
        "TY  - JOUR",  # 1
        "TI  - A title",  # 2
        "continued here",  # 3: not a tag line
        "AU  - Doe, Jane",  # 4
        "ER  - ",  # 5
        "stray text",  # 6: outside a record
        "TY  - GEN",  # 7
        "TI  - Second",  # 8
        "XY  - unknown",  # 9: no place for it
        "TI  - again",  # 10: repeated
        "XY  - unknown again",  # 11: reported once
        "TY  - GEN",  # 12: the record from line 7 had no ER
        "TI  - Third",  # 13: end of file without ER
    ]
)


def test_problems_name_file_and_line_and_reading_goes_on():
    result = read(BROKEN)
    assert [r.title for r in result.records] == ["A title continued here", "Second", "Third"]
    assert [(p.source, p.line, p.severity) for p in result.problems] == [
        ("refs.ris", 3, "warning"),
        ("refs.ris", 6, "warning"),
        ("refs.ris", 9, "warning"),
        ("refs.ris", 10, "warning"),
        ("refs.ris", 12, "warning"),
        ("refs.ris", 13, "warning"),
    ]
    messages = [p.message for p in result.problems]
    assert "not a RIS line 'XX  - value'" in messages[0]
    assert "outside a record" in messages[1]
    assert "tag XY" in messages[2]
    assert "repeated TI" in messages[3]
    assert "record from line 7 has no 'ER  - ' line" in messages[4]
    assert "record from line 12 has no 'ER  - ' line" in messages[5]
    assert [r.provenance[0].line for r in result.records] == [1, 7, 12]


def test_crlf_and_lf_read_alike():
    assert read(RICH_RIS).records == read(RICH_RIS.replace("\r\n", "\n")).records


def test_text_without_any_record_is_unusable():
    with pytest.raises(ReadError, match="no RIS record"):
        read("TI  - no type line\nER  - \n")


def test_common_tags_of_other_tools():
    text = "\n".join(
        [
            "TY  - JOUR",
            "A1  - Baldwin,S.A.",
            "T1  - Blood-brain barrier breach",
            "JO  - J.Neurosurg.",
            "Y1  - 1996",
            "VL  - 85",
            "SP  - 476",
            "EP  - 481",
            "KW  - rat",
            "KW  - trauma",
            "N2  - An abstract.",
            "UR  - https://example.org/x",
            "DB  - PubMed",
            "IS  - ",
            "ER  -",
        ]
    )
    result = read(text)
    (record,) = result.records
    assert record.entry_type == "article"
    assert record.authors == (Person(given="S.A.", family="Baldwin"),)
    assert (record.title, record.venue, record.date) == (
        "Blood-brain barrier breach",
        "J.Neurosurg.",
        PartialDate(1996),
    )
    assert record.extra == {"volume": "85", "pages": "476--481", "keywords": "rat, trauma"}
    assert (record.abstract, record.ids.url) == ("An abstract.", "https://example.org/x")
    assert [p.message for p in result.problems] == [
        "tag DB has no place in a citetools record: ignored"
    ]


@pytest.fixture
def ris_plugins():
    """The RIS reader and exporter as in-process plugins (until pyproject.toml declares them)."""
    plugins.register("reader", "ris", RisReader)
    plugins.register("exporter", "ris", RisExporter)
    yield
    plugins.unregister("reader", "ris")
    plugins.unregister("exporter", "ris")


def test_cli_writes_ris_by_suffix_and_reads_it_back_to_the_same_bibtex(ris_plugins, tmp_path):
    runner = CliRunner()
    as_of = ["--as-of", "2026-11-24", "--quiet"]
    direct, via_ris, ris_file = (tmp_path / n for n in ("direct.bib", "via.bib", "refs.ris"))
    for args in (
        [str(SEEDS), "-o", str(direct)],
        [str(SEEDS), "-o", str(ris_file)],
        [str(ris_file), "-o", str(via_ris)],
    ):
        result = runner.invoke(app, ["export", *args, *as_of])
        assert result.exit_code == 0, result.output
    assert ris_file.read_bytes().startswith(b"TY  - GEN\r\nTI  - Lumos-Nexus")
    assert via_ris.read_text(encoding="utf-8") == direct.read_text(encoding="utf-8")
