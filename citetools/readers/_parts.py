"""Where a listing's layouts begin and end: line cleaning, layout marks, and cutting a file
that holds several layouts into parts (see :mod:`citetools.readers.listing`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import count, islice, repeat
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
PAPER_COUNT = re.compile(r"^(\d[\d,]*)\s*papers$", re.I)
ABSTRACT = re.compile(r"^Abstract:\s*")
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


class Line(NamedTuple):
    number: int  # 1-based
    text: str  # cleaned
    marker: str | None  # the kind of part the line announces (:func:`_marker`), if any


_MARKERS = (None, "headed", "daily", "abstracts", "profile")
_CODES = {marker: code for code, marker in enumerate(_MARKERS)}
_HEADED, _DAILY, _ABSTRACTS, _PROFILE = range(1, 5)
# Cutting a listing into parts (:func:`_parts`, :func:`_carried`, :func:`_layout`) looks at
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
    texts: list[str] = []  # each line's cleaned text, a long one's stood in for
    given = iter(lines)
    while chunk := list(islice(given, _CHUNK)):
        cleaned = list(map(clean_line, chunk))
        markers.extend(map(_CODES.__getitem__, map(_marker, cleaned)))
        dirty.extend(map(ne, cleaned, chunk))
        texts.extend(map(_slim, cleaned))
    return Sketch(_parts(texts, markers), markers, dirty)


def _slim(text: str) -> str:
    return text if len(text) <= _KEPT_TEXT else _LONG_LINE


def sketched_lines(lines: Iterable[str], sketch: Sketch) -> Iterator[Line]:
    """The second pass: the lines numbered, cleaned and marked, as :func:`sketch` saw them
    (the same lines, in the same order)."""
    texts = map(_cleaned_again, lines, sketch.dirty)
    # (Line's own __new__ is Python code: tuple.__new__ makes the same tuples twice as fast)
    fields = zip(count(1), texts, map(_MARKERS.__getitem__, sketch.markers))
    return map(tuple.__new__, repeat(Line), fields)


def _cleaned_again(line: str, dirty: int) -> str:
    """The line as the first pass cleaned it."""
    return clean_line(line) if dirty else line


def blocks(lines: Iterable[Line]) -> Iterator[list[Line]]:
    """Runs of non-blank lines."""
    block: list[Line] = []
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
    first = text[0]  # (a cheap look before each pattern: most lines are no marker at all)
    if first == "A" and ABSTRACT.match(text):
        return "abstracts"
    if (first in "hH" or first.isdecimal()) and _PROFILE_MARKS.match(text):  # (\d is isdecimal)
        return "profile"
    return None


def _layout(
    kind: str | None, start: int, end: int, filled: list[int], codes: bytearray
) -> str | None:
    """The layout lines ``start`` to ``end`` (a part of ``kind``) are recognisably in, by the
    rules for a whole file; ``filled``: the indexes of the non-blank lines, ``codes``: each
    line's marker code (a marker is only ever on a non-blank line)."""
    if kind == "headed":
        first = codes.find(_HEADED, start, end)
        if first < 0:
            return None
        return "profile" if codes.find(_PROFILE, start, first) >= 0 else "feed"
    if kind == "abstracts":
        abstracts = codes.count(_ABSTRACTS, start, end)
        lines = bisect_left(filled, end) - bisect_left(filled, start)
        return "abstracts" if abstracts and abstracts >= lines - 1 else None
    first = bisect_left(filled, start)
    if kind == "daily" and any(codes[i] == _DAILY for i in filled[first : first + 8] if i < end):
        return "daily"
    return None


def _begins(text: str, marker: str, alike: bool, kind: str, header_seen: bool) -> bool:
    """Whether a marker line (``alike``: the next non-blank line has the same marker) begins a
    part of another layout inside a part of ``kind``."""
    if marker == "profile":  # a second profile page, or a profile after another layout
        return alike and (kind != "headed" or header_seen)
    if marker == "headed":
        return kind != "headed"
    if marker == kind:
        return False
    return alike or (marker == "daily" and text.lower() in _DAILY_TITLES)


def _parts(texts: list[str], codes: bytearray) -> list[tuple[str | None, int, int, str | None]]:
    """The listing cut where its layout changes (see the module docstring), each part as
    ``(kind, start, end, layout)``: its kind (None: no marker at all), its lines' indexes
    (end excluded) and the layout they are in (None: none by the rules for a whole file)."""
    filled = [i for i, text in enumerate(texts) if text]
    cuts: list[tuple[str | None, int, int]] = []
    kind: str | None = None
    start = 0
    header_seen = False
    for n, i in enumerate(filled):
        code = codes[i]
        if not code:
            continue
        marker = _MARKERS[code]
        assert marker is not None
        target = "headed" if marker == "profile" else marker
        if kind is None:
            kind = target  # text before the first marker belongs to the first part
        else:
            alike = n + 1 < len(filled) and codes[filled[n + 1]] == code
            if _begins(texts[i], marker, alike, kind, header_seen):
                cut = _carried(texts, start, i, marker)
                cuts.append((kind, start, cut))
                kind, start, header_seen = target, cut, False
        header_seen = header_seen or marker == "headed"
    cuts.append((kind, start, len(texts)))
    return [(kind, a, b, _layout(kind, a, b, filled, codes)) for kind, a, b in cuts]


def _carried(texts: list[str], start: int, end: int, marker: str) -> int:
    """Where the part of lines ``start`` to ``end`` ends when ``marker`` (on line ``end``)
    begins the next: lines at its end may belong to the next part -- the affiliation line right
    above ``Abstract:`` lines, the short lines of a profile's header (name, category) above its
    marks. Never a sentence, a marker or an entry's title."""
    limit, longest = {"abstracts": (1, _AFFILIATION_MAX), "profile": (3, 60)}.get(marker, (0, 0))
    taken, cut = 0, end
    for i in range(end - 1, start - 1, -1):
        text = texts[i]
        if not text and marker == "profile":
            continue
        if taken == limit or not text or len(text) > longest or text.endswith("."):
            break
        above = next((texts[j] for j in range(i - 1, start - 1, -1) if texts[j]), "")
        if _marker(text) is not None or HEADER.match(above):
            break
        taken, cut = taken + 1, i
    return cut


def detect_layout(text: str) -> str | None:
    """The layout of a listing (of its first part in a known layout when it mixes several),
    or None when it is in no known layout."""
    return next((layout for *_, layout in sketch(text.split("\n")).parts if layout), None)
