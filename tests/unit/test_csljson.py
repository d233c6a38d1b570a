"""The CSL-JSON exporter and reader: schema validity, the Zotero arXiv convention, round trips
(records -> CSL-JSON -> records -> CSL-JSON) and agreement with the BibTeX exporter/reader."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetools.errors import ExportError, ReadError
from citetools.exporters import to_string
from citetools.exporters.bibtex import BibtexExporter
from citetools.exporters.csljson import (
    _BATCH,
    KEY_ORDER,
    CslJsonExporter,
    csl_item,
    csl_title,
    csl_type,
)
from citetools.formats.csl import (
    CSL_TYPE_NAMES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    TEXT_VARIABLES,
    truncation_note,
)
from citetools.keys import DefaultKeyStyle, assign_keys
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.normalize.titles import protect_title
from citetools.readers import SniffingReader, Source, read_string
from citetools.readers.bibtex import BibtexReader
from citetools.readers.csljson import ENTRY_TYPES, CslJsonReader
from tests.helpers import ROOT, normalized, read_raw

SCHEMA_PATH = ROOT / "tests" / "fixtures" / "csl" / "csl-data.json"
EXPORTER = CslJsonExporter()
READER = CslJsonReader()


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def seed_records() -> tuple[Record, ...]:
    done = normalized([str(ROOT / "seeds")], as_of=date(2026, 11, 24))
    return tuple(assign_keys(done.records, DefaultKeyStyle()))


def export(records) -> str:
    return to_string(EXPORTER, records)


def items(records) -> list[dict]:
    return json.loads(export(records))


def read(text: str, source: str = "t.json"):
    return read_string(READER, text, source)


XING = Person(given="Jiazheng", family="Xing")
TRICKY = {
    "particle": Record(
        title="Symphonies",
        authors=(Person(given="Ludwig", particle="van", family="Beethoven"),),
        date=PartialDate(1808),
        key="beethoven1808",
    ),
    "suffix-and-dropping-style-names": Record(
        entry_type="article",
        title="On Names",
        authors=(
            Person(given="John Q.", family="Smith", suffix="Jr."),
            Person(given="Jean", particle="de la", family="Fontaine"),
            Person(family="Plato"),
        ),
        date=PartialDate(2020, 2),
        venue="Journal of Names & Naming",
        key="smith2020names",
    ),
    "corporate-authors": Record(
        title="Inferix Technical Report",
        authors=(Person(family="Inferix Team", literal=True), XING),
        date=PartialDate(2026, 1, 5),
        categories=("cs.CV",),
        key="inferix2026",
    ),
    "truncated": Record(
        title="Many Authors",
        authors=(XING, Person(given="Hangjie", family="Yuan")),
        authors_truncated=True,
        date=PartialDate(2026, 5, 29),
        categories=("cs.CV",),
        key="xing2026many",
    ),
    "truncated-after-one": Record(
        title="One Author Shown",
        authors=(XING,),
        authors_truncated=True,
        key="xing2026one",
    ),
    "only-et-al": Record(title="Nobody Named", authors_truncated=True, key="anon2026nobody"),
    "others-as-a-person": Record(
        title="Leaked Others", authors=(XING, Person(family="others")), key="xing2026leaked"
    ),
    "html-specials-in-title": Record(
        title='Q&A <Fast> & A/B Tests: ViT > CNN, &amp; literally <span class="nocase">x</span>',
        authors=(XING,),
        date=PartialDate(2024),
        key="xing2024qa",
    ),
    "nocase-words": Record(
        title="BOOT: DyDiT++ on 3D GPUs, A Study of K-Means, A* and FP8 at iPhone Scale",
        authors=(XING,),
        date=PartialDate(2025, 12),
        categories=("cs.LG", "stat.ML"),
        key="xing2025boot",
    ),
    "non-ascii": Record(
        title="Über Straßen: 日本語 Models — ✓ Zoë’s “Quotes”",
        authors=(Person(given="Łukasz", family="Kaiser"), Person(given="Zoë", family="Müller")),
        abstract="Ünïcode stays UTF-8: αβγ, 中文, emoji 🚀.",
        date=PartialDate(2023, 7, 1),
        key="kaiser2023uber",
    ),
    "resolved-arxiv-with-journal-doi": Record(
        title="A Resolved Paper",
        authors=(XING,),
        date=PartialDate(2026, 5, 29),
        categories=("cs.CV",),
        ids=Ids(arxiv="2605.31603", arxiv_version=2, doi="10.1109/CVPR.2026.00042"),
        key="xing2026resolved",
    ),
    "arxiv-doi-only": Record(
        title="Known by DOI", ids=Ids(doi="10.48550/arXiv.2401.00001"), key="anon2024known"
    ),
    "arxiv-pdf-url-only": Record(
        title="Known by URL",
        categories=("cs.AI",),
        ids=Ids(url="https://arxiv.org/pdf/2401.00002v3"),
        key="anon2024url",
    ),
    "old-style-arxiv-with-own-url": Record(
        title="Old Style",
        authors=(XING,),
        date=PartialDate(1999, 1),
        ids=Ids(arxiv="hep-th/9901001", url="https://example.org/paper"),
        key="xing1999old",
    ),
    "existing-note-affiliation-truncation": Record(
        title="Noted",
        authors=(XING,),
        authors_truncated=True,
        affiliation="JD Explore Academy",
        extra={"note": "Accepted at CVPR 2026.\nOral."},
        key="xing2026noted",
    ),
    "note-that-looks-structured": Record(
        title="Tricky Note",
        extra={"note": "Affiliation: written by hand\nauthors truncated: not ours (et al.)"},
        key="anon2026tricky",
    ),
    "no-title": Record(
        authors=(XING,), abstract="Only an abstract.", date=PartialDate(2026), key="xing2026"
    ),
    "no-title-no-authors-no-date": Record(affiliation="Somewhere", key="anon"),
    "empty-strings": Record(
        title="  ",
        venue="",
        abstract=" ",
        affiliation="",
        authors=(Person(given="", family=""), XING),
        extra={"note": "", "publisher": " "},
        key="xing-empty",
    ),
    "listing-extras": Record(
        title="Listing Extras",
        authors=(XING,),
        categories=("cs.CV",),
        has_code=True,
        orgs=("apple-ml", "meta-ai"),
        extra={"keywords": "diffusion, video"},
        key="xing2026extras",
    ),
    "keywords-that-look-like-ours": Record(
        title="Keyword Lookalikes",
        extra={"keywords": "cs.CV, org:fake, code-available"},
        key="anon2026look",
    ),
    "journal-article-bibtex-fields": Record(
        entry_type="article",
        title="A Journal Paper",
        authors=(XING,),
        date=PartialDate(2021, 3),
        venue="Pattern Recognition",
        ids=Ids(doi="10.1016/j.patcog.2021.107000"),
        extra={
            "volume": "112",
            "number": "4",
            "pages": "107--118",
            "publisher": "Elsevier",
            "issn": "0031-3203",
            "language": "english",
        },
        key="xing2021journal",
    ),
    "inproceedings-with-editors": Record(
        entry_type="inproceedings",
        title="A Conference Paper",
        authors=(XING,),
        date=PartialDate(2019),
        venue="Proceedings of NeurIPS",
        extra={
            "editor": "van Gogh, Vincent and Smith, Jr., John and World Health Organization",
            "address": "Vancouver",
            "organization": "NeurIPS Foundation",
            "publisher": "Curran",
            "series": "Advances",
            "urldate": "2024-01-05",
        },
        key="xing2019conference",
    ),
    "phdthesis": Record(
        entry_type="phdthesis",
        title="A Thesis",
        authors=(XING,),
        date=PartialDate(2018),
        extra={"school": "Tsinghua University"},
        key="xing2018thesis",
    ),
    "thesis-with-own-genre": Record(
        entry_type="mastersthesis",
        title="Another Thesis",
        authors=(XING,),
        extra={"type": "Diplomarbeit", "school": "TU Wien"},
        key="xing2017thesis",
    ),
    "techreport-number-clashes-with-arxiv": Record(
        entry_type="techreport",
        title="A Report",
        authors=(XING,),
        ids=Ids(arxiv="2402.00003"),
        extra={"number": "TR-7", "institution": "MIT"},
        key="xing2024report",
    ),
    "fields-without-csl-variable": Record(
        title="Custom Fields",
        extra={
            "timestamp": "2024-05-01",
            "bibsource": "dblp",
            "title": "Alt Title",
            "urldate": "soon",
        },
        key="anon2024custom",
    ),
    "colliding-fields": Record(
        entry_type="book",
        title="Collisions",
        extra={
            "address": "Paris",
            "publisher-place": "Lyon",
            "location": "Nice",
            "institution": "Inst",
            "publisher": "Pub",
        },
        key="anon2024collisions",
    ),
    "zotero-bibtex-preprint": Record(
        title="Exported by Zotero",
        authors=(XING,),
        date=PartialDate(2023, 1, 2),
        ids=Ids(url="https://arxiv.org/abs/2301.00001"),
        extra={"number": "arXiv:2301.00001", "publisher": "arXiv", "note": "arXiv:2301.00001 [cs]"},
        key="xing2023zotero",
    ),
    "yearless-and-day-without-month": Record(
        title="Odd Dates", date=PartialDate(2020, None, 5), key="anon2020odd"
    ),
    "unknown-entry-type": Record(entry_type="Video", title="A Video", key="anon2020video"),
    "csl-type-as-entry-type": Record(entry_type="map", title="A Map", key="anon2020map"),
}


# --- the vocabulary is the official schema's -------------------------------------------------


def test_types_and_variables_are_those_of_the_official_schema():
    item = schema()["items"]
    assert set(item["properties"]["type"]["enum"]) == CSL_TYPE_NAMES
    kinds: dict[str, set[str]] = {"name": set(), "date": set(), "text": set()}
    for name, spec in item["properties"].items():
        if spec.get("type") == "array" and spec["items"].get("$ref", "").endswith("name-variable"):
            kinds["name"].add(name)
        elif spec.get("$ref", "").endswith("date-variable"):
            kinds["date"].add(name)
        elif spec.get("type") in ("string", ["string", "number"]):
            kinds["text"].add(name)
    assert kinds["name"] == NAME_VARIABLES
    assert kinds["date"] == DATE_VARIABLES
    assert kinds["text"] - {"id", "type"} == TEXT_VARIABLES


# --- schema validity ------------------------------------------------------------------------


def schema_errors(csl_items: list[dict]) -> list[str]:
    validator = jsonschema.Draft7Validator(schema())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(csl_items)]


def test_every_seed_item_is_valid_against_the_official_schema():
    csl_items = items(seed_records())
    assert len(csl_items) == len(seed_records()) > 0
    assert schema_errors(csl_items) == []


@pytest.mark.parametrize("record", TRICKY.values(), ids=TRICKY.keys())
def test_every_tricky_item_is_valid_against_the_official_schema(record):
    assert schema_errors(items([record])) == []


def walk(value):
    yield value
    if isinstance(value, dict):
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


def test_no_empty_string_list_or_object_is_ever_written():
    for value in walk(items([*seed_records(), *TRICKY.values()])):
        if isinstance(value, str | list | dict):
            assert value and (not isinstance(value, str) or value.strip()), value


def test_others_never_appears_as_a_name():
    for item in items([*seed_records(), *TRICKY.values()]):
        for name in item.get("author", []) + item.get("editor", []):
            assert "others" not in {name.get("family"), name.get("literal")}, item["id"]
    leaked = items([TRICKY["others-as-a-person"]])[0]
    assert leaked["author"] == [{"family": "Xing", "given": "Jiazheng"}]
    assert leaked["note"] == truncation_note(1)


# --- the mapping ----------------------------------------------------------------------------

# Written by hand from Zotero's arXiv convention (REFERENCE.md), checked by eye.
RESOLVED = Record(
    title="Lumos-Nexus: Efficient Frequency Bridging for ViT & Łukasz's GPUs",
    authors=(
        XING,
        Person(given="Łukasz", family="Kaiser"),
        Person(family="Inferix Team", literal=True),
    ),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    abstract="We bridge frequencies.",
    categories=("cs.CV", "cs.LG"),
    ids=Ids(arxiv="2605.31603", arxiv_version=1),
    has_code=True,
    orgs=("apple-ml",),
    key="xing2026lumos",
    provenance=(Provenance("feed.txt", 1, "feed"),),
)
RESOLVED_JSON = """[
  {
    "id": "xing2026lumos",
    "type": "article",
    "title": "<span class=\\"nocase\\">Lumos-Nexus</span>: Efficient Frequency Bridging for <span class=\\"nocase\\">ViT</span> & Łukasz's <span class=\\"nocase\\">GPUs</span>",
    "author": [
      {
        "family": "Xing",
        "given": "Jiazheng"
      },
      {
        "family": "Kaiser",
        "given": "Łukasz"
      },
      {
        "literal": "Inferix Team"
      }
    ],
    "issued": {
      "date-parts": [
        [
          2026,
          5,
          29
        ]
      ]
    },
    "publisher": "arXiv",
    "number": "arXiv:2605.31603",
    "DOI": "10.48550/arXiv.2605.31603",
    "URL": "https://arxiv.org/abs/2605.31603",
    "abstract": "We bridge frequencies.",
    "keyword": "cs.CV, cs.LG, org:apple-ml, code-available",
    "note": "authors truncated: the listing shows only the first 3 authors (et al.)"
  }
]
"""


def test_resolved_arxiv_record_follows_the_zotero_convention_byte_for_byte():
    assert export([RESOLVED]) == RESOLVED_JSON


def test_a_known_journal_doi_wins_and_the_arxiv_id_stays_in_number():
    item = items([TRICKY["resolved-arxiv-with-journal-doi"]])[0]
    assert (item["type"], item["publisher"], item["number"]) == (
        "article",
        "arXiv",
        "arXiv:2605.31603",
    )
    assert item["DOI"] == "10.1109/CVPR.2026.00042"
    assert item["URL"] == "https://arxiv.org/abs/2605.31603"


def test_a_listing_entry_before_resolution_is_an_arxiv_article_without_identifiers():
    lumos = next(r for r in seed_records() if r.key == "xing2026lumos")
    item = csl_item(lumos)
    assert (item["type"], item["publisher"]) == ("article", "arXiv")
    assert not {"number", "DOI", "URL"} & set(item)


def test_a_daily_entry_without_categories_is_a_plain_document():
    daily = next(r for r in seed_records() if not r.categories)
    item = csl_item(daily)
    assert item["type"] == "document" and "publisher" not in item


@pytest.mark.parametrize(
    ("entry_type", "expected"),
    [
        ("article", "article-journal"),
        ("inproceedings", "paper-conference"),
        ("conference", "paper-conference"),
        ("book", "book"),
        ("incollection", "chapter"),
        ("inbook", "chapter"),
        ("phdthesis", "thesis"),
        ("mastersthesis", "thesis"),
        ("techreport", "report"),
        ("manual", "report"),
        ("booklet", "pamphlet"),
        ("unpublished", "manuscript"),
        ("misc", "document"),
        ("online", "webpage"),
        ("software", "software"),
        ("dataset", "dataset"),
        ("Video", "document"),
    ],
    ids=lambda v: v,
)
def test_bibtex_entry_types_map_to_csl_types(entry_type, expected):
    assert csl_type(entry_type) == expected


def test_every_csl_type_read_back_exports_as_the_same_type():
    """CSL type -> entry type -> CSL type is the identity, except ``article``, which needs the
    arXiv evidence (id or categories) the reader restores from the item itself."""
    for type_ in sorted(CSL_TYPE_NAMES - {"article", "collection"}):
        assert csl_type(ENTRY_TYPES.get(type_, type_)) == type_, type_


def test_thesis_genres():
    assert csl_item(TRICKY["phdthesis"])["genre"] == "PhD thesis"
    assert csl_item(TRICKY["phdthesis"])["publisher"] == "Tsinghua University"
    assert csl_item(TRICKY["thesis-with-own-genre"])["genre"] == "Diplomarbeit"


def test_bibtex_fields_become_csl_variables():
    item = csl_item(TRICKY["journal-article-bibtex-fields"])
    assert (item["volume"], item["issue"], item["page"]) == ("112", "4", "107-118")
    assert (item["publisher"], item["ISSN"], item["language"]) == (
        "Elsevier",
        "0031-3203",
        "english",
    )
    conference = csl_item(TRICKY["inproceedings-with-editors"])
    assert conference["editor"] == [
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"literal": "World Health Organization"},
    ]
    assert conference["accessed"] == {"date-parts": [[2024, 1, 5]]}
    assert conference["publisher"] == "Curran"
    assert conference["publisher-place"] == "Vancouver"
    assert conference["custom"] == {"organization": "NeurIPS Foundation"}


def test_zotero_bibtex_preprint_fields_are_recognised_not_repeated():
    item = csl_item(TRICKY["zotero-bibtex-preprint"])
    assert (item["type"], item["publisher"], item["number"]) == (
        "article",
        "arXiv",
        "arXiv:2301.00001",
    )
    assert item["DOI"] == "10.48550/arXiv.2301.00001" and "custom" not in item


def test_fields_without_a_free_csl_variable_go_to_custom():
    assert csl_item(TRICKY["fields-without-csl-variable"])["custom"] == {
        "bibsource": "dblp",
        "timestamp": "2024-05-01",
        "title": "Alt Title",
        "urldate": "soon",
    }
    report = csl_item(TRICKY["techreport-number-clashes-with-arxiv"])
    assert report["number"] == "arXiv:2402.00003" and report["custom"] == {"number": "TR-7"}


def test_note_merges_own_note_affiliation_and_truncation():
    assert csl_item(TRICKY["existing-note-affiliation-truncation"])["note"] == (
        "Accepted at CVPR 2026.\nOral.\nAffiliation: JD Explore Academy\n"
        "authors truncated: the listing shows only the first author (et al.)"
    )
    assert truncation_note(0) == "authors truncated: the listing shows no author names (et al.)"
    assert (
        truncation_note(2)
        == "authors truncated: the listing shows only the first 2 authors (et al.)"
    )


def test_partial_and_missing_dates():
    assert csl_item(TRICKY["particle"])["issued"] == {"date-parts": [[1808]]}
    assert csl_item(TRICKY["suffix-and-dropping-style-names"])["issued"] == {
        "date-parts": [[2020, 2]]
    }
    assert csl_item(TRICKY["yearless-and-day-without-month"])["issued"] == {"date-parts": [[2020]]}
    assert "issued" not in csl_item(TRICKY["no-title-no-authors-no-date"])
    assert "issued" not in csl_item(replace(TRICKY["particle"], date=PartialDate(None, 5, 29)))


N = '<span class="nocase">'


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Efficient Models", "Efficient Models"),
        ("BOOT and ViT", f"{N}BOOT</span> and {N}ViT</span>"),
        ("DyDiT++ on 3D GPUs", f"{N}DyDiT</span>++ on {N}3D</span> {N}GPUs</span>"),
        ("A Practical Guide", "A Practical Guide"),
        ("Q&A <Fast> x<y A*", f"{N}Q</span>&{N}A</span> <Fast> x<y {N}A</span>*"),
        ("Using <b> and <i>x</i>", "Using &lt;b> and &lt;i>x&lt;/i>"),
        ('<span class="nocase">', '&lt;span class="nocase">'),
        ("&amp; &lt; &gt; &copy; &", "&amp;amp; &amp;lt; &amp;gt; &copy; &"),
        ("K-Means for I and A", f"{N}K</span>-Means for {N}I</span> and {N}A</span>"),
        ("Text-to-Image", "Text-to-Image"),
        ("iPhone Über ÉCOLE", f"{N}iPhone</span> Über {N}ÉCOLE</span>"),
    ],
    ids=[
        "plain",
        "acronyms",
        "mixed",
        "article-A",
        "specials-kept",
        "tags-escaped",
        "nocase-escaped",
        "entities-escaped",
        "single-capitals",
        "hyphens",
        "unicode",
    ],
)
def test_title_markup(title, expected):
    assert csl_title(title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("A", f"{N}A</span>"),
        ("Plan A", f"Plan {N}A</span>"),
        ("A plan", "A plan"),
        ("Plan A.", f"Plan {N}A</span>."),
        ("A/B and A*", f"{N}A</span>/{N}B</span> and {N}A</span>*"),
        ("x_A_y", f"x_{N}A</span>_y"),
        ("GPT-4o's 3D", f"{N}GPT</span>-4o's {N}3D</span>"),
    ],
    ids=["alone", "last", "first", "before-stop", "slash-star", "underscore", "digits"],
)
def test_ascii_title_markup(title, expected):
    """An "A" is the article first in the title or between spaces, never last (``Plan A``), as
    in BibTeX's title protection."""
    assert csl_title(title) == expected


