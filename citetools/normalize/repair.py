"""Markup that cannot be LaTeX, dropped from text scraped from listing pages.

Listing pages show arXiv's LaTeX source, sometimes with markup half-eaten by the page's own link
finder (``https://x/y}{https://x/y``: an ``\\href`` that lost its start). :func:`repair_markup`
drops what cannot be LaTeX (a brace without its partner, a link's leftovers) and says what it
dropped, before :func:`~citetools.normalize.scraped.decode_scraped` decodes the rest.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Repaired(NamedTuple):
    """Text with what cannot be LaTeX dropped, and a note saying where for each thing dropped
    (``an unpaired '}' in 'the >>}<< text'``)."""

    text: str
    notes: tuple[str, ...]


_LINK_LEFTOVER = re.compile(r"(?<![{\w/:.])(https?://[^\s{}]+)\}\{(\1)?")
_EXCERPT = 24


def holds_latex(text: str) -> bool:
    """Whether the text holds any of ``\\ $ { }``, the characters that start LaTeX markup
    (four substring looks: some 40 times faster than a pattern on an abstract without them)."""
    return "\\" in text or "$" in text or "{" in text or "}" in text


def repair_markup(text: str) -> Repaired:
    """Link leftovers (``URL}{URL``: an ``\\href`` whose start the page ate) become the address
    once, and braces without a partner are dropped: grouping braces and ``\\{`` ``\\}`` each
    pair among themselves, so whatever :func:`decode_scraped` keeps of them is balanced.
    Repeated until nothing changes (a brace dropped can make a leftover), so repairing the
    result changes nothing."""
    if "{" not in text and "}" not in text:  # (most text: no brace, so nothing to repair)
        return Repaired(text, ())
    notes: list[str] = []
    while (fixed := _unpaired_dropped(_links_dropped(text, notes), notes)) != text:
        text = fixed
    return Repaired(text, tuple(notes))


def _links_dropped(text: str, notes: list[str]) -> str:
    if "}{" not in text:  # (what every leftover holds)
        return text

    def link(match: re.Match[str]) -> str:
        notes.append(f"leftover link syntax in {_excerpt(text, match.start(), match.end())}")
        return match.group(1) if match.group(2) else match.group(1) + " "

    return _LINK_LEFTOVER.sub(link, text)


def _unpaired_dropped(text: str, notes: list[str]) -> str:
    stray: list[int] = []
    open_at: dict[str, list[int]] = {"{": [], "\\{": []}
    for start, token in brace_tokens(text):
        if token in open_at:
            open_at[token].append(start)
        elif token != "\\\\":
            opened = open_at["{" if token == "}" else "\\{"]
            if opened:
                opened.pop()
            else:
                stray.append(start)
    kept, end = [], 0
    for start in sorted([*stray, *open_at["{"], *open_at["\\{"]]):
        size = 2 if text[start] == "\\" else 1
        brace = text[start : start + size]
        notes.append(f"an unpaired {brace!r} in {_excerpt(text, start, start + size)}")
        kept.append(text[end:start])
        end = start + size
    kept.append(text[end:])
    return "".join(kept)


def brace_tokens(text: str) -> list[tuple[int, str]]:
    """Where each of ``{ } \\{ \\}`` is, and each ``\\\\`` (whose second backslash escapes
    nothing), left to right: what the pattern ``\\\\[\\\\{}]|[{}]`` finds, found with
    ``str.find``, several times faster on a long text with few of them."""
    tokens: list[tuple[int, str]] = []
    taken = -1  # the position of the character the last backslash took
    for at in sorted(_positions(text, "{") + _positions(text, "}") + _positions(text, "\\")):
        if at == taken:
            continue
        if text[at] != "\\":
            tokens.append((at, text[at]))
        elif text[at + 1 : at + 2] in ("\\", "{", "}"):
            tokens.append((at, text[at : at + 2]))
            taken = at + 1
    return tokens


def _positions(text: str, char: str) -> list[int]:
    found, at = [], text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def _excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _EXCERPT) : start]
    after = text[end : end + _EXCERPT]
    return f"'{before}>>{text[start:end]}<<{after}'"
