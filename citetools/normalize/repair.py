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
_BRACES = re.compile(r"\\[\\{}]|[{}]")
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
    for match in _BRACES.finditer(text):
        token = match.group()
        if token in open_at:
            open_at[token].append(match.start())
        elif token != "\\\\":
            opened = open_at["{" if token == "}" else "\\{"]
            if opened:
                opened.pop()
            else:
                stray.append(match.start())
    kept, end = [], 0
    for start in sorted([*stray, *open_at["{"], *open_at["\\{"]]):
        size = 2 if text[start] == "\\" else 1
        brace = text[start : start + size]
        notes.append(f"an unpaired {brace!r} in {_excerpt(text, start, start + size)}")
        kept.append(text[end:start])
        end = start + size
    kept.append(text[end:])
    return "".join(kept)


def _excerpt(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _EXCERPT) : start]
    after = text[end : end + _EXCERPT]
    return f"'{before}>>{text[start:end]}<<{after}'"