def top_level_groups(latex: str) -> list[str]:
    groups, depth, start = [], 0, 0
    for i, c in enumerate(latex):
        if c == "{":
            depth += 1
            start = i + 1 if depth == 1 else start
        elif c == "}":
            depth -= 1
            if depth == 0:
                groups.append(latex[start:i])
    return groups


def test_nocase_words_are_exactly_the_words_bibtex_braces():
    """The same rule on both sides (compared on ASCII words: BibTeX spells others as accents)."""
    ascii_word = re.compile(r"^[A-Za-z0-9]+$")
    for record in [*seed_records(), *TRICKY.values()]:
        if not record.title or not record.title.strip():
            continue
        nocase = [part.split("</span>")[0] for part in csl_title(record.title).split(N)[1:]]
        braced = top_level_groups(protect_title(record.title))
        assert [w for w in nocase if ascii_word.match(w)] == [
            w for w in braced if ascii_word.match(w)
        ], record.key


# --- the reader: round trips ----------------------------------------------------------------


def round_trip(records) -> tuple[str, str]:
    first = export(records)
    result = read(first)
    assert [p for p in result.problems if p.severity == "error"] == []
    return first, export(result.records)


def test_seed_records_round_trip_to_identical_text():
    first, second = round_trip(seed_records())
    assert second == first


