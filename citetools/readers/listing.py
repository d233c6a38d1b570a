"""Paper listings copied from research web sites, in four layouts detected per file.

``feed``      ``<CAT><Mon> <day>[, <year>][Code]`` header, then title and authors glued on one
              line (optionally `` · org, org``), then the abstract; three lines per paper.
``profile``   an author profile (name, h-index, ``54papers`` ...), then blank-line separated
              blocks: header + title, authors, abstract.
``abstracts`` an affiliation line, then ``Abstract:`` lines only (no titles, no authors).
``daily``     page chrome (``Daily Papers``, ``Subscribe`` ...), then title / abstract blocks.

Dates without a year are left with ``year=None``; the normalizer fills the year in from a
reference date. Categories are kept as the listing writes them (``CV``); the normalizer maps them.

Lines are cleaned before anything else (:func:`~citetools.normalize.clean_line`): tabs, no-break
and zero-width spaces and control characters do not hide a header. One file may hold several
layouts, one after the other (a feed copied above a daily page): it is cut into parts where a
part of another layout begins -- a header line, a run of two or more page-chrome lines (or one
of the unmistakable ones, ``Daily Papers``), a run of two or more ``Abstract:`` lines (with the
affiliation line just above them), a run of two or more profile marks after entries -- and each
part is read in its own layout. An abstract that runs over several lines (another layout's text
after the last entry) is kept whole, with a warning naming its lines.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from functools import lru_cache
from itertools import chain, islice
from typing import NamedTuple

from citetools.errors import Problem, ReadError
from citetools.model import PartialDate, Provenance, Record
from citetools.normalize.names import parse_name
from citetools.readers import ReadResult, Source
from citetools.readers._glued import AuthorLine, parse_author_line, split_glued
from citetools.readers._parts import (
    ABSTRACT,
    DAILY_CHROME,
    HEADER,
    MONTHS,
    PAPER_COUNT,
    Line,
    Sketch,
    blocks,
    sketch,
    sketched_lines,
)


class ListingReader:
    name = "listing"
    description = "Paper listings copied from web pages (feed, profile, abstracts, daily layouts)"
    suffixes = (".txt",)

    def __init__(self) -> None:
        # The sketch of the input last sniffed as a listing (by identity): reading the same
        # input next (the usual sniff-then-read) takes it instead of a first pass again.
        self._sniffed: tuple[Source, Sketch] | None = None

    def sniff(self, source: Source) -> bool:
        found = sketch(source.lines())
        known = any(layout for *_, layout in found.parts)
        self._sniffed = (source, found) if known else None
        return known

    def read(self, source: Source) -> ReadResult:
        result = ReadResult()
        result.records = list(self.stream(source, result.problems))
        return result

    def stream(self, source: Source, problems: list[Problem]) -> Iterator[Record]:
        """The listing, a record at a time, in two passes over its lines: one finds its parts
        and layouts, keeping a few bytes a line, the other reads them. Raises
        :class:`ReadError` before the first record when the lines are in no known layout."""
        lines = source.lines()
        found = self._sketch(source, lines)
        return self._parsed(lines, found, source.name, problems)

    def _sketch(self, source: Source, lines: Iterable[str]) -> Sketch:
        """The sketch sniffed from ``source``, else a first pass over ``lines``."""
        sniffed, self._sniffed = self._sniffed, None
        found = sniffed[1] if sniffed is not None and sniffed[0] is source else sketch(lines)
        if not any(layout for *_, layout in found.parts):
            raise ReadError(
                "not a listing in any known layout (feed, profile, abstracts, daily)",
                source=source.name,
            )
        return found

    @staticmethod
    def _parsed(
        lines: Iterable[str], found: Sketch, source: str, problems: list[Problem]
    ) -> Iterator[Record]:
        numbered = sketched_lines(lines, found)
        for kind, start, end, layout in found.parts:  # (each has a kind when any has a layout)
            part = islice(numbered, end - start)
            yield from _LAYOUTS[layout or _FALLBACK[kind or "daily"]](part, source, problems)
            deque(part, maxlen=0)  # (parsers read their part to its end)


def _header_fields(header: str) -> dict[str, object]:
    """Category, date and code mark of a header line, as fields."""
    match = HEADER.match(header)
    assert match is not None
    cat, mon, day, year, code = match.groups()
    return {"categories": _categories(cat), "date": _date(mon, day, year), "has_code": bool(code)}


# Cached: a long listing's entries share a few thousand dates and a few dozen categories, each
# then one (frozen) value.
@lru_cache(maxsize=4096)
def _date(mon: str, day: str, year: str | None) -> PartialDate:
    return PartialDate(int(year) if year else None, MONTHS.index(mon) + 1, int(day))


@lru_cache(maxsize=4096)
def _categories(cat: str) -> tuple[str]:
    return (cat,)


def _author_fields(authors: AuthorLine) -> dict[str, object]:
    return {
        "authors": tuple(map(parse_name, authors.names)),
        "authors_truncated": authors.truncated,
        "orgs": authors.orgs,
    }


def _entries(
    lines: Iterable[Line],
    source: str,
    problems: list[Problem],
    *,
    preamble: list[Line] | None = None,
) -> Iterator[tuple[Line, list[Line]]]:
    """Header line + the non-blank lines up to the next header. Text before the first header is
    reported, unless the layout expects a preamble there (the profile header): then it is put
    in ``preamble``."""
    header: Line | None = None
    body: list[Line] = []
    for line in lines:
        if not line.text:
            continue
        if line.marker == "headed":
            if header is not None:
                yield header, body
            header, body = line, []
        elif header is not None:
            body.append(line)
        elif preamble is not None:
            preamble.append(line)
        else:
            problems.append(
                Problem(
                    f"text before the first entry ignored: {line.text[:60]!r}", source, line.number
                )
            )
    if header is not None:
        yield header, body


def _record(source: str, line: int, layout: str, **fields: object) -> Record:
    return Record(provenance=(Provenance(source, line, layout),), **fields)  # type: ignore[arg-type]


class _Body(NamedTuple):
    """What the lines after a header say: title, authors, abstract, and what went wrong."""

    title: str | None
    authors: AuthorLine | None
    abstract: str | None
    trouble: list[tuple[int, str]]  # (line, message)


def _feed_body(body: list[Line]) -> _Body:
    """Title and authors glued on the first line, then the abstract."""
    split = split_glued(body[0].text)
    trouble = []
    if not split.certain:
        trouble.append(
            (
                body[0].number,
                "could not tell where the title ends and the authors begin; guessed "
                f"title {split.title!r}",
            )
        )
    abstract = " ".join([ln.text for ln in body[1:]]) or None
    return _Body(split.title, split.authors, abstract, trouble + _joined(body[1:]))


def _profile_body(body: list[Line]) -> _Body:
    """Title, author line, abstract, each on its own line."""
    title = body[0].text
    if len(body) < 2:
        return _Body(title, None, None, [(body[0].number, "entry has no author line")])
    abstract = " ".join([ln.text for ln in body[2:]]) or None
    return _Body(title, parse_author_line(body[1].text), abstract, _joined(body[2:]))


def _joined(abstract: list[Line]) -> list[tuple[int, str]]:
    """A warning when an abstract is more than one line: listing pages print it as one, so
    more lines are text of another kind (another layout's entries, notes) taken for it."""
    if len(abstract) < 2:
        return []
    first, last = abstract[0].number, abstract[-1].number
    return [
        (
            first,
            f"the abstract runs over {len(abstract)} lines ({first}-{last}), joined into one: "
            "if some are not the abstract, their layout was not recognised",
        )
    ]


_BODIES = {"feed": _feed_body, "profile": _profile_body}


def _shape(layout: str, header: Line, body: list[Line]) -> str:
    """The headed layout an entry is in: feed entries are header, glued line and abstract with
    no blank line between; profile entries have blank lines around the author line. An entry
    shaped as the other layout (two pages copied into one file) is read as that layout when
    its first line also reads as that layout's (a glued title and authors, or not)."""
    if len(body) < 2 or body[0].number != header.number + 1:
        return layout
    adjacent = body[1].number == body[0].number + 1
    if layout == "profile" and adjacent and split_glued(body[0].text).certain:
        return "feed"
    if layout == "feed" and not adjacent and not split_glued(body[0].text).certain:
        return "profile"
    return layout


def _parse_headed(
    lines: Iterable[Line],
    source: str,
    problems: list[Problem],
    *,
    layout: str,
    preamble: list[Line] | None = None,
) -> Generator[Record, None, int]:
    """Entries that start with a category/date header line; returns how many were read in
    ``layout`` (an entry shaped as the other headed layout is read in that one)."""
    count = 0
    for header, body in _entries(lines, source, problems, preamble=preamble):
        fields = _header_fields(header.text)
        shape = _shape(layout, header, body)
        count += shape == layout
        if not body:
            problems.append(
                Problem(
                    "entry has a header but no title or authors: kept as is", source, header.number
                )
            )
            yield _record(source, header.number, layout, **fields)
            continue
        parsed = _BODIES[shape](body)
        for line, message in parsed.trouble:
            problems.append(Problem(message, source, line))
        if parsed.abstract is None:
            problems.append(Problem("entry has no abstract", source, header.number))
        authors = _author_fields(parsed.authors) if parsed.authors else {}
        yield _record(
            source,
            header.number,
            shape,
            title=parsed.title,
            abstract=parsed.abstract,
            **authors,
            **fields,
        )
    return count


def _parse_feed(lines: Iterable[Line], source: str, problems: list[Problem]) -> Iterator[Record]:
    yield from _parse_headed(lines, source, problems, layout="feed")


def _parse_profile(lines: Iterable[Line], source: str, problems: list[Problem]) -> Iterator[Record]:
    preamble: list[Line] = []  # the profile's header: name, marks, paper count
    found = yield from _parse_headed(lines, source, problems, layout="profile", preamble=preamble)
    claimed: int | None = None
    for line in preamble:
        if count := PAPER_COUNT.match(line.text):
            claimed = int(count.group(1).replace(",", ""))
    if claimed is not None and claimed != found:
        problems.append(
            Problem(
                f"the profile claims {claimed} papers but the listing holds {found}: "
                f"{abs(claimed - found)} {'missing' if claimed > found else 'extra'} "
                "(the page was probably copied before it finished loading)",
                source,
                None,
            )
        )


def _parse_abstracts(
    lines: Iterable[Line], source: str, problems: list[Problem]
) -> Iterator[Record]:
    affiliation: Line | None = None
    used = False
    # The sentinel reports a last, unused affiliation.
    for line in chain(lines, [Line(0, "", None)]):
        if not line.text and line.number:
            continue
        match = ABSTRACT.match(line.text)
        if match is None:
            if affiliation is not None and not used:
                problems.append(
                    Problem(
                        "line without an 'Abstract:' line after it ignored: "
                        f"{affiliation.text[:60]!r}",
                        source,
                        affiliation.number,
                    )
                )
            affiliation, used = line, False
            continue
        used = True
        abstract = line.text[match.end() :].strip()
        yield _record(
            source,
            line.number,
            "abstracts",
            abstract=abstract,
            affiliation=affiliation.text if affiliation else None,
        )
        problems.append(
            Problem(
                "incomplete: the abstracts layout gives no title and no authors "
                "(kept with its abstract; --resolve can complete it)",
                source,
                line.number,
            )
        )


def _looks_like_title(text: str) -> bool:
    """Daily-papers blocks alternate title / abstract; a title is short and is not prose."""
    return len(text) <= 300 and not re.search(r"[.!]\s+[A-Z]", text) and not text.endswith(".")


def _parse_daily(lines: Iterable[Line], source: str, problems: list[Problem]) -> Iterator[Record]:
    pending: tuple[Line, str] | None = None  # (title line, title)

    def flush(abstract: str | None) -> Iterator[Record]:
        nonlocal pending
        if pending is None:
            return
        line, title = pending
        if abstract is None:
            problems.append(Problem("entry has no abstract", source, line.number))
        yield _record(source, line.number, "daily", title=title, abstract=abstract)
        pending = None

    started = False
    for block in blocks(lines):
        text = " ".join(ln.text for ln in block)
        if not started and text.lower() in DAILY_CHROME:
            continue
        started = True
        if pending is not None and not _looks_like_title(text):
            yield from flush(text)
        elif _looks_like_title(text):
            yield from flush(None)
            pending = (block[0], text)
        else:
            problems.append(
                Problem(
                    "text without a title before it: kept as an untitled entry",
                    source,
                    block[0].number,
                )
            )
            yield _record(source, block[0].number, "daily", abstract=text)
    yield from flush(None)


# A part of a mixed file that the whole-file rules would not recognise is read in its kind's
# layout all the same (its parser reports what does not fit), so no text is skipped unread.
_FALLBACK = {"headed": "profile", "abstracts": "abstracts", "daily": "daily"}
_LAYOUTS: dict[str, Callable[[Iterable[Line], str, list[Problem]], Iterator[Record]]] = {
    "feed": _parse_feed,
    "profile": _parse_profile,
    "abstracts": _parse_abstracts,
    "daily": _parse_daily,
}
