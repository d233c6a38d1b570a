"""Readers turn one input into records.

A reader is any class with ``name``, ``description``, ``suffixes`` and
``read(source) -> ReadResult``, where ``source`` is a :class:`~citetools.files.Source`: the
reader takes it as one text (``source.text()``) or as its lines (``source.lines()``, which may
be gone over more than once), and names it in messages as ``source.name``. Two methods are
optional: ``sniff(source) -> bool`` claims inputs whose suffix says nothing (a listing saved as
``.txt``), and ``stream(source, problems) -> Iterator[Record]`` gives the records one at a
time as they are read, adding problems to ``problems`` (then a big input's records are stored
as they come, never all held; the contract checks that ``stream`` and ``read`` agree).

Readers never raise for one bad entry: they return it as a :class:`~citetools.errors.Problem`
naming file and line, and keep going. They raise :class:`~citetools.errors.ReadError` only when
the whole input is unusable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from citetools.errors import Problem
from citetools.files import Source
from citetools.model import Record

__all__ = ["ReadResult", "Reader", "SniffingReader", "Source", "StreamingReader", "read_string"]


@dataclass(slots=True)
class ReadResult:
    """What a reader read: the records, the problems met, and (a .bib without entries: only
    ``@string``, ``@preamble``, comments) the text that goes with no record, which a .bib
    written from what follows it must still hold."""

    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""


@runtime_checkable
class Reader(Protocol):
    name: str
    description: str
    suffixes: tuple[str, ...]

    def read(self, source: Source) -> ReadResult: ...


@runtime_checkable
class SniffingReader(Reader, Protocol):
    """A reader that claims inputs by their content; never raises."""

    def sniff(self, source: Source) -> bool: ...


@runtime_checkable
class StreamingReader(Reader, Protocol):
    """A reader that also gives its records one at a time, as it reads them. Raises
    :class:`~citetools.errors.ReadError` for an unusable input before it gives any record."""

    def stream(self, source: Source, problems: list[Problem]) -> Iterator[Record]: ...


class _ReadsSources(Protocol):
    def read(self, source: Source) -> ReadResult: ...


def read_string(reader: _ReadsSources, text: str, name: str = "<string>") -> ReadResult:
    """What ``reader`` reads from a text in memory, called ``name`` in messages."""
    return reader.read(Source.from_text(text, name))
