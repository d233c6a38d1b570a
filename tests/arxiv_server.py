"""A real HTTP server on 127.0.0.1 that speaks the arXiv query API, for the test suite.

It serves the papers of ``tests/fixtures/arxiv/corpus.json`` (or any list of :class:`Paper`)
at ``http://127.0.0.1:<port>/api/query``, in the Atom format of the 2026 recordings in
``tests/fixtures/arxiv-samples``, and lets each test script faults (throttling, error
entries, broken XML, empty feeds, slow or dropped answers) and inspect every request it got.
Standard library only (plus pytest for the fixture)::

    with ArxivServer.start(corpus=load_corpus()) as server:
        server.faults.rate_exceeded(status=503).status(429, headers={"Retry-After": "1"})
        requests.get(server.url, params={"id_list": "2605.31603"}, timeout=5)
        assert [r.status for r in server.log] == [503]

What it answers
---------------
``GET /api/query?...`` and ``POST /api/query`` (form-encoded body; parameters of the URL and
of the body are merged, the body winning) with ``search_query``, ``id_list``, ``start``
(default 0), ``max_results`` (default 10), ``sortBy`` and ``sortOrder``:

- ``id_list``: comma-separated ids, with or without ``vN``, new style (``2605.31603``,
  ``1309.2284``) or old style (``hep-th/9901001``, ``math.CO/0601001`` = ``math/0601001``).
  Unknown ids (and versions newer than the paper's) are simply absent. A malformed id turns the
  whole answer into an error feed, HTTP 400 as in the 2026 recording
  (``id_error_status`` changes it). With ``search_query`` too, the ids are filtered by it.
- ``search_query``: see :func:`parse_query`. A syntax error gives an error feed with HTTP 200
  (``query_error_status``): REFERENCE.md says errors come back as HTTP 200 with an error entry,
  and only the malformed-id case is recorded (with 400).
- ``max_results`` above 2000, ``start + max_results`` above 30000, a non-integer or negative
  ``start``/``max_results``, an unknown ``sortBy``/``sortOrder``: error feed, HTTP 400.
- A GET whose request target (path and query string) is longer than ``max_url_length``
  (default 2000 characters) gets HTTP 414 with a plain-text body.
- Order: ``sortBy=relevance`` (the default) gives the server's own order, whatever the
  request's order: ids descending (``order="id_desc"``, the default) or a shuffle seeded with
  ``seed`` (``order="shuffle"``); ``sortOrder`` is ignored for relevance.
  ``lastUpdatedDate``/``submittedDate`` sort by ``updated``/``published``, ``sortOrder``
  ``descending`` (default) or ``ascending``.
- Paging: ``totalResults`` counts every match; ``itemsPerPage`` echoes ``max_results`` and
  ``startIndex`` echoes ``start``, as the live API does.

Error entries look like the 2026 recording: title ``Error``, author ``arXiv api core``,
``<id>https://arxiv.org/api/errors#<message with _ for spaces></id>`` (the recording has
https; older clients saw http: match ``/api/errors``), the message in ``<summary>``,
``totalResults`` 1.

Faults (``server.faults``, a FIFO queue; each fault answers the next ``times`` requests to
``/api/query``, before any other check): :meth:`FaultQueue.status`,
:meth:`~FaultQueue.rate_exceeded`, :meth:`~FaultQueue.error_entry`,
:meth:`~FaultQueue.malformed_xml`, :meth:`~FaultQueue.empty_feed`, :meth:`~FaultQueue.delay`,
:meth:`~FaultQueue.drop`. For refused connections, use :func:`unused_url` or call
:meth:`ArxivServer.stop` (its ``url`` then refuses connections).

Log: ``server.log`` is a list of :class:`LoggedRequest` (monotonic arrival time, method, path,
parameters, lower-cased headers, status or ``None`` when dropped, fault, connection number,
requests in flight, served entry ids), in arrival order; ``server.reset()`` clears log and faults.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import random
import re
import socket
import sys
import textwrap
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest

CORPUS_PATH = Path(__file__).resolve().parent / "fixtures" / "arxiv" / "corpus.json"

ATOM_NS = "http://www.w3.org/2005/Atom"
ARXIV_NS = "http://arxiv.org/schemas/atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
NAMESPACES = {"atom": ATOM_NS, "arxiv": ARXIV_NS, "opensearch": OPENSEARCH_NS}

MAX_RESULTS_PER_CALL = 2000
MAX_RESULTS_TOTAL = 30000
ERROR_ID_BASE = "https://arxiv.org/api/errors#"

NEW_ID = re.compile(r"^(\d{4})\.(\d{4,5})(?:v(\d+))?$")
OLD_ID = re.compile(r"^([a-z]+(?:-[a-z]+)*)(\.[A-Za-z]{2})?/(\d{7})(?:v(\d+))?$")

SortBy = Literal["relevance", "lastUpdatedDate", "submittedDate"]
Order = Literal["id_desc", "shuffle"]


# --------------------------------------------------------------------------------------------
# The corpus


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as the server knows it: its latest version ``version``.

    ``id`` is bare (no version); ``published`` is the first version's date, ``updated`` the
    latest's (ISO ``2026-05-29T17:59:46Z``). ``distractor`` marks near-misses of seed papers
    in the corpus file; the server never emits it.
    """

    id: str
    version: int
    title: str
    authors: tuple[Author, ...]
    summary: str
    published: str
    updated: str
    primary_category: str
    categories: tuple[str, ...]
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    distractor: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Paper:
        known = {
            "id",
            "version",
            "title",
            "authors",
            "summary",
            "published",
            "updated",
            "primary_category",
            "categories",
            "comment",
            "journal_ref",
            "doi",
            "distractor",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"paper {data.get('id')!r}: unknown fields {sorted(unknown)}")
        ident = str(data["id"])
        parsed = parse_id(ident)
        if parsed is None or parsed[1] is not None:
            raise ValueError(f"paper id {ident!r} is not a bare arXiv id")
        primary = str(data["primary_category"])
        categories = tuple(str(c) for c in data.get("categories", ()))
        if primary not in categories:
            categories = (primary, *categories)
        return cls(
            id=parsed[0],
            version=int(data.get("version", 1)),
            title=str(data["title"]),
            authors=tuple(
                Author(str(a["name"]), a.get("affiliation")) for a in data.get("authors", ())
            ),
            summary=str(data.get("summary", "")),
            published=str(data["published"]),
            updated=str(data.get("updated", data["published"])),
            primary_category=primary,
            categories=categories,
            comment=data.get("comment"),
            journal_ref=data.get("journal_ref"),
            doi=data.get("doi"),
            distractor=bool(data.get("distractor", False)),
        )

    @property
    def versioned_id(self) -> str:
        return f"{self.id}v{self.version}"


