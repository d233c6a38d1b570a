"""Readers turn an input text into records.

A reader is any class with ``name``, ``description``, ``suffixes`` and
``read(text, *, source) -> ReadResult``; it may add ``sniff(text) -> bool`` to claim inputs whose
suffix says nothing (a listing saved as ``.txt``). A reader that works line by line may also take
the input as its lines (:class:`LineReader`): then a big input is never held as one string.
Readers never raise for one bad entry: they return it as a :class:`~citetools.errors.Problem`
naming file and line, and keep going.
They raise :class:`~citetools.errors.ReadError` only when the whole input is unusable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from citetools.errors import Problem
from citetools.model import Record


@dataclass(slots=True)
class ReadResult:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@runtime_checkable
class Reader(Protocol):
    name: str
    description: str
    suffixes: tuple[str, ...]

    def read(self, text: str, *, source: str) -> ReadResult: ...


@runtime_checkable
class SniffingReader(Reader, Protocol):
    def sniff(self, text: str) -> bool: ...


@runtime_checkable
class LineReader(SniffingReader, Protocol):
    """A reader that also takes an input as its lines (``text.split("\\n")``, as
    :func:`citetools.files.read_lines` gives them), with the same results as from the text.
    ``lines`` may be gone over more than once (a file's lines are read again each time: a big
    input is never held whole). When it is a list, ``read_lines`` may take it over (empty it as
    it reads), so a big input need not be held twice: pass a list nothing else needs."""

    def sniff_lines(self, lines: Iterable[str]) -> bool: ...

    def read_lines(self, lines: Iterable[str], *, source: str) -> ReadResult: ...


@runtime_checkable
class StreamingReader(LineReader, Protocol):
    """A line reader that also gives its records one at a time, as it reads them, adding its
    problems to ``problems``: a big input's records can then be stored as they come (see
    :mod:`citetools.pipeline.store`). Raises :class:`~citetools.errors.ReadError` for an
    unusable input before it gives any record."""

    def stream_lines(
        self, lines: Iterable[str], *, source: str, problems: list[Problem]
    ) -> Iterator[Record]: ...
