"""What every plugin of each kind must do, as plain functions: the parametrized suites in this
folder run them over every installed plugin, and tests/integration/test_plugin_example.py runs
them over the example distribution once it is installed."""

from __future__ import annotations

import io
import re
import string
from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citetools.errors import Problem, ReadError
from citetools.exporters import Exporter
from citetools.keys import KeyStyle
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.readers import Reader, ReadResult, SniffingReader, Source, StreamingReader
from citetools.resolvers import Resolver

VALID_KEY = re.compile(r"[A-Za-z0-9_:-]+")
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Inputs that have broken readers before: truncated syntax, lone delimiters, odd characters.
NASTY = [
    "",
    " ",
    "\n\n\n",
    "\x00",
    "\ufeff",
    "@",
    "@misc{",
    "@misc{k,",
    "@misc{k, title = {unbalanced}",
    "@string{a = b}",
    "{",
    "}",
    "[",
    "[{}]",
    "{}",
    "null",
    '{"id": 1}',
    '[{"id": "x", "author": [{"family": 3}]}]',
    '[{"issued": {"date-parts": [["x"]]}}]',
    "TY  - ",
    "TY  - GEN\r\nER  - ",
    "TY  - JOUR\nAU  - \nPY  - 99999\nER  - \n",
    '{"key": null}\n{"nope": true}',
    "CVMay 29",
    "CVFeb 31, 2026Code\n\n\n",
    "Abstract:",
    "Daily Papers\n\n",
    "x" * 20000,
    "é\u0301\u200b\U0001f600 \\ $ % & # _ ~ ^",
]


def check_common(plugin: object, name: str) -> None:
    assert plugin.name == name, f"the class says {plugin.name!r}, its entry point {name!r}"  # type: ignore[attr-defined]
    description = plugin.description  # type: ignore[attr-defined]
    assert isinstance(description, str) and description.strip()
    assert "\n" not in description, "the description is one line"


def check_suffixes(plugin: Reader | Exporter) -> None:
    assert isinstance(plugin.suffixes, tuple)
    assert all(isinstance(s, str) and re.fullmatch(r"\.[a-z0-9.]+", s) for s in plugin.suffixes)


def _same(a: ReadResult, b: ReadResult) -> bool:
    return a.records == b.records and a.problems == b.problems


def read_safely(reader: Reader, text: str) -> ReadResult | None:
    """``reader.read``; ReadError is the only exception a reader may raise."""
    try:
        result = reader.read(_source(text))
    except ReadError as error:
        assert error.source == "input.txt", "a ReadError names its input"
        return None
    assert isinstance(result, ReadResult)
    assert all(isinstance(r, Record) for r in result.records)
    assert all(isinstance(p, Problem) for p in result.problems)
    return result


def _source(text: str) -> Source:
    return Source.from_text(text, "input.txt")


def sniff_safely(reader: Reader, text: str) -> None:
    if isinstance(reader, SniffingReader):
        assert isinstance(reader.sniff(_source(text)), bool)


def _cut(spec: tuple[str, int, int]) -> str:
    """A slice of a sample text, from random positions."""
    text, a, b = spec
    a, b = sorted((a % (len(text) + 1), b % (len(text) + 1)))
    return text[a:b]


def check_reader(make: type[Reader], name: str, samples: Sequence[str] = ()) -> None:
    """Attributes, and never an exception but ReadError, on nasty, sample and random text."""
    reader = make()
    check_common(reader, name)
    check_suffixes(reader)
    assert callable(reader.read)
    for text in [*NASTY, *samples]:
        read_safely(reader, text)
        sniff_safely(reader, text)

    # Random text, and random cuts and splices of the samples (text in the reader's own format).
    pieces = st.sampled_from([*samples, *NASTY]) if samples else st.sampled_from(NASTY)

    @FUZZ
    @given(
        st.one_of(
            st.text(),
            st.text(alphabet=string.printable + '{}@=,"#%\\éŁ\u200b'),
            st.tuples(pieces, st.integers(0, 10**6), st.integers(0, 10**6)).map(_cut),
            st.lists(pieces, max_size=3).map("\n".join),
        )
    )
    def never_raises(text: str) -> None:
        read_safely(reader, text)
        sniff_safely(reader, text)

    never_raises()


def check_reader_deterministic(make: type[Reader], samples: Sequence[str]) -> None:
    """The same text gives the same records and problems, in one instance and across two."""
    for text in [*NASTY, *samples]:
        first = read_safely(make(), text)
        again = read_safely(make(), text)
        reader = make()
        twice = (read_safely(reader, text), read_safely(reader, text))
        if first is None:
            assert again is None and twice == (None, None)
            continue
        assert again is not None and _same(first, again)
        assert twice[0] is not None and twice[1] is not None and _same(*twice)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _streamed(reader: StreamingReader, source: Source) -> ReadResult | str:
    """What ``stream`` gives, as a ReadResult (or the ReadError's message)."""
    result = ReadResult()
    try:
        result.records = list(reader.stream(source, result.problems))
    except ReadError as error:
        return error.message
    return result