@cache
def _load(path: Path) -> tuple[Paper, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    papers = tuple(Paper.from_dict(item) for item in data)
    seen: set[str] = set()
    for paper in papers:
        if paper.id in seen:
            raise ValueError(f"{path}: paper id {paper.id} twice")
        seen.add(paper.id)
    return papers


def load_corpus(path: Path | str = CORPUS_PATH, *, distractors: bool = True) -> list[Paper]:
    """The papers of ``corpus.json`` (``distractors=False`` leaves the near-misses out)."""
    papers = _load(Path(path).resolve())
    return [p for p in papers if distractors or not p.distractor]


def parse_id(text: str) -> tuple[str, int | None] | None:
    """``(canonical bare id, version or None)`` or ``None`` if ``text`` is no arXiv id.

    Old-style ids lose their subject class: ``math.CO/0601001v2`` -> ``("math/0601001", 2)``.
    """
    text = text.strip()
    match = NEW_ID.match(text)
    if match:
        version = match.group(3)
        return f"{match.group(1)}.{match.group(2)}", int(version) if version else None
    match = OLD_ID.match(text)
    if match:
        version = match.group(4)
        return f"{match.group(1)}/{match.group(3)}", int(version) if version else None
    return None


def _id_sort_key(ident: str) -> tuple[int, int, int]:
    """(year, month, number) of an id, for 'newest first' ordering across both id styles."""
    match = NEW_ID.match(ident)
    if match:
        yymm = match.group(1)
        return 2000 + int(yymm[:2]), int(yymm[2:]), int(match.group(2))
    match = OLD_ID.match(ident)
    if match:
        digits = match.group(3)
        yy = int(digits[:2])
        return (1900 + yy if yy >= 91 else 2000 + yy), int(digits[2:4]), int(digits[4:])
    return 0, 0, 0


# --------------------------------------------------------------------------------------------
# Text folding and the query language

_EXTRA_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
    }
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: ``Łukasz Müller`` -> ``lukasz muller``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``; punctuation (and ``_``) separates words."""
    return tuple(_WORD.findall(fold(text)))


FIELDS = frozenset({"ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all"})
OPERATORS = frozenset({"AND", "OR", "ANDNOT"})


class QuerySyntaxError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"syntax error in search_query at offset {offset}: {message}")
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Term:
    """``field:raw``. ``words`` are the folded words to find consecutively (one word: any
    word of the field; several: a phrase, punctuation ignored)."""

    field: str
    raw: str
    words: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # AND, OR, ANDNOT
    left: Node
    right: Node


Node = Term | BinOp


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "OP", "TERM", "PHRASE", "GROUP" (a "field:(")
    text: str
    field: str | None
    offset: int


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)

    def closing_quote(start: int) -> int:
        end = query.find('"', start + 1)
        if end < 0:
            raise QuerySyntaxError("unterminated phrase (missing closing double quote)", start)
        return end

    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, None, i))
            i += 1
        elif char == '"':
            end = closing_quote(i)
            tokens.append(_Token("PHRASE", query[i + 1 : end], None, i))
            i = end + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"':
                j += 1
            word = query[i:j]
            if word in OPERATORS:
                tokens.append(_Token("OP", word, None, i))
            elif ":" in word:
                prefix, _, rest = word.partition(":")
                if prefix not in FIELDS:
                    raise QuerySyntaxError(f"unknown field prefix {prefix!r}", i)
                if ":" in rest:
                    raise QuerySyntaxError(f"colon inside the term {rest!r}", i + len(prefix) + 1)
                if rest:
                    tokens.append(_Token("TERM", rest, prefix, i))
                elif j < n and query[j] == '"':
                    end = closing_quote(j)
                    tokens.append(_Token("PHRASE", query[j + 1 : end], prefix, i))
                    j = end + 1
                elif j < n and query[j] == "(":
                    tokens.append(_Token("GROUP", word, prefix, i))
                    j += 1
                else:
                    raise QuerySyntaxError(f"field prefix {prefix}: without a term", i)
            else:
                tokens.append(_Token("TERM", word, None, i))
            i = j
    return tokens


class _Parser:
    """Recursive descent over the tokens. Grammar (AND and ANDNOT bind tighter than OR; two
    operands side by side are joined by AND; a bare term or phrase searches ``all``)::

        query   := or_expr
        or_expr := and_expr ("OR" and_expr)*
        and_expr:= unary (("AND" | "ANDNOT")? unary)*
        unary   := "(" or_expr ")" | FIELD ":(" or_expr ")" | [FIELD ":"] (TERM | '"' PHRASE '"')
    """

    def __init__(self, tokens: Sequence[_Token], end: int, *, hyphen_as_not: bool) -> None:
        self.tokens = tokens
        self.pos = 0
        self.end = end
        self.hyphen_as_not = hyphen_as_not

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError("empty query", 0)
        node = self.or_expr("all")
        extra = self.peek()
        if extra is not None:
            raise QuerySyntaxError(
                f"unexpected {extra.text!r} (unbalanced parenthesis?)", extra.offset
            )
        return node

    def or_expr(self, field: str) -> Node:
        node = self.and_expr(field)
        while (tok := self.peek()) is not None and tok.kind == "OP" and tok.text == "OR":
            self.pos += 1
            node = BinOp("OR", node, self.and_expr(field))
        return node

    def and_expr(self, field: str) -> Node:
        node = self.unary(field)
        while (tok := self.peek()) is not None:
            if tok.kind == "OP" and tok.text in ("AND", "ANDNOT"):
                self.pos += 1
                node = BinOp(tok.text, node, self.unary(field))
            elif tok.kind in ("TERM", "PHRASE", "(", "GROUP"):
                node = BinOp("AND", node, self.unary(field))
            else:
                break
        return node

    def unary(self, field: str) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends where a term was expected", self.end)
        self.pos += 1
        if tok.kind in ("(", "GROUP"):
            inner_field = tok.field if tok.kind == "GROUP" and tok.field else field
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QuerySyntaxError("empty parentheses", tok.offset)
            node = self.or_expr(inner_field)
            close = self.peek()
            if close is None or close.kind != ")":
                raise QuerySyntaxError("unbalanced parenthesis: '(' is never closed", tok.offset)
            self.pos += 1
            return node
        if tok.kind == "TERM":
            return self.term(tok.field or field, tok.text, phrase=False, offset=tok.offset)
        if tok.kind == "PHRASE":
            return self.term(tok.field or field, tok.text, phrase=True, offset=tok.offset)
        if tok.kind == "OP":
            raise QuerySyntaxError(f"operator {tok.text} without an operand before it", tok.offset)
        raise QuerySyntaxError("unbalanced parenthesis: ')' without '('", tok.offset)

    def term(self, field: str, raw: str, *, phrase: bool, offset: int) -> Node:
        if phrase and not raw.strip():
            raise QuerySyntaxError("empty phrase", offset)
        if (
            self.hyphen_as_not
            and not phrase
            and field not in ("cat", "id")
            and "-" in raw.strip("-")
        ):
            parts = [p for p in raw.split("-") if p]
            node: Node = self._term(field, parts[0], phrase=False)
            for part in parts[1:]:
                node = BinOp("ANDNOT", node, self._term(field, part, phrase=False))
            return node
        return self._term(field, raw, phrase=phrase)

    @staticmethod
    def _term(field: str, raw: str, *, phrase: bool) -> Term:
        text = raw.replace("_", " ") if field == "au" else raw
        return Term(field, raw, words(text), phrase)


def parse_query(query: str, *, hyphen_as_not: bool = False) -> Node:
    """Parse an arXiv ``search_query``; raises :class:`QuerySyntaxError`.

    Prefixes ``ti au abs co jr cat rn id all`` (lower case; a bare term means ``all``),
    double-quoted phrases, ``AND``/``OR``/``ANDNOT`` (upper case; anything else is a term),
    parentheses, ``field:(...)`` groups. Errors: unknown prefix, a colon inside a term,
    unbalanced parentheses or quotes, an operator without an operand, an empty query.
    ``au:del_maestro``: underscores in author terms are spaces. ``hyphen_as_not`` imitates the
    reported pitfall where ``ti:foo-bar`` means ``ti:foo ANDNOT ti:bar``; by default a hyphenated
    term is a phrase of its parts.
    """
    return _Parser(_tokenize(query), len(query), hyphen_as_not=hyphen_as_not).parse()


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    if not needle:
        return False
    if len(needle) == 1:
        return needle[0] in haystack
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


@dataclass(frozen=True, slots=True)
class _Indexed:
    paper: Paper
    title: tuple[str, ...]
    summary: tuple[str, ...]
    comment: tuple[str, ...]
    journal_ref: tuple[str, ...]
    authors: tuple[tuple[str, ...], ...]
    categories: tuple[str, ...]

    @classmethod
    def of(cls, paper: Paper) -> _Indexed:
        return _index_paper(paper)

    @classmethod
    def build(cls, paper: Paper) -> _Indexed:
        return cls(
            paper,
            words(paper.title),
            words(paper.summary),
            words(paper.comment or ""),
            words(paper.journal_ref or ""),
            tuple(words(a.name) for a in paper.authors),
            tuple(c.lower() for c in paper.categories),
        )

    def matches(self, node: Node) -> bool:
        if isinstance(node, BinOp):
            if node.op == "AND":
                return self.matches(node.left) and self.matches(node.right)
            if node.op == "OR":
                return self.matches(node.left) or self.matches(node.right)
            return self.matches(node.left) and not self.matches(node.right)
        return self._term(node)

    def _term(self, term: Term) -> bool:
        field_ = term.field
        if field_ == "ti":
            return _contains(self.title, term.words)
        if field_ == "abs":
            return _contains(self.summary, term.words)
        if field_ == "co":
            return _contains(self.comment, term.words)
        if field_ == "jr":
            return _contains(self.journal_ref, term.words)
        if field_ == "au":
            return any(_contains(name, term.words) for name in self.authors)
        if field_ == "cat":
            return self._category(term.raw)
        if field_ == "id":
            parsed = parse_id(term.raw)
            return parsed is not None and parsed[0] == self.paper.id
        if field_ == "rn":
            return False  # the corpus has no report numbers
        return any(
            _contains(text, term.words)
            for text in (self.title, self.summary, self.comment, self.journal_ref, *self.authors)
        ) or (not term.phrase and self._category(term.raw))

    def _category(self, raw: str) -> bool:
        wanted = raw.lower()
        if wanted.endswith("*"):
            return any(c.startswith(wanted[:-1]) for c in self.categories)
        return wanted in self.categories


@cache
def _index_paper(paper: Paper) -> _Indexed:
    return _Indexed.build(paper)


# --------------------------------------------------------------------------------------------
# Atom rendering


def _text(value: str) -> str:
    return escape(value)


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _wrap(text: str) -> str:
    """Hard-wrap like the 2016 API: lines of at most 80 characters joined by newline + 2 spaces."""
    lines = textwrap.wrap(text, width=80, break_long_words=False, break_on_hyphens=False)
    return "\n  ".join(lines)


_FEED_OPEN = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    f'<feed xmlns:opensearch="{OPENSEARCH_NS}" xmlns:arxiv="{ARXIV_NS}" xmlns="{ATOM_NS}">\n'
)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class _Request:
    search_query: str
    id_list: str
    start: int
    max_results: int
    start_text: str
    max_results_text: str


def _feed_header(req: _Request, now: str, *, items: int, total: int) -> list[str]:
    echo = f"search_query={req.search_query}&id_list={req.id_list}"
    echo += f"&start={req.start_text}&max_results={req.max_results_text}"
    link = (
        f"https://arxiv.org/api/query?search_query={req.search_query}&start={req.start_text}"
        f"&max_results={req.max_results_text}&id_list={req.id_list}"
    )
    digest = hashlib.sha1(echo.encode("utf-8")).digest()
    feed_id = base64.b64encode(digest).decode("ascii").rstrip("=")
    return [
        f"  <id>https://arxiv.org/api/{feed_id}</id>\n",
        f"  <title>{_text('arXiv Query: ' + echo)}</title>\n",
        f"  <updated>{now}</updated>\n",
        f'  <link href="{_attr(link)}" type="application/atom+xml"/>\n',
        f"  <opensearch:itemsPerPage>{items}</opensearch:itemsPerPage>\n",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n",
        f"  <opensearch:startIndex>{req.start}</opensearch:startIndex>\n",
    ]


def render_entry(paper: Paper, version: int | None = None, *, wrap: bool = False) -> str:
    """One ``<entry>`` in the 2026 layout (element order as in the recordings)."""
    version = paper.version if version is None else version
    vid = f"{paper.id}v{version}"
    updated = paper.updated if version == paper.version else paper.published
    title = _wrap(paper.title) if wrap else paper.title
    summary = _wrap(paper.summary) if wrap else paper.summary
    out = [
        "  <entry>\n",
        f"    <id>http://arxiv.org/abs/{vid}</id>\n",
        f"    <title>{_text(title)}</title>\n",
        f"    <updated>{updated}</updated>\n",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>\n',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"'
        ' title="pdf"/>\n',
        f"    <summary>{_text(summary)}</summary>\n",
    ]
    out += [
        f'    <category term="{_attr(c)}" scheme="http://arxiv.org/schemas/atom"/>\n'
        for c in paper.categories
    ]
    out.append(f"    <published>{paper.published}</published>\n")
    if paper.comment:
        out.append(f"    <arxiv:comment>{_text(paper.comment)}</arxiv:comment>\n")
    out.append(f'    <arxiv:primary_category term="{_attr(paper.primary_category)}"/>\n')
    if paper.journal_ref:
        out.append(f"    <arxiv:journal_ref>{_text(paper.journal_ref)}</arxiv:journal_ref>\n")
    for author in paper.authors:
        out.append("    <author>\n")
        out.append(f"      <name>{_text(author.name)}</name>\n")
        if author.affiliation:
            out.append(
                f"      <arxiv:affiliation>{_text(author.affiliation)}</arxiv:affiliation>\n"
            )
        out.append("    </author>\n")
    if paper.doi:
        out.append(f"    <arxiv:doi>{_text(paper.doi)}</arxiv:doi>\n")
        out.append(
            f'    <link rel="related" href="https://doi.org/{_attr(paper.doi)}" title="doi"/>\n'
        )
    out.append("  </entry>\n")
    return "".join(out)


def render_feed(req: _Request, entries: Sequence[str], total: int, now: str) -> bytes:
    parts = [_FEED_OPEN, *_feed_header(req, now, items=req.max_results, total=total)]
    parts += entries
    parts.append("</feed>\n")
    return "".join(parts).encode("utf-8")


def render_error_feed(message: str, now: str, *, code: str | None = None) -> bytes:
    """The error feed of the 2026 recording: one entry titled ``Error`` by ``arXiv api core``."""
    error_id = ERROR_ID_BASE + (code or message.replace(" ", "_"))
    return "".join(
        [
            _FEED_OPEN,
            "  <id>https://arxiv.org/</id>\n",
            "  <title>arXiv Search Results</title>\n",
            f"  <updated>{now}</updated>\n",
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n",
            "  <opensearch:totalResults>1</opensearch:totalResults>\n",
            "  <opensearch:startIndex>0</opensearch:startIndex>\n",
            "  <entry>\n",
            f"    <id>{_text(error_id)}</id>\n",
            "    <title>Error</title>\n",
            f"    <updated>{now}</updated>\n",
            f'    <link href="{_attr(error_id)}" rel="alternate" type="text/html"/>\n',
            f"    <summary>{_text(message)}</summary>\n",
            "    <author>\n",
            "      <name>arXiv api core</name>\n",
            "    </author>\n",
            "  </entry>\n",
            "</feed>\n",
        ]
    ).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Faults


@dataclass(frozen=True, slots=True)
class Fault:
    """One scripted answer. ``kind``: status, rate_exceeded, error_entry, malformed_xml,
    empty_feed, delay, drop. ``after``: seconds to wait before answering (or dropping)."""

    kind: str
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    message: str = ""
    after: float = 0.0


class FaultQueue:
    """Faults consumed in order, one per request to ``/api/query``. Methods chain."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []

    def _push(self, fault: Fault, times: int) -> FaultQueue:
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queue.extend([fault] * times)
        return self

    def status(
        self,
        code: int,
        body: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        times: int = 1,
        after: float = 0.0,
    ) -> FaultQueue:
        """Answer with HTTP ``code``, a plain-text ``body`` (default: the reason phrase) and
        extra ``headers`` (for example ``{"Retry-After": "3"}``)."""
        if body is None:
            try:
                body = HTTPStatus(code).phrase
            except ValueError:
                body = ""
        raw = body.encode("utf-8") if isinstance(body, str) else body
        hdrs = {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
        return self._push(Fault("status", code, raw, tuple(hdrs.items()), after=after), times)

    def rate_exceeded(
        self,
        status: int = 503,
        *,
        retry_after: float | None = None,
        times: int = 1,
        after: float = 0.0,
    ) -> FaultQueue:
        """The throttling answer seen in the wild: plain text ``Rate exceeded.`` with HTTP
        ``status`` (503, 429, or even 200)."""
        hdrs: list[tuple[str, str]] = [("Content-Type", "text/plain")]
        if retry_after is not None:
            hdrs.append(("Retry-After", f"{retry_after:g}"))
        fault = Fault("rate_exceeded", status, b"Rate exceeded.", tuple(hdrs), after=after)
        return self._push(fault, times)

    def error_entry(
        self, message: str, status: int = 200, *, times: int = 1, after: float = 0.0
    ) -> FaultQueue:
        """An arXiv error feed (entry titled ``Error``) with ``message``, HTTP ``status``."""
        return self._push(Fault("error_entry", status, message=message, after=after), times)

    def malformed_xml(self, *, times: int = 1, after: float = 0.0) -> FaultQueue:
        """HTTP 200 with the real answer cut in the middle (not well-formed XML)."""
        return self._push(Fault("malformed_xml", after=after), times)

    def empty_feed(self, *, times: int = 1, after: float = 0.0) -> FaultQueue:
        """HTTP 200, a valid feed with ``totalResults`` 0, even though the query matches."""
        return self._push(Fault("empty_feed", after=after), times)

    def delay(self, seconds: float, *, times: int = 1) -> FaultQueue:
        """Wait ``seconds`` before the normal answer (for client read timeouts)."""
        return self._push(Fault("delay", after=seconds), times)

    def drop(self, *, times: int = 1, after: float = 0.0) -> FaultQueue:
        """Read the request, then close the connection without any response."""
        return self._push(Fault("drop", after=after), times)

    def pop(self) -> Fault | None:
        with self._lock:
            return self._queue.pop(0) if self._queue else None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)