@pytest.mark.parametrize("record", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_records_round_trip_to_identical_text(record):
    first, second = round_trip([record])
    assert second == first


def test_whole_tricky_table_round_trips_in_one_file():
    first, second = round_trip(TRICKY.values())
    assert second == first


def test_reader_restores_the_listing_fields():
    (back,) = read(export([TRICKY["listing-extras"]])).records
    assert (back.categories, back.has_code, back.orgs) == (
        ("cs.CV",),
        True,
        ("apple-ml", "meta-ai"),
    )
    assert back.extra == {"keywords": "diffusion, video"}
    (noted,) = read(export([TRICKY["existing-note-affiliation-truncation"]])).records
    assert (noted.authors_truncated, noted.affiliation) == (True, "JD Explore Academy")
    assert noted.extra == {"note": "Accepted at CVPR 2026.\nOral."}


def test_reader_restores_plain_titles_and_names():
    for name in ("html-specials-in-title", "nocase-words", "non-ascii"):
        (back,) = read(export([TRICKY[name]])).records
        assert back.title == TRICKY[name].title
        assert back.authors == TRICKY[name].authors
    (names,) = read(export([TRICKY["suffix-and-dropping-style-names"]])).records
    assert names.authors == TRICKY["suffix-and-dropping-style-names"].authors


def test_reader_restores_arxiv_ids_from_number_doi_and_url():
    back = {r.key: r for r in read(export(TRICKY.values())).records}
    assert back["xing2026resolved"].ids == Ids(arxiv="2605.31603", doi="10.1109/CVPR.2026.00042")
    assert back["anon2024known"].ids.arxiv == "2401.00001"
    assert back["anon2024url"].ids == Ids(
        arxiv="2401.00002", arxiv_version=3, url="https://arxiv.org/pdf/2401.00002v3"
    )
    assert back["xing1999old"].ids == Ids(arxiv="hep-th/9901001", url="https://example.org/paper")
    resolved = read(RESOLVED_JSON).records[0]
    assert resolved.entry_type == "misc"
    assert resolved.ids == Ids(arxiv="2605.31603")  # the derived DOI and URL are not stored
    assert replace(resolved, provenance=()) == replace(
        RESOLVED, ids=Ids(arxiv="2605.31603"), provenance=()
    )


def test_reader_restores_bibtex_field_names():
    back = {r.key: r for r in read(export(TRICKY.values())).records}
    assert back["xing2021journal"].extra == TRICKY["journal-article-bibtex-fields"].extra | {
        "pages": "107-118"
    }
    assert back["xing2018thesis"].entry_type == "phdthesis"
    assert back["xing2018thesis"].extra == {"school": "Tsinghua University"}
    assert back["anon2024custom"].extra == TRICKY["fields-without-csl-variable"].extra
    assert back["anon2024collisions"].extra == TRICKY["colliding-fields"].extra


# --- BibTeX <-> CSL-JSON --------------------------------------------------------------------


def via_bibtex(records) -> list[Record]:
    bib = to_string(BibtexExporter(), records)
    result = read_string(BibtexReader(), bib, "x.bib")
    assert result.problems == []
    return result.records


def test_seed_records_give_the_same_csl_json_directly_and_through_bibtex():
    """bib -> CSL-JSON -> bib loses no field both formats hold: every seed record exported to
    BibTeX, read back, and exported to CSL-JSON gives the CSL-JSON of the original record."""
    assert export(via_bibtex(seed_records())) == export(seed_records())


# Tricky records whose trip through BibTeX loses something CSL-JSON holds, and why. (Seed
# records lose nothing.) The arXiv version is dropped by both exporters, so it never shows here.
BIBTEX_LOSSY = {
    "existing-note-affiliation-truncation": "line breaks in a note: LaTeX escaping folds them",
    "note-that-looks-structured": "line breaks in a note: LaTeX escaping folds them",
    "fields-without-csl-variable": "a second title in extra: a BibTeX entry has one title",
    "keywords-that-look-like-ours": "a keyword spelled like an arXiv category id reads back as "
    "a category (BibTeX keywords are where citetools writes every category)",
}


@pytest.mark.parametrize(
    "record",
    [r for k, r in TRICKY.items() if k not in BIBTEX_LOSSY],
    ids=[k for k in TRICKY if k not in BIBTEX_LOSSY],
)
def test_tricky_records_give_the_same_csl_json_through_bibtex(record):
    assert export(via_bibtex([record])) == export([record])


def test_a_bibtex_file_reads_into_the_same_csl_json_as_its_records():
    bib = to_string(BibtexExporter(), [RESOLVED])
    (from_bib,) = read_string(BibtexReader(), bib, "x.bib").records
    assert export([from_bib]) == export([RESOLVED])  # every category: keywords carry them


# --- the reader: bad input ------------------------------------------------------------------


def test_invalid_json_is_a_read_error_naming_source_line_and_column():
    text = '[\n  {"id": "a", "type": "book"},\n  {"id": "b" "type": "book"}\n]\n'
    with pytest.raises(ReadError) as info:
        read(text, source="refs.json")
    assert info.value.source == "refs.json" and info.value.line == 3
    assert str(info.value).startswith("refs.json:3: not valid JSON: Expecting ',' delimiter")
    assert "line 3, column 14" in str(info.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[1, 2,]", 1),
        ('{"id": "a", "type": "book"} x', 1),
        ("[\n{}\n", 3),
        ("", None),
        ("   ", None),
    ],
    ids=["trailing-comma", "extra-data", "unclosed", "empty", "blank"],
)
def test_unreadable_inputs_raise_read_error(text, line):
    with pytest.raises(ReadError) as info:
        read(text)
    assert info.value.line == line


