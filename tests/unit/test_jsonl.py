"""JSON Lines: every field of every record, and exactly the same records back."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetools.errors import ReadError
from citetools.exporters import Exporter, to_string
from citetools.exporters.jsonl import JsonlExporter, format_record
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.readers import SniffingReader, Source, read_string
from citetools.readers.jsonl import JsonlReader
from tests.unit.test_biblatex_export import seed_records

RECORD = Record(
    title="Łódź & ViT",
    authors=(
        Person(given="Ludwig", family="Beethoven", particle="van", suffix="Jr."),
        Person(family="Inferix Team", literal=True),
    ),
    authors_truncated=True,
    date=PartialDate(2026, 5),
    categories=("cs.CV",),
    ids=Ids(arxiv="2605.31603", arxiv_version=2),
    has_code=True,
    orgs=("apple-ml",),
    affiliation="JD",
    extra={"note": "n"},
    key="beethoven2026lodz",
    provenance=(Provenance("feed.txt", 4, "feed"), Provenance("refs.bib", 12, "bibtex")),
    sources={"date": "as-of"},
)

# Written by hand: keys sorted at every level, UTF-8 kept, null for what is unknown.
RECORD_JSONL = (
    '{"abstract": null, "affiliation": "JD", "authors": ['
    '{"family": "Beethoven", "given": "Ludwig", "literal": false, "particle": "van", "suffix": "Jr."}, '
    '{"family": "Inferix Team", "given": "", "literal": true, "particle": "", "suffix": ""}], '
    '"authors_truncated": true, "categories": ["cs.CV"], "comment": null, '
    '"date": {"day": null, "month": 5, "year": 2026}, "entry_type": "misc", '
    '"extra": {"note": "n"}, "has_code": true, '
    '"ids": {"arxiv": "2605.31603", "arxiv_version": 2, "doi": null, "url": null}, '
    '"journal_ref": null, "key": "beethoven2026lodz", "orgs": ["apple-ml"], '
    '"provenance": [{"layout": "feed", "line": 4, "source": "feed.txt"}, '
    '{"layout": "bibtex", "line": 12, "source": "refs.bib"}], '
    '"sources": {"date": "as-of"}, "title": "Łódź & ViT", "venue": null}\n'
)


def read(text: str):
    return read_string(JsonlReader(), text, "x.jsonl")


def test_record_matches_hand_written_line():
    assert format_record(RECORD) == RECORD_JSONL


def test_every_record_field_is_written():
    data = json.loads(format_record(Record()))
    assert set(data) == {f.name for f in fields(Record)} - {"origin"}  # (no fact)


def test_plugin_attributes():
    assert isinstance(JsonlExporter(), Exporter)
    assert isinstance(JsonlReader(), SniffingReader)
    assert (JsonlExporter.name, JsonlExporter.suffixes) == ("jsonl", (".jsonl",))
    assert (JsonlReader.name, JsonlReader.suffixes) == ("jsonl", (".jsonl",))


def test_seed_records_come_back_equal():
    records = list(seed_records())
    text = to_string(JsonlExporter(), records)
    assert text.count("\n") == len(records) == 203
    result = read(text)
    assert result.problems == []
    assert result.records == records


def test_unicode_line_separators_cannot_split_a_record():
    record = Record(title="a\u2028b\u2029c\x85d\ne\rf", extra={"k\u2028": "v"})
    text = format_record(record)
    assert len(text.splitlines()) == 1
    assert read(text).records == [record]


def test_fields_left_out_take_the_model_defaults():
    (record,) = read('{"title": "Only a title", "key": "k"}\n').records
    assert record == Record(title="Only a title", key="k")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("nope", "not JSON: Expecting value (column 1)"),
        ("[1]", "a line (one record) must be an object, not an array"),
        ('{"title": 1}', '"title" must be a string, not an integer'),
        ('{"has_code": 1}', '"has_code" must be true or false, not an integer'),
        ('{"key": 1.5}', '"key" must be a string, not a number'),
        ('{"ids": null}', '"ids" must be an object, not null'),
        ('{"colour": "red"}', 'unknown field "colour"'),
        ('{"authors": [{"given": "a", "x": 1}]}', 'unknown field "authors[0].x"'),
        ('{"date": {"month": 3}}', 'missing field "date.year"'),
        (
            '{"provenance": [{"source": "s", "line": true, "layout": "l"}]}',
            '"provenance[0].line" must be an integer, not true or false',
        ),
        ('{"extra": {"a": 1}}', '"extra.a" must be a string, not an integer'),
        ('{"orgs": "apple"}', '"orgs" must be an array, not a string'),
    ],
    ids=[
        "not-json",
        "not-an-object",
        "wrong-type",
        "int-is-not-bool",
        "float",
        "null-for-required-part",
        "unknown-field",
        "unknown-nested-field",
        "missing-required-part",
        "bool-is-not-int",
        "extra-values-are-text",
        "tuple-needs-array",
    ],
)
def test_bad_lines_are_problems_with_their_line_and_reading_goes_on(line, message):
    result = read(f'{{"key": "a"}}\n\n{line}\n{{"key": "b"}}\n')
    assert [r.key for r in result.records] == ["a", "b"]
    (problem,) = result.problems
    assert (problem.source, problem.line, problem.severity) == ("x.jsonl", 3, "error")
    assert problem.message == f"record not read: {message}"


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        (RECORD_JSONL, True),
        ('\n  {"title": "t"}\n', True),
        ('{"title": "t", "colour": "red"}\n', False),
        ("{}\n", False),
        ("[1]\n", False),
        ("{not json\n", False),
        ("@misc{k, title={t}}\n", False),
        ("TY  - GEN\r\nER  - \r\n", False),
    ],
    ids=[
        "record",
        "leading-blank",
        "foreign-object",
        "empty-object",
        "array",
        "broken",
        "bib",
        "ris",
    ],
)
def test_sniff_claims_record_lines_only(text, claimed):
    assert JsonlReader().sniff(Source.from_text(text)) is claimed


def test_text_without_any_record_is_unusable():
    with pytest.raises(ReadError, match="no record"):
        read("\n  \n")


texts = st.text()
optional_texts = st.none() | texts
people = st.builds(
    Person, given=texts, family=texts, particle=texts, suffix=texts, literal=st.booleans()
)
dates = st.builds(
    PartialDate,
    year=st.none() | st.integers(),
    month=st.none() | st.integers(),
    day=st.none() | st.integers(),
)
# One strategy per Record field: the test below fails when the model gains a field.
RECORD_FIELDS = {
    "entry_type": texts,
    "title": optional_texts,
    "authors": st.lists(people, max_size=4).map(tuple),
    "authors_truncated": st.booleans(),
    "date": st.none() | dates,
    "venue": optional_texts,
    "abstract": optional_texts,
    "categories": st.lists(texts, max_size=3).map(tuple),
    "ids": st.builds(
        Ids,
        arxiv=optional_texts,
        arxiv_version=st.none() | st.integers(),
        doi=optional_texts,
        url=optional_texts,
    ),
    "has_code": st.booleans(),
    "orgs": st.lists(texts, max_size=3).map(tuple),
    "affiliation": optional_texts,
    "journal_ref": optional_texts,
    "comment": optional_texts,
    "extra": st.dictionaries(texts, texts, max_size=4),
    "key": optional_texts,
    "provenance": st.lists(
        st.builds(Provenance, source=texts, line=st.integers(), layout=texts), max_size=3
    ).map(tuple),
    "sources": st.dictionaries(texts, texts, max_size=3),
}
records = st.builds(Record, **RECORD_FIELDS)


def test_generated_records_vary_every_field():
    assert set(RECORD_FIELDS) == {f.name for f in fields(Record)} - {"origin"}


@given(st.lists(records, min_size=1, max_size=4))
def test_any_records_come_back_equal(generated):
    text = to_string(JsonlExporter(), generated)
    assert text.count("\n") == len(generated)
    result = read(text)
    assert result.problems == []
    assert result.records == generated
