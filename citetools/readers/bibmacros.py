"""BibTeX field values as BibTeX reads them: ``#`` concatenation and ``@string`` macros.

A value is pieces joined by ``#``: ``{braced}`` or ``"quoted"`` text (its delimiters taken
off, inner braces kept), a number, or a macro name, looked up without regard to case among the
``@string`` definitions made before it and the month macros of the standard styles. An
undefined name is kept as its name (BibTeX would warn and use nothing; keeping it loses
nothing). bibtexparser 2 resolves only a value that is one macro name, case-sensitively
(its issues #396 and #541), so this replaces its two value middlewares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from citetools.formats.bibtex import MONTH_MACROS

MONTHS = dict(
    zip(
        MONTH_MACROS,
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        strict=True,
    )
)
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_SPACE = re.compile(r"\s*")


def expand(value: str, macros: Mapping[str, str]) -> str:
    """The text of a value as written (``"The " # tug # {book}``); ``macros`` by lower-case
    name. Text that is not a well-formed value comes back as it is."""
    first, last = value[:1], value[-1:]
    if (first == "{" and last == "}") or (first == '"' and last == '"'):
        inner = value[1:-1]  # the common case: one braced or quoted piece, ...
        if "{" not in inner and "}" not in inner and '"' not in inner:
            return inner  # ... with no brace or quote inside (found without a loop)
        if first == "{" and _closes_at_end(value):
            return inner
    elif value.isdigit():
        return value
    pieces = []
    at = _SPACE.match(value).end()  # type: ignore[union-attr]
    while at < len(value):
        end = _piece_end(value, at)
        if end is None:
            return value
        piece = value[at:end]
        if piece[0] in '{"':
            pieces.append(piece[1:-1])
        elif piece.isdigit():
            pieces.append(piece)
        else:
            pieces.append(macros.get(piece.lower(), piece))
        at = _SPACE.match(value, end).end()  # type: ignore[union-attr]
        if at < len(value):
            if value[at] != "#":
                return value
            at = _SPACE.match(value, at + 1).end()  # type: ignore[union-attr]
            if at == len(value):
                return value
    return "".join(pieces)


def _closes_at_end(value: str) -> bool:
    """Whether the brace that opens ``value`` is closed by its last character."""
    depth = 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i == len(value) - 1
    return False


def _piece_end(value: str, at: int) -> int | None:
    """Where the piece starting at ``at`` ends; None if it never does."""
    first = value[at]
    if first == "{" or first == '"':
        depth = 0
        for i in range(at + (first == '"'), len(value)):
            char = value[i]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0 and first == "{":
                    return i + 1
                if depth < 0:
                    return None
            elif char == '"' and first == '"' and depth == 0:
                return i + 1
        return None
    match = _NAME.match(value, at)
    return match.end() if match else None
