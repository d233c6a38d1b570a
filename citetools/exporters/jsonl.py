"""JSON Lines, for scripts: one complete record per line.

Each line is one JSON object holding every field of :class:`~citetools.model.Record` under its
Python name (but ``origin``, how a .bib wrote it: no fact), nested parts as objects with all
their fields (authors as ``given``, ``family``, ``particle``, ``suffix``, ``literal``; ``date``
as ``year``/``month``/``day`` or ``null``; ``ids``; ``provenance`` as a list of
``source``/``line``/``layout``), tuples as arrays, keys sorted, text as UTF-8
(``ensure_ascii=False``). The only escapes beyond JSON's own are the Unicode line separators
(U+0085, U+2028, U+2029), so no tool splits a record in two.
:class:`~citetools.readers.jsonl.JsonlReader` restores records equal to the ones written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from typing import TextIO

from citetools.model import Record

_LINE_SEPARATORS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_json(value: object) -> object:
    """A record or any part of it as JSON data: dataclasses as objects of all their fields,
    tuples as arrays, mappings as objects; str, int, bool and None as they are."""
    if is_dataclass(value) and not isinstance(value, type):  # (not Record.origin: no fact)
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value) if f.compare}
    if isinstance(value, tuple):
        return [to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    return value


def format_record(record: Record) -> str:
    text = json.dumps(to_json(record), ensure_ascii=False, sort_keys=True)
    return text.translate(_LINE_SEPARATORS) + "\n"


class JsonlExporter:
    name = "jsonl"
    description = "JSON Lines (.jsonl): every field of every record, one record per line"
    suffixes = (".jsonl",)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        for record in records:
            out.write(format_record(record))