def test_a_top_level_scalar_is_a_read_error():
    with pytest.raises(ReadError, match="array of items or one item object, not a JSON int"):
        read("42")


def test_bad_items_become_problems_and_the_rest_is_read():
    text = """[
  {"id": "good1", "type": "book", "title": "One"},
  "not an object",
  {"type": "book", "title": "No id"},
  {"id": "no-type", "title": "No type"},
  {"id": "bad-author", "type": "book", "author": "Smith"},
  {"id": "bad-date", "type": "book", "issued": {"date-parts": [["May"]]}},
  {"id": "good2", "type": "book", "title": "Two"}
]
"""
    result = read(text, source="refs.json")
    assert [r.key for r in result.records] == ["good1", "good2"]
    assert [(p.severity, p.line, p.message.split(":")[0]) for p in result.problems] == [
        ("error", 3, "item 1"),
        ("error", 4, "item 2"),
        ("error", 5, "item 3"),
        ("error", 6, "item 4"),
        ("error", 7, "item 5"),
    ]
    assert all(p.source == "refs.json" for p in result.problems)
    assert 'no "id"' in result.problems[1].message
    assert 'no "type"' in result.problems[2].message
    assert '"author" must be a list' in result.problems[3].message


@pytest.mark.parametrize(
    "issued",
    [
        {"date-parts": [[2020, 13]]},
        {"date-parts": [[2020, 2, 32]]},
        {"raw": "2020-00"},
        {"season": 1},
    ],
    ids=["month-13", "day-32", "raw-month-0", "no-year"],
)
def test_unusable_dates_are_dropped_with_a_warning(issued):
    result = read(json.dumps({"id": "x", "type": "book", "issued": issued}))
    assert result.records[0].date is None
    assert [(p.severity, p.message) for p in result.problems] == [
        ("warning", 'item 0 (x): "issued" is not a usable date and was dropped')
    ]


