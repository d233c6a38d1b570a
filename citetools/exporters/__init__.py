"""Exporters write records in one output format.

An exporter is any class with ``name``, ``description``, ``suffixes`` and
``write(records, out)``, which streams: it writes each record as it comes and holds no copy of
the library. :func:`to_string` is the in-memory convenience on top.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Protocol, TextIO, runtime_checkable

from citetools.model import Record


@runtime_checkable
class Exporter(Protocol):
    name: str
    description: str
    suffixes: tuple[str, ...]

    def write(self, records: Iterable[Record], out: TextIO) -> None: ...


def to_string(exporter: Exporter, records: Iterable[Record]) -> str:
    buffer = io.StringIO()
    exporter.write(records, buffer)
    return buffer.getvalue()
