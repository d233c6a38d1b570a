"""read -> normalize -> deduplicate -> [resolve] -> assign keys -> export.

Each stage is a plain function over records; problems (warnings, per-entry errors) are collected
as data and returned, never printed here. The CLI decides what to print and the exit code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TextIO

from citetools import plugins
from citetools.errors import Problem, ReadError
from citetools.files import FileLines, read_lines, read_text
from citetools.model import Record
from citetools.normalize import AS_OF_SOURCE, check, normalize_default
from citetools.normalize.dedup import Deduplicator, Slots, deduplicate
from citetools.pipeline.store import RecordStore
from citetools.readers import LineReader, Reader, ReadResult, SniffingReader, StreamingReader
from citetools.resolvers import Resolution, Resolver


@dataclass(slots=True)
class Outcome:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Files as given; folders as their (non-hidden) files in name order; ``-`` for stdin."""
    return [path for path, _ in _expand(inputs)]


def _expand(inputs: Sequence[str]) -> list[tuple[str, bool]]:
    """:func:`expand_inputs`, each path with whether it was found in a folder."""
    paths: list[tuple[str, bool]] = []
    for item in inputs:
        if item == "-":
            paths.append((item, False))
            continue
        path = Path(item)
        if path.is_dir():
            paths.extend(
                (str(p), True)
                for p in sorted(path.iterdir())
                if p.is_file() and not p.name.startswith(".")
            )
        elif path.exists():
            paths.append((item, False))
        else:
            raise ReadError("no such file or folder", source=item)
    return paths