def test_values_with_no_place_in_a_record_are_dropped_with_a_warning():
    text = json.dumps(
        {
            "id": "x",
            "type": "hologram",
            "categories": ["a"],
            "issued": {"literal": "spring"},
            "custom": {"n": [1]},
        }
    )
    result = read(text)
    assert [r.entry_type for r in result.records] == ["hologram"]
    assert {p.severity for p in result.problems} == {"warning"}
    assert len(result.problems) == 4


def test_provenance_is_the_line_of_each_items_opening_brace():
    text = export([TRICKY["particle"], TRICKY["phdthesis"]])
    lines = text.split("\n")
    records = read(text, source="out.json").records
    for record in records:
        ((source, line, layout),) = [(p.source, p.line, p.layout) for p in record.provenance]
        assert (source, layout) == ("out.json", "csljson")
        assert lines[line - 1] == "  {" and f'"id": "{record.key}"' in lines[line]


def test_a_single_item_object_is_read():
    (record,) = read('\ufeff{"id": 7, "type": "article-journal", "title": "Seven"}').records
    assert (record.key, record.entry_type, record.title) == ("7", "article", "Seven")
    assert record.provenance[0].line == 1


def test_foreign_csl_json_conventions():
    text = json.dumps(
        [
            {
                "id": "pandoc",
                "type": "book",
                "author": [
                    {"family": "Fontaine", "given": "Jean", "dropping-particle": "de"},
                    {"literal": "others"},
                ],
                "issued": {"raw": "2001-02-03"},
                "title": '<i>Italic</i> and <span class="nocase">CASE</span> &amp; more',
            },
            {
                "id": "cjs",
                "type": "article",
                "number": "arXiv:2101.00001v4",
                "author": [{"family": "others"}],
            },
        ]
    )
    pandoc, cjs = read(text).records
    assert pandoc.authors == (Person(given="Jean", particle="de", family="Fontaine"),)
    assert pandoc.authors_truncated and cjs.authors_truncated and not cjs.authors
    assert pandoc.date == PartialDate(2001, 2, 3)
    assert pandoc.title == "Italic and CASE & more"
    assert (cjs.ids.arxiv, cjs.ids.arxiv_version, cjs.entry_type) == ("2101.00001", 4, "misc")


