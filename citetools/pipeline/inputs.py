"""The first stage: inputs named on the command line (or given to :func:`citetools.read`)
become records.

Files as given; folders as their non-hidden files in name order; ``-`` for standard input.
Each input's encoding is decided first (:mod:`citetools.charsets`: UTF-8, a byte-order mark,
else detected with a warning; or the one forced); then it goes to the reader that claims it: by
suffix first (a reader that can sniff must also recognise the content), then by content. An
input named as such that cannot be read is a :class:`~citetools.errors.ReadError`. In a folder,
a file no reader claims (a README, an image, notes, an empty file) is skipped with a warning
naming it and why; but a file meant to be read -- one a reader claimed, or one whose suffix a
reader declares (``.bib``, ``.json`` ...) that cannot even be decoded -- and that cannot be
read is an error problem naming it (the run goes on, and ends with errors), never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from citetools import plugins
from citetools.charsets import encoding_name
from citetools.errors import CitetoolsError, Problem, ReadError, RecordParseError
from citetools.files import Source
from citetools.model import Record, evolve
from citetools.readers import Reader, SniffingReader, StreamingReader


def expand(inputs: Sequence[str]) -> list[tuple[str, bool]]:
    """Each input path, with whether it was found in a folder."""
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


def choose_reader(source: Source) -> Reader:
    """The reader for one input: by suffix first, then by sniffing the content."""
    path = source.path or ""
    suffix = Path(path).suffix.lower() if path not in ("", "-") else ""
    readers = plugins.readers()
    by_suffix = [r for r in readers if suffix and suffix in r.suffixes]
    for reader in by_suffix:
        if not isinstance(reader, SniffingReader) or reader.sniff(source):
            return reader
    for reader in readers:
        if isinstance(reader, SniffingReader) and reader.sniff(source):
            return reader
    if source.is_blank():
        raise ReadError("empty input: nothing to read", source=source.name)
    known = ", ".join(sorted({s for r in readers for s in r.suffixes}))
    raise ReadError(
        "not a listing in any known layout nor a known bibliography format "
        f"(readers handle {known}; listings are detected by their content)",
        source=source.name,
    )


def read(
    inputs: Sequence[str],
    problems: list[Problem],
    *,
    strict: bool = False,
    encoding: str | None = None,
) -> Iterator[Record]:
    """Every input's records, a record at a time (a streaming reader's as it reads them), the
    readers' problems added to ``problems``, after a warning for each input whose encoding had
    to be detected. ``strict``: the first entry that could not be read raises
    :class:`RecordParseError`, as does a file in a folder that cannot be read. ``encoding``
    forces one for every input (an unknown name is a :class:`ReadError`). A reader's own bug is
    a :class:`ReadError` naming the input, never a traceback."""
    forced = encoding_name(encoding) if encoding is not None else None
    declared = {suffix for reader in plugins.readers() for suffix in reader.suffixes}
    leftover: list[tuple[str, str]] = []  # (file, text) of .bib files without entries
    for path, in_folder in expand(inputs):
        source = Source(path, encoding=forced)
        try:
            decoding = source.decoding()
        except ReadError as error:
            if not in_folder:
                raise
            meant = Path(path).suffix.lower() in declared  # (a .bib that is binary, say)
            problems.append(_unread(error, strict) if meant else _skipped(error))
            continue
        try:
            reader = choose_reader(source)
        except ReadError as error:
            if not in_folder:
                raise
            problems.append(_skipped(error))
            continue
        if decoding is not None and (warning := decoding.warning()):
            problems.append(Problem(warning, source.name, decoding.line))
        try:
            records = _records(reader, source, problems, strict, leftover)
            yield from _carrying(_guarded(records, source), leftover)
        except ReadError as error:
            if not in_folder or isinstance(error, RecordParseError):
                raise
            problems.append(_unread(error, strict))
    for name, _ in leftover:
        problems.append(
            Problem(
                "holds no entries, and no .bib entry follows it in the inputs: its @string, "
                "@preamble and comments are in no .bib written from them (give it before the "
                ".bib files that use its macros)",
                name,
                1,
            )
        )


def _carrying(records: Iterator[Record], leftover: list[tuple[str, str]]) -> Iterator[Record]:
    """The records, the first read from a .bib given the text of the .bib files without
    entries read before it (in ``leftover``, emptied then), before its own: a .bib written from
    it then holds their @string definitions, before the entries that use them."""
    for record in records:
        if leftover and record.origin is not None:
            text = "".join(t.rstrip("\n") + "\n\n" for _, t in leftover)
            record = evolve(
                record, origin=replace(record.origin, before=text + record.origin.before)
            )
            leftover.clear()
        yield record


def _skipped(error: ReadError) -> Problem:
    """The warning for a file in a folder that no reader claims."""
    return Problem(f"skipped: {error.message}", error.source, error.line)


def _unread(error: ReadError, strict: bool) -> Problem:
    """The error for a file in a folder that was meant to be read and could not be (``strict``:
    raised as a :class:`RecordParseError`)."""
    message = f"not read: {error.message}"
    if strict:
        raise RecordParseError(message, source=error.source, line=error.line) from error
    return Problem(message, error.source, error.line, severity="error")


def _records(
    reader: Reader,
    source: Source,
    problems: list[Problem],
    strict: bool,
    leftover: list[tuple[str, str]],
) -> Iterator[Record]:
    if isinstance(reader, StreamingReader) and not strict:
        yield from reader.stream(source, problems)
        return
    result = reader.read(source)
    for problem in result.problems:
        if strict and problem.severity == "error":
            raise RecordParseError(problem.message, source=problem.source, line=problem.line)
    problems.extend(result.problems)
    if result.text:
        leftover.append((source.name, result.text))
    yield from result.records


def _guarded(records: Iterator[Record], source: Source) -> Iterator[Record]:
    try:
        yield from records
    except CitetoolsError:
        raise
    except Exception as exc:  # a reader's bug must still name the input
        raise ReadError(f"could not read: {type(exc).__name__}: {exc}", source=source.name) from exc
