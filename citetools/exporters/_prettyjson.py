"""Indented JSON text, as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, fast.

With ``indent``, :mod:`json` encodes in pure Python, and each such call leaves a reference cycle
(its encoder is a knot of closures) that only the cycle collector frees -- which the CLI pauses
(:func:`citetools._gc.gc_paused`): half a gigabyte at 100k CSL-JSON items. Here strings go
through json's C string encoder, only the nesting is Python, and ``json.dumps`` is only
called without ``indent`` (the C encoder, no cycle), for numbers, ``true``, ``null`` and keys.
"""

from __future__ import annotations

import json
from itertools import repeat
from json.encoder import encode_basestring as encode_string
from typing import Any

_INTS = {int}


def pretty_json(value: object, indent: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, each line after the first indented
    by ``indent``. Strings, the most common value, are encoded without a call of this."""
    if isinstance(value, str):
        return encode_string(value)
    inner = indent + "  "
    if isinstance(value, dict) and value:
        pairs = value.items() if all(map(isinstance, value, repeat(str))) else _str_keyed(value)
        members = [
            f"{encode_string(k)}: "
            + (encode_string(v) if type(v) is str else pretty_json(v, inner))
            for k, v in pairs
        ]
        return "{\n" + inner + (",\n" + inner).join(members) + "\n" + indent + "}"
    if isinstance(value, list | tuple) and value:
        if set(map(type, value)) == _INTS:  # date parts
            elements = list(map(int.__repr__, value))
        else:
            elements = [
                encode_string(v) if type(v) is str else pretty_json(v, inner) for v in value
            ]
        return "[\n" + inner + (",\n" + inner).join(elements) + "\n" + indent + "]"
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)  # what json writes for an int
    return json.dumps(value, ensure_ascii=False)  # floats, true, false, null, {} and []


def _str_keyed(value: dict[Any, object]) -> list[tuple[str, object]]:
    """The members with keys as json spells them (``1`` -> ``"1"``, ``None`` -> ``"null"``)."""
    pairs = []
    for key, item in value.items():
        if not isinstance(key, str | int | float | None):
            name = type(key).__name__
            raise TypeError(f"keys must be str, int, float, bool or None, not {name}")
        pairs.append((key if isinstance(key, str) else json.dumps(key), item))
    return pairs