def test_sniff():
    assert isinstance(READER, SniffingReader)
    assert READER.sniff(Source.from_text(RESOLVED_JSON))
    assert READER.sniff(Source.from_text("[]"))
    assert READER.sniff(Source.from_text('\ufeff {"id": "x", "type": "book"}'))
    assert READER.sniff(
        Source.from_text('[{"id": "x", "type": "book"')
    )  # broken, but read() says where
    assert not READER.sniff(Source.from_text("@misc{x,\n  title = {T}\n}\n"))
    assert not READER.sniff(Source.from_text("CVMay 29\nSome Title"))
    assert not READER.sniff(Source.from_text('[{"name": "not csl"}]'))
    assert not READER.sniff(Source.from_text("[1, 2]"))


# --- the exporter: format, determinism, streaming -------------------------------------------


def test_output_is_canonical_json_text_utf8_two_space_indent_final_newline():
    text = export([*seed_records(), *TRICKY.values()])
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert all(word in text for word in ("Łukasz", "日本語", "🚀", "“Quotes”"))  # not \u-escaped
    assert export([]) == "[]\n"


@pytest.mark.parametrize("count", [1, _BATCH - 1, _BATCH, _BATCH + 1, 2 * _BATCH + 50])
def test_a_long_list_is_the_one_array_json_writes(count):
    """Written a batch of items at a time, the list is still what one json.dumps of all the
    items writes, across batch boundaries."""
    seeds = seed_records()
    records = [replace(seeds[n % len(seeds)], key=f"k{n}") for n in range(count)]
    expected = json.dumps([csl_item(r) for r in records], ensure_ascii=False, indent=2)
    assert export(records) == expected + "\n"


