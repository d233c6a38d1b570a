"""Where a listing's layouts begin and end: line cleaning, layout marks, and cutting a file
that holds several layouts into parts (see :mod:`citetools.readers.listing`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import count, islice
from operator import ne
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


_MARKERS = (None, "headed", "daily", "abstracts", "profile")
_CODES = {marker: code for code, marker in enumerate(_MARKERS)}
# Cutting a listing into parts (:func:`_parts`, :func:`_carried`, :meth:`_Part.layout`) looks at
# a line's text only when it is at most this long; of a longer line it needs only its length and
# marker. The first pass keeps one shared stand-in for the text of every longer line.
_KEPT_TEXT = _AFFILIATION_MAX
_LONG_LINE = " " * (_KEPT_TEXT + 1)
_CHUNK = 4096


class Sketch(NamedTuple):
    """What the first pass over a listing keeps (a few bytes a line): its parts, each as
    ``(kind, start, end, layout)`` with 0-based line indexes (end excluded), and for each line
    its marker's code and whether cleaning changed it. The second pass (:func:`sketched_lines`)
    reads the lines again with it, so a big listing is never held whole."""

    parts: list[tuple[str | None, int, int, str | None]]
    markers: bytearray
    dirty: bytearray


def sketch(lines: Iterable[str]) -> Sketch:
    """The first pass: each line cleaned and marked, the listing cut into parts."""
    markers, dirty = bytearray(), bytearray()
    slim: list[_Line] = []
    given = iter(lines)
    while chunk := list(islice(given, _CHUNK)):
        cleaned = list(map(clean_line, chunk))
        marks = list(map(_marker, cleaned))
        markers.extend(map(_CODES.__getitem__, marks))
        dirty.extend(map(ne, cleaned, chunk))
        slim.extend(map(_Line, count(len(slim) + 1), map(_slim, cleaned), marks))
    parts, start = [], 0
    for part in _parts(slim):
        end = start + len(part.lines)
        parts.append((part.kind, start, end, part.layout()))
        start = end
    return Sketch(parts, markers, dirty)


def _slim(text: str) -> str:
    return text if len(text) <= _KEPT_TEXT else _LONG_LINE


def sketched_lines(lines: Iterable[str], sketch: Sketch) -> Iterator[_Line]:
    """The second pass: the lines numbered, cleaned and marked, as :func:`sketch` saw them
    (the same lines, in the same order; a list is let go of a line at a time)."""
    given = _consumed(lines) if isinstance(lines, list) else lines
    texts = map(_cleaned_again, given, sketch.dirty)
    return map(_Line, count(1), texts, map(_MARKERS.__getitem__, sketch.markers))


def _cleaned_again(line: str, dirty: int) -> str:
    return clean_line(line) if dirty else line


def _consumed(lines: list[str]) -> Iterator[str]:
    """The lines in order, each let go of as it is taken (the list ends empty): what a record
    keeps of a line (a slice, a join) need not live beside all of it."""
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
            return "profile" if any(ln.marker == "profile" for ln in preamble) else "feed"
        if self.kind == "abstracts":
            abstracts = sum(1 for ln in filled if ln.marker == "abstracts")
            return "abstracts" if abstracts and abstracts >= len(filled) - 1 else None
        if self.kind == "daily" and any(ln.marker == "daily" for ln in filled[:8]):
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
    return next((layout for *_, layout in sketch(text.split("\n")).parts if layout), None)
