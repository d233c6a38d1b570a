"""Changes made to an entry as its .bib file wrote it, touching nothing else.

:func:`splice` gives an entry's text (:class:`~citetools.model.Origin`) with its key replaced,
some field values replaced and some fields added before its closing brace: every other byte,
layout and LaTeX included, stays as the file had it. Where the text is not laid out as
bibtexparser read it, :func:`rewrite` writes the entry anew from the values as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from citetools.model import Origin

_KEY = re.compile(r"@\s*([^\s{(]+)\s*([{(])\s*")  # (the type, the opening delimiter)
_INDENT = re.compile(r"\n([ \t]*)[^\n]*\Z")


def splice(origin: Origin, key: str, changed: Mapping[str, str], names: Mapping[str, str]) -> str:
    """``origin.text`` with the key ``key``, the first field of each lower-case name in
    ``changed`` given that value (delimiters included), and the other names of ``changed``
    added as fields (``names``: how to spell them). Added fields go first, a line each, where
    the key ends its line and the last field has no comma after it (so that no line of the
    entry changes); else last, before the closing brace."""
    text = origin.text
    head = _KEY.match(text)
    old_key = origin.read.key or ""
    if head is None or not text.startswith(old_key, head.end()) or not _closed(text, head):
        return rewrite(origin, key, changed, names)
    after_key = head.end() + len(old_key)
    edits = [(head.end(), after_key, key)]  # (start, end, new text), in order
    done: set[str] = set()
    cursor = after_key  # (where the next field is looked for)
    for name, value in origin.fields:
        found = re.compile(re.escape(name) + r"\s*=\s*").search(text, cursor)
        if found is None or not text.startswith(value, found.end()):
            return rewrite(origin, key, changed, names)
        cursor = found.end() + len(value)
        lower = name.lower()
        if lower in changed and lower not in done:
            edits.append((found.end(), cursor, changed[lower]))
        done.add(lower)
    added = [f"{names.get(n, n)} = {v}" for n, v in changed.items() if n not in done]
    if added:
        edits.append(_addition(text, after_key, added, bool(origin.fields)))
        edits.sort(key=lambda edit: edit[0])
    pieces: list[str] = []
    at = 0
    for start, end, new in edits:
        pieces += (text[at:start], new)
        at = end
    return "".join(pieces) + text[at:]


def _closed(text: str, head: re.Match[str]) -> bool:
    """Whether the entry's text ends with the delimiter that closes what its ``@type`` opens."""
    return text.endswith("}" if head.group(2) == "{" else ")")


def _addition(
    text: str, after_key: int, fields: list[str], any_field: bool
) -> tuple[int, int, str]:
    """The edit that adds ``fields`` (``name = value``) to the entry: see :func:`splice`."""
    body = text[:-1]
    kept = body.rstrip()
    first_line = _KEY_LINE_END.match(text, after_key)
    if any_field and first_line is not None and not kept.endswith(","):
        at = first_line.end()
        prefix = _SPACES.match(text, at).group() or "  "  # type: ignore[union-attr]
        return at, at, "".join(f"{prefix}{field},\n" for field in fields)
    indent = _INDENT.search(kept) if any_field else None
    prefix = indent.group(1) if indent else "  "
    lines = ",\n".join(prefix + field for field in fields)
    # (a comma after the last field: so after the added ones too)
    lines = "\n" + lines + "," if kept.endswith(",") else ",\n" + lines
    ending = body[len(kept) :]
    return len(kept), len(body), lines + (ending if "\n" in ending else "\n")


_KEY_LINE_END = re.compile(r"[ \t]*,[ \t]*\n")
_SPACES = re.compile(r"[ \t]*")


def rewrite(origin: Origin, key: str, changed: Mapping[str, str], names: Mapping[str, str]) -> str:
    """The entry written anew, a field a line: the values of ``changed`` where given, the
    others as written, then the added fields."""
    head = _KEY.match(origin.text)
    kind = head.group(1) if head else "misc"
    lines, done = [], set()
    for name, value in origin.fields:
        lower = name.lower()
        new = changed.get(lower) if lower not in done else None
        lines.append(f"  {name} = {value if new is None else new}")
        done.add(lower)
    lines += [f"  {names.get(n, n)} = {v}" for n, v in changed.items() if n not in done]
    return f"@{kind}{{{key},\n" + ",\n".join(lines) + "\n}"