class Input:
    """One input (a file, or ``-`` for stdin), read when a reader first asks for it: as its
    lines for a :class:`LineReader` (a file's lines are read from the file each time they are
    gone over, never held whole), as one text for any other reader (which parses it whole
    anyway)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.source = "<stdin>" if path == "-" else path
        self._lines: Iterable[str] | None = None
        self._text: str | None = None

    def lines(self) -> Iterable[str]:
        if self._lines is None:
            if self._text is not None:
                self._lines = self._text.split("\n")
            else:
                self._lines = read_lines(self.path) if self.path == "-" else FileLines(self.path)
        return self._lines

    def text(self) -> str:
        if self._text is None:
            held = isinstance(self._lines, list)
            self._text = "\n".join(self.lines()) if held else read_text(self.path)
        return self._text

    def is_blank(self) -> bool:
        if self._text is not None:
            return not self._text.strip()
        return not any(line.strip() for line in self.lines())


def choose_reader(given: Input) -> Reader:
    """The reader for one input: by suffix first, then by sniffing the content."""
    path = given.path
    suffix = Path(path).suffix.lower() if path != "-" else ""
    readers = plugins.readers()

    def claims(reader: SniffingReader) -> bool:
        if isinstance(reader, LineReader):
            return reader.sniff_lines(given.lines())
        return reader.sniff(given.text())

    by_suffix = [r for r in readers if suffix and suffix in r.suffixes]
    for reader in by_suffix:
        if not isinstance(reader, SniffingReader) or claims(reader):
            return reader
    for reader in readers:
        if isinstance(reader, SniffingReader) and claims(reader):
            return reader
    if given.is_blank():
        raise ReadError("empty input: nothing to read", source=path)
    known = ", ".join(sorted({s for r in readers for s in r.suffixes}))
    raise ReadError(
        "not a listing in any known layout nor a known bibliography format "
        f"(readers handle {known}; listings are detected by their content)",
        source=path,
    )


def open_input(path: str) -> tuple[Reader, Input]:
    """One input and the reader that claims it. Raises :class:`ReadError` when it cannot be
    read or no reader claims it."""
    given = Input(path)
    return choose_reader(given), given


def read_with(reader: Reader, given: Input) -> ReadResult:
    """What ``reader`` reads from an input: a :class:`LineReader` takes its lines."""
    if isinstance(reader, LineReader):
        return reader.read_lines(given.lines(), source=given.source)
    return reader.read(given.text(), source=given.source)


def read(inputs: Sequence[str]) -> Outcome:
    """Read every input. Raises :class:`ReadError` if an input named as such is unusable as a
    whole. A file found in a folder that no reader claims (empty, binary, not UTF-8/UTF-16, in
    no known layout: a README, an image, notes) is skipped with a warning naming it and why."""
    outcome = Outcome()
    outcome.records = list(stream(inputs, outcome.problems))
    return outcome


def stream(inputs: Sequence[str], problems: list[Problem]) -> Iterator[Record]:
    """:func:`read`, a record at a time (a :class:`StreamingReader`'s as it reads them), its
    problems added to ``problems``."""
    for path, in_folder in _expand(inputs):
        try:
            reader, given = open_input(path)
        except ReadError as error:
            if not in_folder:
                raise
            problems.append(Problem(f"skipped: {error.message}", error.source, error.line))
            continue
        if isinstance(reader, StreamingReader):
            lines, source = given.lines(), given.source
            del given
            yield from reader.stream_lines(lines, source=source, problems=problems)
            continue
        result = read_with(reader, given)
        del given
        problems.extend(result.problems)
        yield from result.records


def normalize(records: Iterable[Record], *, as_of: date) -> Outcome:
    """Canonical records, duplicates merged; warnings for what looks wrong."""
    out: list[Record | None] = []
    problems = _normalize_into(out, records, as_of=as_of)
    return Outcome([r for r in out if r is not None], problems)


def library(
    inputs: Sequence[str], *, as_of: date, store: RecordStore
) -> tuple[RecordStore, list[Problem]]:
    """:func:`read` then :func:`normalize`, a record at a time, into ``store``: a big library
    is never held whole. The problems come in the same order as from the two."""
    read_problems: list[Problem] = []
    problems = _normalize_into(store, stream(inputs, read_problems), as_of=as_of)
    return store, read_problems + problems


def _normalize_into(out: Slots, records: Iterable[Record], *, as_of: date) -> list[Problem]:
    """Each record normalized and checked, then put in ``out`` or merged into the paper there;
    the checks' warnings, then the merges'."""
    checked: list[Problem] = []
    merger = Deduplicator(out)
    given = iter(records)
    # A few thousand records at a time, each step over all of them: as fast as a whole library
    # a step at a time (a record at a time through every step costs a tenth more), in memory
    # for a few thousand records.
    while batch := list(islice(given, _BATCH)):
        normalized = [normalize_default(record, as_of=as_of) for record in batch]
        del batch
        for result in normalized:
            checked.extend(check(result))
        for result in normalized:
            merger.add(result)
    return checked + merger.problems


_BATCH = 4096


def dated_by_listing(records: Iterable[Record]) -> list[Problem]:
    """One warning per input file whose entries still carry the listing's date (--as-of) for
    want of a date of their own. Called once the records are final (after resolving)."""
    undated: Counter[str] = Counter()
    day: dict[str, str] = {}
    for record in records:
        if record.sources.get("date") == AS_OF_SOURCE and record.date is not None:
            source = record.provenance[0].source if record.provenance else "<unknown>"
            undated[source] += 1
            day[source] = record.date.iso()
    return [
        Problem(
            f"{count} entries have no date in the listing: dated {day[source]}, the listing's "
            "date (--as-of); --resolve replaces it with the arXiv date",
            source,
        )
        for source, count in undated.items()
    ]


def export(records: Iterable[Record], out: TextIO, *, to: str) -> None:
    plugins.exporter(to).write(records, out)


def resolve(records: Sequence[Record], resolver: Resolver) -> tuple[Outcome, list[Resolution]]:
    """Enrich records; papers that turn out to be the same (now that ids are known) merge."""
    resolutions = resolver.resolve(records)
    outcome = Outcome()
    outcome.records, outcome.problems = deduplicate(r.record for r in resolutions)
    return outcome, resolutions
