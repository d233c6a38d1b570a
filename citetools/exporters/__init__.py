"""Exporters write records in one output format.

An exporter is any class with ``name``, ``description``, ``suffixes`` and
``write(records, out)``, which streams: it writes each record as it comes and holds no copy of
the library. :func:`to_string` is the in-memory convenience on top.

One method is optional: ``leaves_out(record) -> str | None``, for a format that cannot show
some records (a formatted reference list cannot show an entry with neither title nor author:
it would print as an empty line). It gives the reason a record is left out, None when it is
written; the exporter leaves such records out of what it writes, and the pipeline reports each
as a warning naming it (:func:`citetools.pipeline.output.write`).
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


@runtime_checkable
class SelectiveExporter(Exporter, Protocol):
    """An exporter that leaves out the records its format cannot show, saying why."""

    def leaves_out(self, record: Record) -> str | None: ...


def to_string(exporter: Exporter, records: Iterable[Record]) -> str:
    buffer = io.StringIO()
    exporter.write(records, buffer)
    return buffer.getvalue()
