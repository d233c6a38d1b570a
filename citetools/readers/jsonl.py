"""JSON Lines written by :mod:`citetools.exporters.jsonl`, back to the exact records.

Each non-blank line is one record: an object whose keys are :class:`~citetools.model.Record`
field names, nested parts as objects with their own field names. Fields left out take the
model's defaults (so a script may write only ``{"title": ..., "key": ...}``); unknown fields,
values of the wrong JSON type and lines that are not JSON are problems naming the line, and
that line is skipped. Types are checked against the model's own annotations, so the reader
follows the model as it grows. Input of any name (standard input too) is recognised by its
first non-blank line: a JSON object with record fields only.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass
from functools import cache
from typing import TypeVar, cast

from citetools.errors import Problem, ReadError
from citetools.model import Record
from citetools.readers import ReadResult, Source

_T = TypeVar("_T")
_JSON_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    float: "a number",
    list: "an array",
    dict: "an object",
}


_RECORD_FIELDS = frozenset(f.name for f in fields(Record))


class _BadRecord(Exception):
    """A line that is JSON but not a record; the message says where and why."""


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _where(path: str) -> str:
    return f'"{path}"' if path else "a line (one record)"


def _expect(value: object, kind: type[_T], path: str) -> _T:
    """``value`` if it is exactly of JSON type ``kind`` (``true`` is not an integer)."""
    if isinstance(value, kind) and type(value) is kind:
        return value
    found = "null" if value is None else _JSON_NAMES.get(type(value), type(value).__name__)
    raise _BadRecord(f"{_where(path)} must be {_JSON_NAMES[kind]}, not {found}")


def _dataclass(cls: type, value: object, path: str) -> object:
    value = _expect(value, dict, path)
    names = {f.name for f in fields(cls)}
    required = {
        f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
    }
    prefix = f"{path}." if path else ""
    if unknown := sorted(set(value) - names):
        raise _BadRecord(f'unknown field "{prefix}{unknown[0]}"')
    if missing := sorted(required - set(value)):
        raise _BadRecord(f'missing field "{prefix}{missing[0]}"')
    hints = _hints(cls)
    return cls(**{name: decode(hints[name], item, prefix + name) for name, item in value.items()})


def decode(hint: object, value: object, path: str = "") -> object:
    """JSON data -> a value of the annotated type ``hint``; raises _BadRecord on a mismatch."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = (arg for arg in args if arg is not type(None))
        return decode(inner, value, path)
    if origin is tuple:
        items = _expect(value, list, path)
        return tuple(decode(args[0], item, f"{path}[{i}]") for i, item in enumerate(items))
    if origin in (Mapping, dict):
        mapping = _expect(value, dict, path)
        return {key: decode(args[1], item, f"{path}.{key}") for key, item in mapping.items()}
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass(hint, value, path)
    if hint in (str, int, bool):
        return _expect(value, cast("type[object]", hint), path)
    raise TypeError(f"the JSON Lines reader cannot restore a field of type {hint!r}")


def parse_record(line: str) -> Record:
    """One JSON Lines line -> Record; raises ValueError with the reason when it is not one."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} (column {exc.colno})") from None
    try:
        return cast("Record", decode(Record, data))
    except _BadRecord as exc:
        raise ValueError(str(exc)) from None


class JsonlReader:
    name = "jsonl"
    description = "JSON Lines (.jsonl) written by the jsonl exporter: exact records back"
    suffixes = (".jsonl",)

    def sniff(self, given: Source) -> bool:
        """True when the first non-blank line is a JSON object with record fields only."""
        first = next((line for line in given.lines() if line.strip()), "")
        if not first.lstrip().startswith("{"):
            return False
        try:
            data = json.loads(first)
        except json.JSONDecodeError:
            return False
        return isinstance(data, dict) and bool(data) and set(data) <= _RECORD_FIELDS

    def read(self, given: Source) -> ReadResult:
        text, source = given.text(), given.name
        result = ReadResult()
        lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        if not lines:
            raise ReadError("no record in this file (one JSON object per line)", source=source)
        for number, line in lines:
            try:
                result.records.append(parse_record(line))
            except ValueError as exc:
                message = f"record not read: {exc}"
                result.problems.append(Problem(message, source, number, severity="error"))
        return result