# --------------------------------------------------------------------------------------------
# The request log


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the server saw it.

    ``time``: ``time.monotonic()`` when the request was read (compare spacing with your own
    ``time.monotonic()``); ``params``: first value of each parameter, URL and form body merged;
    ``headers``: lower-cased names; ``status``: what was (or is being) sent, ``None`` for a
    dropped connection; ``fault``: the fault kind that answered, if any; ``connection``: serial
    number of the TCP connection (keep-alive reuses it); ``in_flight``: requests being handled
    when this one arrived, itself included; ``entries``: versioned ids of the entries served.
    """

    time: float
    method: str
    path: str
    target: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int | None
    fault: str | None
    connection: int
    in_flight: int
    entries: tuple[str, ...] = ()

    @property
    def user_agent(self) -> str | None:
        return self.headers.get("user-agent")


@dataclass(slots=True)
class _Response:
    status: int | None
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    entries: tuple[str, ...] = ()
    fault: str | None = None
    delay: float = 0.0


_ATOM_TYPE = "application/atom+xml; charset=UTF-8"
_SORT_BY = ("relevance", "lastUpdatedDate", "submittedDate")
_SORT_ORDER = ("ascending", "descending")


# --------------------------------------------------------------------------------------------
# The HTTP plumbing


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # joined by server_close(): no handler thread outlives stop()
    block_on_close = True

    def __init__(self, address: tuple[str, int], owner: ArxivServer) -> None:
        self.owner = owner
        self._conn_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self.connection_numbers = itertools.count(1)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def abort_connections(self) -> None:
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (read timeout) or a connection aborted by stop(): not an error.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "arxiv-test-server/1.0"
    timeout = 60
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection_number = next(self.server.connection_numbers)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        owner = self.server.owner
        arrival = time.monotonic()
        in_flight = owner._enter()
        left = False
        try:
            body = b""
            if method == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length > 0 else b""
            try:
                response, params = owner._answer(method, self.path, body)
            except Exception:
                response = _Response(500, traceback.format_exc().encode("utf-8"))
                response.headers.append(("Content-Type", "text/plain; charset=utf-8"))
                params = {}
            owner._record(
                LoggedRequest(
                    time=arrival,
                    method=method,
                    path=urlsplit(self.path).path,
                    target=self.path,
                    params=params,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    status=response.status,
                    fault=response.fault,
                    connection=self.connection_number,
                    in_flight=in_flight,
                    entries=response.entries,
                )
            )
            if response.delay > 0 and owner._stopping.wait(response.delay):
                self.close_connection = True  # stopped while waiting: no answer
                return
            if response.status is None:
                self.close_connection = True
                return
            # The request stops counting as in flight before its answer is sent: once the client
            # has the answer it may send the next request at once, and that one must not see this
            # one as still being handled.
            left = True
            owner._leave()
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        finally:
            if not left:
                owner._leave()


# --------------------------------------------------------------------------------------------
# The server


class ArxivServer:
    """An arXiv API look-alike on ``127.0.0.1`` in a background thread.

    Options: ``corpus`` (papers or dicts in the corpus.json layout; default
    :func:`load_corpus`), ``wrap`` (hard-wrap titles and summaries with newline + two spaces,
    as the 2016 API did), ``order`` (``"id_desc"`` or ``"shuffle"``, the relevance order) and
    ``seed``, ``max_url_length`` (longer GET request targets get 414), ``id_error_status``
    (400), ``query_error_status`` (200), ``hyphen_as_not`` and ``reject_non_ascii`` (imitate
    two reported pitfalls: ``a-b`` acting as ``a ANDNOT b``; non-ASCII queries getting an HTTP
    400 error feed), ``clock`` (returns the feed's ``updated`` time), ``host``, ``port`` (0:
    any free port).

    Start it with ``ArxivServer.start(...)`` or ``with ArxivServer(...) as server``; leaving
    the ``with`` block (or :meth:`stop`) shuts it down and joins every thread.
    """

    def __init__(
        self,
        corpus: Iterable[Paper | Mapping[str, Any]] | None = None,
        *,
        wrap: bool = False,
        order: Order = "id_desc",
        seed: int = 0,
        max_url_length: int = 2000,
        id_error_status: int = 400,
        query_error_status: int = 200,
        hyphen_as_not: bool = False,
        reject_non_ascii: bool = False,
        clock: Callable[[], datetime] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if order not in ("id_desc", "shuffle"):
            raise ValueError(f"order must be 'id_desc' or 'shuffle', not {order!r}")
        papers = load_corpus() if corpus is None else corpus
        self.papers: tuple[Paper, ...] = tuple(
            p if isinstance(p, Paper) else Paper.from_dict(p) for p in papers
        )
        self._index = {p.id: _Indexed.of(p) for p in self.papers}
        if len(self._index) != len(self.papers):
            raise ValueError("the corpus holds an id twice")
        self.wrap = wrap
        self.order: Order = order
        self.seed = seed
        self.max_url_length = max_url_length
        self.id_error_status = id_error_status
        self.query_error_status = query_error_status
        self.hyphen_as_not = hyphen_as_not
        self.reject_non_ascii = reject_non_ascii
        self._clock = clock or (lambda: datetime.now(UTC))
        self.host = host
        self._requested_port = port
        self.faults = FaultQueue()
        self._log: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._in_flight = 0
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    # ---- life cycle

    @classmethod
    def start(
        cls, corpus: Iterable[Paper | Mapping[str, Any]] | None = None, **options: Any
    ) -> ArxivServer:
        """A new server, already listening."""
        return cls(corpus, **options).run()

    def run(self) -> Self:
        """Start listening (idempotent while running)."""
        if self._httpd is not None:
            return self
        if self._stopping.is_set():
            raise RuntimeError("a stopped ArxivServer cannot be started again")
        httpd = _HTTPServer((self.host, self._requested_port), self)
        self._httpd = httpd
        self._port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"arxiv-test-server:{self._port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening, abort open connections, join every thread. Idempotent."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.abort_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> Self:
        return self.run()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the server has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The query endpoint, ``http://127.0.0.1:PORT/api/query``."""
        return f"{self.base_url}/api/query"

    # ---- log

    @property
    def log(self) -> list[LoggedRequest]:
        """A snapshot of every request so far, in arrival order."""
        with self._log_lock:
            return list(self._log)

    def reset(self) -> None:
        """Forget the log and every pending fault."""
        with self._log_lock:
            self._log.clear()
        self.faults.clear()

    def served(self) -> list[str]:
        """Versioned ids of every entry served so far, in order (repeats kept)."""
        return [vid for record in self.log for vid in record.entries]

    def assert_served(self, ids: Iterable[str]) -> None:
        """Fail unless each id (bare or versioned) was served in at least one entry."""
        served = set(self.served())
        bare = {vid.rsplit("v", 1)[0] for vid in served}
        missing = [i for i in ids if i not in served and i not in bare]
        if missing:
            raise AssertionError(f"never served: {missing}; served: {sorted(served)}")

    def assert_faults_consumed(self) -> None:
        if self.faults.pending:
            raise AssertionError(f"{self.faults.pending} scripted fault(s) never consumed")

    def _record(self, record: LoggedRequest) -> None:
        with self._log_lock:
            self._log.append(record)

    def _enter(self) -> int:
        with self._log_lock:
            self._in_flight += 1
            return self._in_flight

    def _leave(self) -> None:
        with self._log_lock:
            self._in_flight -= 1

    # ---- answering

    def _now(self) -> str:
        return _stamp(self._clock())

    def _error(self, status: int, message: str, *, code: str | None = None) -> _Response:
        body = render_error_feed(message, self._now(), code=code)
        return _Response(status, body, [("Content-Type", _ATOM_TYPE)])

    def _answer(self, method: str, target: str, body: bytes) -> tuple[_Response, dict[str, str]]:
        parts = urlsplit(target)
        raw: dict[str, list[str]] = parse_qs(parts.query, keep_blank_values=True)
        if method == "POST" and body:
            for key, values in parse_qs(body.decode("utf-8", "replace"), True).items():
                raw[key] = values
        params = {key: values[0] for key, values in raw.items()}
        if parts.path.rstrip("/") != "/api/query":
            text = b"Not Found: the test server only answers /api/query"
            return _Response(404, text, [("Content-Type", "text/plain")]), params
        fault = self.faults.pop()
        if fault is not None:
            return self._fault(fault, params), params
        if method == "GET" and len(target) > self.max_url_length:
            text = b"414 Request-URI Too Long"
            return _Response(414, text, [("Content-Type", "text/plain")]), params
        return self._query(params), params

    def _fault(self, fault: Fault, params: Mapping[str, str]) -> _Response:
        kind = fault.kind
        if kind in ("status", "rate_exceeded"):
            response = _Response(fault.status, fault.body, list(fault.headers))
        elif kind == "error_entry":
            response = self._error(fault.status, fault.message)
        elif kind == "malformed_xml":
            normal = self._query(params).body
            response = _Response(200, normal[: max(len(normal) // 2, 40)])
            response.headers.append(("Content-Type", _ATOM_TYPE))
        elif kind == "empty_feed":
            response = self._query(params, empty=True)
        elif kind == "delay":
            response = self._query(params)
        else:  # drop
            response = _Response(None)
        response.fault = kind
        response.delay = fault.after
        return response

    def _query(self, params: Mapping[str, str], *, empty: bool = False) -> _Response:
        search_query = params.get("search_query", "")
        id_list = params.get("id_list", "")
        start_text = params.get("start", "0")
        max_text = params.get("max_results", "10")
        sort_by = params.get("sortBy", "relevance")
        sort_order = params.get("sortOrder", "descending")
        for name, text in (("start", start_text), ("max_results", max_text)):
            if not re.fullmatch(r"-?\d+", text.strip()):
                return self._error(400, f"{name} must be an integer")
            if int(text) < 0:
                return self._error(400, f"{name} must be non-negative")
        start, max_results = int(start_text), int(max_text)
        if max_results > MAX_RESULTS_PER_CALL:
            message = f"max_results must be less than or equal to {MAX_RESULTS_PER_CALL}"
            return self._error(400, message)
        if start + max_results > MAX_RESULTS_TOTAL:
            message = f"start plus max_results must not exceed {MAX_RESULTS_TOTAL}"
            return self._error(400, message)
        if sort_by not in _SORT_BY:
            return self._error(400, f"sortBy must be one of {', '.join(_SORT_BY)}")
        if sort_order not in _SORT_ORDER:
            return self._error(400, f"sortOrder must be one of {', '.join(_SORT_ORDER)}")

        # candidates: (paper, version) from id_list, or the whole corpus
        candidates: list[tuple[_Indexed, int]] = []
        if id_list.strip():
            seen: set[tuple[str, int]] = set()
            for item in id_list.split(","):
                if not item.strip():
                    continue
                parsed = parse_id(item)
                if parsed is None:
                    return self._error(
                        self.id_error_status, f"incorrect id format for {item.strip()}"
                    )
                indexed = self._index.get(parsed[0])
                if indexed is None:
                    continue
                version = parsed[1] or indexed.paper.version
                if not 1 <= version <= indexed.paper.version or (parsed[0], version) in seen:
                    continue
                seen.add((parsed[0], version))
                candidates.append((indexed, version))
        node: Node | None = None
        if search_query.strip():
            if self.reject_non_ascii and not search_query.isascii():
                return self._error(400, "search_query must be ASCII", code="non_ascii_query")
            try:
                node = parse_query(search_query, hyphen_as_not=self.hyphen_as_not)
            except QuerySyntaxError as exc:
                return self._error(self.query_error_status, str(exc), code="malformed_query")
            if not id_list.strip():
                candidates = [(ix, ix.paper.version) for ix in self._index.values()]
            candidates = [(ix, v) for ix, v in candidates if ix.matches(node)]

        candidates = self._sorted(candidates, sort_by, sort_order)
        total = 0 if empty else len(candidates)
        page = [] if empty else candidates[start : start + max_results]
        req = _Request(search_query, id_list, start, max_results, start_text, max_text)
        entries = [render_entry(ix.paper, v, wrap=self.wrap) for ix, v in page]
        feed = render_feed(req, entries, total, self._now())
        served = tuple(f"{ix.paper.id}v{v}" for ix, v in page)
        return _Response(200, feed, [("Content-Type", _ATOM_TYPE)], served)

    def _sorted(
        self, items: list[tuple[_Indexed, int]], sort_by: str, sort_order: str
    ) -> list[tuple[_Indexed, int]]:
        def by_id(item: tuple[_Indexed, int]) -> tuple[tuple[int, int, int], int]:
            return _id_sort_key(item[0].paper.id), item[1]

        if sort_by == "relevance":
            ordered = sorted(items, key=by_id, reverse=True)
            if self.order == "shuffle":
                random.Random(self.seed).shuffle(ordered)
            return ordered
        attr = "updated" if sort_by == "lastUpdatedDate" else "published"
        return sorted(
            sorted(items, key=by_id),
            key=lambda item: getattr(item[0].paper, attr),
            reverse=sort_order == "descending",
        )


def unused_url() -> str:
    """An ``/api/query`` URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


@pytest.fixture
def arxiv_server() -> Iterator[ArxivServer]:
    """A running :class:`ArxivServer` with the default corpus, stopped after the test.

    Import it into a conftest (``from tests.arxiv_server import arxiv_server``) to use it.
    """
    with ArxivServer.start(corpus=load_corpus()) as server:
        yield server
