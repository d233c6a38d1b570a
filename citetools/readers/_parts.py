"""Where a listing's layouts begin and end: line cleaning, layout marks, and cutting a file
that holds several layouts into parts (see :mod:`citetools.readers.listing`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import count
from typing import NamedTuple

from citetools.normalize import clean_line

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A category of at most 40 characters (the longest arXiv ones, cond-mat.stat-mech, have 18), so
# a header line is short, and longer lines (abstracts) are told apart by their length alone.
HEADER = re.compile(
    r"^(?P<cat>[A-Za-z][A-Za-z.-]{0,39}?)(?P<mon>" + "|".join(MONTHS) + r") (?P<day>\d{1,2})"
    r"(?:, (?P<year>\d{4}))?(?P<code>Code)?$"
)
_HEADER_LONGEST = 40 + len("Mon 29, 2026Code")
_PROFILE_MARKS = re.compile(r"^(?:h-index\s*\d+|\d[\d,]*\s*papers|\d[\d,]*\s*citations)$", re.I)
_PAPER_COUNT = re.compile(r"^(\d[\d,]*)\s*papers$", re.I)
_ABSTRACT = re.compile(r"^Abstract:\s*")
DAILY_CHROME = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "by ak and the research community",
    }
)
_CHROME_LONGEST = max(map(len, DAILY_CHROME))  # (no need to lower-case a whole abstract)
# Chrome lines that begin a daily page on their own; "new" and "subscribe" need company.
_DAILY_TITLES = frozenset({"daily papers", "get trending papers in your email inbox!"})
_AFFILIATION_MAX = 200


class _Line(NamedTuple):
    number: int  # 1-based
    text: str  # cleaned
    marker: str | None  # the kind of part the line announces (:func:`_marker`), if any


def _lines(lines: list[str]) -> list[_Line]:
    """The lines numbered, cleaned and marked."""
    cleaned = list(map(clean_line, lines))
    return list(map(_Line, count(1), cleaned, map(_marker, cleaned)))


def _consumed(lines: list[_Line]) -> Iterator[_Line]:
    """The lines in order, each let go of as it is taken (the list ends empty): a part is read
    once, and what a record keeps of a line (a slice, a join) need not live beside all of it."""
    lines.reverse()
    while lines:
        yield lines.pop()


def _blocks(lines: Iterable[_Line]) -> Iterator[list[_Line]]:
    """Runs of non-blank lines."""
    block: list[_Line] = []
    for line in lines:
        if line.text:
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _marker(text: str) -> str | None:
    """What kind of part a line announces: ``headed``, ``daily``, ``abstracts``, ``profile``."""
    if not text:
        return None
    if len(text) <= _HEADER_LONGEST and HEADER.match(text):
        return "headed"
    if len(text) <= _CHROME_LONGEST and text.lower() in DAILY_CHROME:
        return "daily"
    if _ABSTRACT.match(text):
        return "abstracts"
    if _PROFILE_MARKS.match(text):
        return "profile"
    return None


@dataclass(frozen=True, slots=True)
class _Part:
    """Consecutive lines in one layout (``kind`` None: no marker at all)."""

    kind: str | None
    lines: list[_Line]

    def layout(self) -> str | None:
        """The layout this part is recognisably in, by the rules for a whole file."""
        filled = [ln for ln in self.lines if ln.text]
        if self.kind == "headed":
            first = next((i for i, ln in enumerate(filled) if ln.marker == "headed"), None)
            if first is None:
                return None
            preamble = filled[:first]
            return "profile" if any(_PROFILE_MARKS.match(ln.text) for ln in preamble) else "feed"
        if self.kind == "abstracts":
            abstracts = sum(1 for ln in filled if ln.marker == "abstracts")
            return "abstracts" if abstracts and abstracts >= len(filled) - 1 else None
        if self.kind == "daily" and any(ln.text.lower() in DAILY_CHROME for ln in filled[:8]):
            return "daily"
        return None


def _begins(text: str, marker: str, run: int, kind: str, header_seen: bool) -> bool:
    """Whether a marker line (the first of ``run`` alike) begins a part of another layout
    inside a part of ``kind``."""
    if marker == "profile":  # a second profile page, or a profile after another layout
        return run >= 2 and (kind != "headed" or header_seen)
    if marker == "headed":
        return kind != "headed"
    if marker == kind:
        return False
    return run >= 2 or (marker == "daily" and text.lower() in _DAILY_TITLES)


def _parts(lines: list[_Line]) -> list[_Part]:
    """The listing cut where its layout changes (see the module docstring)."""
    filled = [i for i, line in enumerate(lines) if line.text]
    markers = {i: lines[i].marker for i in filled}
    runs: dict[int, int] = {}  # how many lines alike (same marker) start at each line
    below: int | None = None
    for i in reversed(filled):
        runs[i] = runs[below] + 1 if below is not None and markers[below] == markers[i] else 1
        below = i
    parts: list[_Part] = []
    kind: str | None = None
    start = 0
    header_seen = False
    for i in filled:
        marker = markers[i]
        if marker is None:
            continue
        target = "headed" if marker == "profile" else marker
        if kind is None:
            kind = target  # text before the first marker belongs to the first part
        elif _begins(lines[i].text, marker, runs[i], kind, header_seen):
            cut = i - _carried(lines[start:i], marker)
            parts.append(_Part(kind, lines[start:cut]))
            kind, start, header_seen = target, cut, False
        header_seen = header_seen or marker == "headed"
    parts.append(_Part(kind, lines[start:]))
    return parts


def _carried(lines: list[_Line], marker: str) -> int:
    """How many lines at the end of a part belong to the next one, which ``marker`` begins:
    the affiliation line right above ``Abstract:`` lines, the short lines of a profile's
    header (name, category) above its marks. Never a sentence, a marker or an entry's title."""
    limit, longest = {"abstracts": (1, _AFFILIATION_MAX), "profile": (3, 60)}.get(marker, (0, 0))
    taken, cut = 0, len(lines)
    for i in range(len(lines) - 1, -1, -1):
        text = lines[i].text
        if not text and marker == "profile":
            continue
        if taken == limit or not text or len(text) > longest or text.endswith("."):
            break
        above = next((lines[j].text for j in range(i - 1, -1, -1) if lines[j].text), "")
        if _marker(text) is not None or HEADER.match(above):
            break
        taken, cut = taken + 1, i
    return len(lines) - cut


def detect_layout(text: str) -> str | None:
    """The layout of a listing (of its first part in a known layout when it mixes several),
    or None when it is in no known layout."""
    parts = _parts(_lines(text.split("\n")))
    return next((layout for part in parts if (layout := part.layout())), None)
