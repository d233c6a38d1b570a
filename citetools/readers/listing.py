"""Paper listings copied from research web sites, in four layouts detected per file.

``feed``      ``<CAT><Mon> <day>[, <year>][Code]`` header, then title and authors glued on one
              line (optionally `` · org, org``), then the abstract; three lines per paper.
``profile``   an author profile (name, h-index, ``54papers`` ...), then blank-line separated
              blocks: header + title, authors, abstract.
``abstracts`` an affiliation line, then ``Abstract:`` lines only (no titles, no authors).
``daily``     page chrome (``Daily Papers``, ``Subscribe`` ...), then title / abstract blocks.

Dates without a year are left with ``year=None``; the normalizer fills the year in from a
reference date. Categories are kept as the listing writes them (``CV``); the normalizer maps them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from citetools.errors import Problem, ReadError
from citetools.model import PartialDate, Provenance, Record
from citetools.normalize.names import parse_name
from citetools.readers import ReadResult
from citetools.readers._glued import AuthorLine, parse_author_line, split_glued

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEADER = re.compile(
    r"^(?P<cat>[A-Za-z][A-Za-z.-]*?)(?P<mon>" + "|".join(MONTHS) + r") (?P<day>\d{1,2})"
    r"(?:, (?P<year>\d{4}))?(?P<code>Code)?$"
)
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


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    text: str


def _lines(text: str) -> list[_Line]:
    return [_Line(i, line.strip()) for i, line in enumerate(text.split("\n"), start=1)]


def _blocks(lines: list[_Line]) -> Iterator[list[_Line]]:
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


def detect_layout(text: str) -> str | None:
    """The layout name of a listing, or None when it is in no known layout."""
    lines = [ln for ln in _lines(text) if ln.text]
    if not lines:
        return None
    headers = sum(1 for ln in lines if HEADER.match(ln.text))
    if headers:
        if any(_PROFILE_MARKS.match(ln.text) for ln in lines[:12]):
            return "profile"
        return "feed"
    abstracts = sum(1 for ln in lines if _ABSTRACT.match(ln.text))
    if abstracts and abstracts >= len(lines) - 1:
        return "abstracts"
    if any(ln.text.lower() in DAILY_CHROME for ln in lines[:8]):
        return "daily"
    return None


class ListingReader:
    name = "listing"
    description = "Paper listings copied from web pages (feed, profile, abstracts, daily layouts)"
    suffixes = (".txt",)

    def sniff(self, text: str) -> bool:
        return detect_layout(text) is not None

    def read(self, text: str, *, source: str) -> ReadResult:
        layout = detect_layout(text)
        if layout is None:
            raise ReadError(
                "not a listing in any known layout (feed, profile, abstracts, daily)",
                source=source,
            )
        parse = _LAYOUTS[layout]
        result = ReadResult()
        parse(_lines(text), source, result)
        return result


def _header_fields(match: re.Match[str]) -> dict[str, object]:
    year = match.group("year")
    return {
        "categories": (match.group("cat"),),
        "date": PartialDate(
            year=int(year) if year else None,
            month=MONTHS.index(match.group("mon")) + 1,
            day=int(match.group("day")),
        ),
        "has_code": bool(match.group("code")),
    }


def _author_fields(authors: AuthorLine) -> dict[str, object]:
    return {
        "authors": tuple(parse_name(n) for n in authors.names),
        "authors_truncated": authors.truncated,
        "orgs": authors.orgs,
    }


def _entries(
    lines: list[_Line], source: str, result: ReadResult, *, preamble_expected: bool
) -> Iterator[tuple[_Line, list[_Line]]]:
    """Header line + the non-blank lines up to the next header. Text before the first header is
    reported unless the layout expects a preamble there (the profile header)."""
    header: _Line | None = None
    body: list[_Line] = []
    for line in lines:
        if not line.text:
            continue
        if HEADER.match(line.text):
            if header is not None:
                yield header, body
            header, body = line, []
        elif header is not None:
            body.append(line)
        elif not preamble_expected:
            result.problems.append(
                Problem(
                    f"text before the first entry ignored: {line.text[:60]!r}", source, line.number
                )
            )
    if header is not None:
        yield header, body


def _record(source: str, line: int, layout: str, **fields: object) -> Record:
    return Record(provenance=(Provenance(source, line, layout),), **fields)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _Body:
    """What the lines after a header say: title, authors, abstract, and what went wrong."""

    title: str | None
    authors: AuthorLine | None
    abstract: str | None
    trouble: list[tuple[int, str]]  # (line, message)


def _feed_body(body: list[_Line]) -> _Body:
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
    abstract = " ".join(ln.text for ln in body[1:]) or None
    return _Body(split.title, split.authors, abstract, trouble)


def _profile_body(body: list[_Line]) -> _Body:
    """Title, author line, abstract, each on its own line."""
    title = body[0].text
    if len(body) < 2:
        return _Body(title, None, None, [(body[0].number, "entry has no author line")])
    abstract = " ".join(ln.text for ln in body[2:]) or None
    return _Body(title, parse_author_line(body[1].text), abstract, [])


def _parse_headed(
    lines: list[_Line],
    source: str,
    result: ReadResult,
    *,
    layout: str,
    parse_body: Callable[[list[_Line]], _Body],
) -> int:
    """Entries that start with a category/date header line; returns how many were read."""
    count = 0
    for header, body in _entries(lines, source, result, preamble_expected=layout == "profile"):
        match = HEADER.match(header.text)
        assert match is not None
        fields = _header_fields(match)
        count += 1
        if not body:
            result.problems.append(
                Problem(
                    "entry has a header but no title or authors: kept as is", source, header.number
                )
            )
            result.records.append(_record(source, header.number, layout, **fields))
            continue
        parsed = parse_body(body)
        for line, message in parsed.trouble:
            result.problems.append(Problem(message, source, line))
        if parsed.abstract is None:
            result.problems.append(Problem("entry has no abstract", source, header.number))
        authors = _author_fields(parsed.authors) if parsed.authors else {}
        result.records.append(
            _record(
                source,
                header.number,
                layout,
                title=parsed.title,
                abstract=parsed.abstract,
                **authors,
                **fields,
            )
        )
    return count


def _parse_feed(lines: list[_Line], source: str, result: ReadResult) -> None:
    _parse_headed(lines, source, result, layout="feed", parse_body=_feed_body)


def _parse_profile(lines: list[_Line], source: str, result: ReadResult) -> None:
    claimed: int | None = None
    for line in lines:
        if HEADER.match(line.text):
            break
        if count := _PAPER_COUNT.match(line.text):
            claimed = int(count.group(1).replace(",", ""))
    found = _parse_headed(lines, source, result, layout="profile", parse_body=_profile_body)
    if claimed is not None and claimed != found:
        result.problems.append(
            Problem(
                f"the profile claims {claimed} papers but the listing holds {found}: "
                f"{abs(claimed - found)} {'missing' if claimed > found else 'extra'} "
                "(the page was probably copied before it finished loading)",
                source,
                None,
            )
        )


def _parse_abstracts(lines: list[_Line], source: str, result: ReadResult) -> None:
    affiliation: str | None = None
    for line in lines:
        if not line.text:
            continue
        match = _ABSTRACT.match(line.text)
        if match is None:
            affiliation = line.text
            continue
        abstract = line.text[match.end() :].strip()
        result.records.append(
            _record(source, line.number, "abstracts", abstract=abstract, affiliation=affiliation)
        )
        result.problems.append(
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


def _parse_daily(lines: list[_Line], source: str, result: ReadResult) -> None:
    pending: tuple[_Line, str] | None = None  # (title line, title)

    def flush(abstract: str | None) -> None:
        nonlocal pending
        if pending is None:
            return
        line, title = pending
        if abstract is None:
            result.problems.append(Problem("entry has no abstract", source, line.number))
        result.records.append(_record(source, line.number, "daily", title=title, abstract=abstract))
        pending = None

    started = False
    for block in _blocks(lines):
        text = " ".join(ln.text for ln in block)
        if not started and text.lower() in DAILY_CHROME:
            continue
        started = True
        if pending is not None and not _looks_like_title(text):
            flush(text)
        elif _looks_like_title(text):
            flush(None)
            pending = (block[0], text)
        else:
            result.problems.append(
                Problem(
                    "text without a title before it: kept as an untitled entry",
                    source,
                    block[0].number,
                )
            )
            result.records.append(_record(source, block[0].number, "daily", abstract=text))
    flush(None)


_LAYOUTS: dict[str, Callable[[list[_Line], str, ReadResult], None]] = {
    "feed": _parse_feed,
    "profile": _parse_profile,
    "abstracts": _parse_abstracts,
    "daily": _parse_daily,
}