def test_export_is_deterministic_and_independent_of_extra_field_order():
    assert export(TRICKY.values()) == export(TRICKY.values())
    record = TRICKY["inproceedings-with-editors"]
    shuffled = replace(record, extra=dict(reversed(list(record.extra.items()))))
    assert export([shuffled]) == export([record])


def test_keys_come_in_the_fixed_order():
    keys = list(csl_item(TRICKY["journal-article-bibtex-fields"]))
    assert keys == [
        "id",
        "type",
        "title",
        "author",
        "issued",
        "container-title",
        "publisher",
        "volume",
        "issue",
        "page",
        "DOI",
        "ISSN",
        "language",
    ]


def test_write_streams_a_batch_of_items_at_a_time():
    """A batch's items are written before the next batch's records are taken."""
    out = io.StringIO()
    seen: list[str] = []
    seeds = seed_records()
    keyed = [replace(seeds[n % len(seeds)], key=f"k{n}") for n in range(2 * _BATCH + 1)]

    def records():
        for n, record in enumerate(keyed):
            if n == _BATCH:
                seen.append(out.getvalue())
            yield record

    EXPORTER.write(records(), out)
    assert seen[0].startswith('[\n  {\n    "id": "k0"') and seen[0].count('"id": ') == _BATCH
    assert out.getvalue() == export(keyed)


