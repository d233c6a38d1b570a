"""arXiv API responses (Atom) -> plain data, treating the network as untrusted.

The body is parsed with defusedxml (no DTDs, no entity expansion) after a size check. The API's
ways of failing that a naive parser takes for results are recognised: the plain-text
``Rate exceeded.`` body (sent even with HTTP 200), and the error *entry* (``<title>Error``, an id
under ``/api/errors``) that arrives as an ordinary one-entry feed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
MAX_BYTES = 20 * 1024 * 1024  # a 2000-entry page is about 10 MB
_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_SPACE = re.compile(r"\s+")


class AtomError(Exception):
    """The body is not a usable feed. ``kind``: rate-limited, api-error, malformed, too-large."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper as the API describes it. ``arxiv_id`` has no version (``2605.31603``,
    ``hep-th/9901001``); ``published`` is the first version's date."""

    arxiv_id: str
    version: int | None
    title: str
    summary: str
    authors: tuple[Author, ...]
    published: date | None
    updated: date | None
    primary_category: str | None
    categories: tuple[str, ...]
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"


@dataclass(frozen=True, slots=True)
class Feed:
    entries: tuple[Entry, ...]
    total_results: int
    start_index: int


def _text(element: Element | None) -> str:
    """Element text with the API's hard wrapping (newline + indentation) collapsed."""
    if element is None or element.text is None:
        return ""
    return _SPACE.sub(" ", element.text).strip()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _int(element: Element | None, default: int) -> int:
    text = _text(element)
    return int(text) if text.isdigit() else default


def _entry(element: Element) -> Entry | None:
    match = _ID.search(_text(element.find(f"{ATOM}id")))
    if match is None:
        return None
    primary = element.find(f"{ARXIV}primary_category")
    categories = tuple(
        term for c in element.findall(f"{ATOM}category") if (term := c.get("term", "").strip())
    )
    return Entry(
        arxiv_id=match.group("id"),
        version=int(match.group("version")) if match.group("version") else None,
        title=_text(element.find(f"{ATOM}title")),
        summary=_text(element.find(f"{ATOM}summary")),
        authors=tuple(
            Author(
                name=_text(a.find(f"{ATOM}name")),
                affiliations=tuple(_text(x) for x in a.findall(f"{ARXIV}affiliation")),
            )
            for a in element.findall(f"{ATOM}author")
        ),
        published=_date(_text(element.find(f"{ATOM}published"))),
        updated=_date(_text(element.find(f"{ATOM}updated"))),
        primary_category=(primary.get("term") if primary is not None else None)
        or (categories[0] if categories else None),
        categories=categories,
        comment=_text(element.find(f"{ARXIV}comment")) or None,
        journal_ref=_text(element.find(f"{ARXIV}journal_ref")) or None,
        doi=_text(element.find(f"{ARXIV}doi")) or None,
    )


def parse_feed(body: bytes, *, max_bytes: int = MAX_BYTES) -> Feed:
    """Parse one API response body. Raises :class:`AtomError` for anything but a result feed."""
    if len(body) > max_bytes:
        raise AtomError("too-large", f"response of {len(body)} bytes exceeds {max_bytes}")
    head = body[:200].strip()
    if head.lower().startswith(b"rate exceeded"):
        raise AtomError("rate-limited", "the service said: Rate exceeded.")
    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise AtomError("malformed", f"not a valid Atom feed: {exc}") from None
    if root.tag != f"{ATOM}feed":
        raise AtomError("malformed", f"not an Atom feed (root element {root.tag!r})")
    entries: list[Entry] = []
    for element in root.findall(f"{ATOM}entry"):
        entry_id = _text(element.find(f"{ATOM}id"))
        author = _text(element.find(f"{ATOM}author/{ATOM}name"))
        if "/api/errors" in entry_id or author == "arXiv api core":
            message = _text(element.find(f"{ATOM}summary")) or entry_id
            raise AtomError("api-error", f"the API reported an error: {message}")
        entry = _entry(element)
        if entry is not None:
            entries.append(entry)
    return Feed(
        entries=tuple(entries),
        total_results=_int(root.find(f"{OPENSEARCH}totalResults"), len(entries)),
        start_index=_int(root.find(f"{OPENSEARCH}startIndex"), 0),
    )