def _read(reader: Reader, source: Source) -> ReadResult | str:
    try:
        return reader.read(source)
    except ReadError as error:
        return error.message


def check_streaming_reader(make: type[Reader], samples: Sequence[str], folder: Path) -> None:
    """A :class:`StreamingReader` streams the records and problems it reads, from a text and
    from a file (whose lines it reads from disk, perhaps twice), also after sniffing the same
    input (its sniff-then-read shortcut) and after sniffing another one (read afresh)."""
    if not isinstance(make(), StreamingReader):
        return
    pieces = st.sampled_from([*samples, *NASTY])
    path = folder / "input.txt"

    @FUZZ
    @given(st.one_of(st.text(), pieces, st.lists(pieces, max_size=3).map("\n".join)))
    def same(text: str) -> None:
        expected = _read(make(), _source(text))
        streaming = make()
        assert isinstance(streaming, StreamingReader)
        assert _streamed(streaming, _source(text)) == expected
        # From a file, as a file is read: LF line ends, valid UTF-8, no NUL (binary).
        if "\r" not in text and "\x00" not in text and not _SURROGATE.search(text):
            path.write_text(text, encoding="utf-8", newline="")
            from_file = Source(str(path), name="input.txt")
            sniffing = make()
            assert isinstance(sniffing, StreamingReader)
            if isinstance(sniffing, SniffingReader):
                assert sniffing.sniff(from_file) == sniffing.sniff(_source(text))
                sniffing.sniff(from_file)  # (sniff then read: its shortcut)
            assert _streamed(sniffing, from_file) == expected
        crossed = make()
        assert isinstance(crossed, StreamingReader)
        if isinstance(crossed, SniffingReader):
            crossed.sniff(_source(text))  # then another input: read afresh
        other = text + "\n\nstray line"
        assert _streamed(crossed, _source(other)) == _read(make(), _source(other))

    for text in [*NASTY, *samples]:
        same.hypothesis.inner_test(text)
    same()


def export_text(exporter: Exporter, records: Sequence[Record]) -> str:
    out = io.StringIO()
    exporter.write(records, out)
    return out.getvalue()


def check_exporter(make: type[Exporter], name: str, records: Sequence[Record]) -> None:
    """Attributes; an empty list; the records, deterministically, from a list or a generator."""
    exporter = make()
    check_common(exporter, name)
    check_suffixes(exporter)
    assert isinstance(export_text(exporter, []), str)
    text = export_text(exporter, records)
    assert text.strip(), "the records were written"
    assert export_text(exporter, records) == text, "the same instance twice"
    assert export_text(make(), records) == text, "a fresh instance"
    out = io.StringIO()
    exporter.write(iter(records), out)
    assert out.getvalue() == text, "write() takes any iterable (it streams)"


# Records that stress key styles: nothing at all, non-ASCII everywhere, punctuation only.
ODD_RECORDS = [
    Record(),
    Record(title="", authors=(Person(family=""),)),
    Record(title="!!! ??? ...", authors=(Person(given="Łukasz", family="Żółć-Müller"),)),
    Record(
        title="数据 Über naïve “quotes” {braces} \\cmd $x^2$",
        authors=(Person(family="van der Berg", particle="van der", suffix="Jr."),),
        date=PartialDate(None, 5, 29),
    ),
    Record(
        title="The A of the",
        authors=(Person(family="Inferix Team", literal=True),),
        date=PartialDate(1999),
        ids=Ids(arxiv="hep-th/9901001"),
        provenance=(Provenance("x.txt", 1, "feed"),),
    ),
    Record(abstract="We propose nothing at all, but at length."),
]


def check_keystyle(make: type[KeyStyle], name: str, records: Sequence[Record]) -> None:
    """Non-empty keys of [A-Za-z0-9_:-] for every record, the same each time."""
    style = make()
    check_common(style, name)
    other = make()
    for record in [*records, *ODD_RECORDS]:
        key = style.base_key(record)
        assert isinstance(key, str) and VALID_KEY.fullmatch(key), (record.title, key)
        assert style.base_key(record) == key == other.base_key(record)


def check_resolver(make: type[Resolver], name: str) -> None:
    """Attributes only: resolving needs a service (tests/integration/test_resolve.py)."""
    check_common(make, name)
    assert callable(make.resolve)