def test_an_item_without_extra_fields_has_its_keys_in_the_fixed_order():
    thesis = Record(
        entry_type="phdthesis",
        title="Thesis",
        authors=(XING,),
        authors_truncated=True,
        date=PartialDate(2020),
        venue="MIT",
        ids=Ids(arxiv="2001.00001", doi="10.1/x", url="https://x.org"),
        abstract="Abstract.",
        categories=("cs.LG",),
        affiliation="MIT",
        key="xing2020thesis",
    )
    preprint = replace(thesis, entry_type="misc", key="xing2020preprint")
    for record in (thesis, preprint, *seed_records()):
        keys = list(csl_item(record))
        assert keys == sorted(keys, key=KEY_ORDER.index), record.key
    assert list(csl_item(thesis)) == [
        *("id", "type", "title", "author", "issued", "container-title", "genre", "number"),
        *("DOI", "URL", "abstract", "keyword", "note"),
    ]
    assert "publisher" in csl_item(preprint)


def test_record_without_key_cannot_be_exported():
    with pytest.raises(ExportError):
        export([Record(title="x")])


TITLE_PIECES = st.sampled_from(
    [
        "<i>",
        "</i>",
        "<b>",
        "</span>",
        '<span class="nocase">',
        '<span style="x">',
        "<",
        ">",
        "&",
        "&amp;",
        "&lt;",
        "&gt;",
        "amp;",
        "lt;",
        ";",
        "ViT",
        "A",
        "a",
        " ",
        "-",
        "Über",
    ]
)


@given(st.text() | st.lists(TITLE_PIECES).map("".join))
def test_any_title_survives_the_markup(title):
    text = json.dumps({"id": "k", "type": "book", "title": csl_title(title)})
    records = read(text).records
    expected = title if title.strip() else None
    assert records[0].title == expected


def test_plugin_attributes():
    assert (EXPORTER.name, EXPORTER.suffixes) == ("csljson", (".json",))
    assert (READER.name, READER.suffixes) == ("csljson", (".json",))
    assert EXPORTER.description and READER.description


# sha256 of ../shared/oracle/schema/* as handed to the project (checked with sha256sum on both
# copies), so that the check runs wherever the repository is cloned.
SCHEMA_SHA256 = {
    "csl-data.json": "23b2c062d7526060f4631bb04b4b3ba237e488484253e327bd00fa691861b811",
    "LICENSE.txt": "6d77b80c6b2412a010e22ee5b5d0a92689f402ddb8766dea2346b525db6a7c6d",
}


def test_schema_fixture_is_the_oracles_copy():
    for name, digest in SCHEMA_SHA256.items():
        assert hashlib.sha256((SCHEMA_PATH.parent / name).read_bytes()).hexdigest() == digest


def test_seed_items_read_as_a_file(tmp_path: Path):
    path = tmp_path / "refs.json"
    path.write_text(export(seed_records()), encoding="utf-8")
    outcome = read_raw([str(path)])
    assert len(outcome.records) == len(seed_records())
    assert [r.key for r in outcome.records] == [r.key for r in seed_records()]
