"""RIS files (EndNote, Zotero, Mendeley, publishers' "export citation").

The reverse of :mod:`citetools.exporters.ris`: what it writes reads back to records that write
the same RIS again. Files from other tools are read too, with the common alternative tags
(``T1``, ``A1``, ``Y1``, ``N2``, ``JO``, ``JF``) and LF or CRLF line ends.

Nothing is dropped silently. Each of these is a problem naming file and line, and reading goes
on: a line inside a record that is not ``XX  - value`` (read as the continuation of the value
before it, as Zotero does), text between records, a record without its ``ER  - `` line (it
ends where the next ``TY`` or the file does), a repeated single-valued tag (the first value is
kept), a tag citetools has no place for (reported once per file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from citetools.errors import Problem, ReadError
from citetools.formats import OwnKeywords, own_keywords
from citetools.formats.ris import (
    ARXIV_DATABASE,
    ARXIV_PREFIX,
    ET_AL,
    EXTRA_TAGS,
    TYPES,
)
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.normalize.arxiv import PREPRINT_ENTRY_TYPES, without_derived_links
from citetools.normalize.categories import ARXIV_CATEGORIES
from citetools.readers import ReadResult, Source

_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")
_START = re.compile(r"\A\s*TY {1,2}- ")
_DATE = re.compile(r"^(\d{1,4})?/(\d{1,2})?/(\d{1,2})?(?:/.*)?$")
_YEAR = re.compile(r"^(\d{4})")
_ARXIV_ID = re.compile(r"^(.+?)(?:v(\d+))?$")
_FIELD_NOTE = re.compile(r"^([a-z][a-z0-9_.+-]*): (.+)$")
_ALIASES: Final = {"T1": "TI", "A1": "AU", "Y1": "DA", "N2": "AB", "JO": "T2", "JF": "T2"}
_REPEATED: Final = frozenset({"AU", "KW", "N1"})
_KNOWN: Final = frozenset(
    {"TY", "TI", "AU", "T2", "AB", "AD", "DA", "PY", "DO", "UR", "AN", "SP", "EP", "ID"}
    | set(EXTRA_TAGS.values())
    | _REPEATED
)
_ENTRY_TYPES: Final = {ris: bib for bib, ris in reversed(TYPES.items())}
_FIELDS: Final = {tag: name for name, tag in EXTRA_TAGS.items()}


@dataclass(slots=True)
class _Entry:
    """One record's tagged lines: tag -> values, and the line of its ``TY``."""

    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)

    def first(self, tag: str) -> str | None:
        values = self.tags.get(tag)
        return values[0] if values else None


def parse_name(text: str) -> Person:
    """``Family, Given, Suffix`` -> Person; a name without a comma is corporate when it has
    several words (``Inferix Team``). Leading lower-case words of the family part are the
    particle (``van Beethoven``)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        words = text.split()
        return Person(family=" ".join(words), literal=len(words) > 1)
    words = parts[0].split()
    cut = 0
    while cut < len(words) - 1 and words[cut][:1].islower():
        cut += 1
    return Person(
        given=parts[1],
        family=" ".join(words[cut:]),
        particle=" ".join(words[:cut]),
        suffix=", ".join(parts[2:]),
    )


def _date(entry: _Entry) -> PartialDate | None:
    """``DA`` (``2026/05/29/``; a bare year too), its year completed from ``PY``."""
    year = month = day = None
    text = entry.first("DA") or ""
    if match := _DATE.match(text):
        year, month, day = (int(g) if g else None for g in match.groups())
    for found in (_YEAR.match(text), _YEAR.match(entry.first("PY") or "")):
        if year is None and found:
            year = int(found.group(1))
    if year is None and month is None and day is None:
        return None
    return PartialDate(year, month, day)


def _ids(entry: _Entry, entry_type: str) -> Ids:
    arxiv = version = None
    accession = entry.first("AN") or ""
    if accession.startswith(ARXIV_PREFIX) and (
        match := _ARXIV_ID.match(accession[len(ARXIV_PREFIX) :])
    ):
        arxiv = match.group(1)
        version = int(match.group(2)) if match.group(2) else None
    ids = Ids(arxiv=arxiv, arxiv_version=version, doi=entry.first("DO"), url=entry.first("UR"))
    # (the exporter's stand-ins for a missing DOI and URL)
    return without_derived_links(ids, preprint=entry_type in PREPRINT_ENTRY_TYPES)


def _keywords(values: list[str]) -> tuple[tuple[str, ...], OwnKeywords]:
    """The categories, and the other keywords sorted (see :func:`own_keywords`). Categories
    are the arXiv ids the list starts with, as the exporter writes them."""
    lead = 0
    while lead < len(values) and values[lead] in ARXIV_CATEGORIES:
        lead += 1
    return tuple(values[:lead]), own_keywords(values[lead:])


def _extra(entry: _Entry) -> tuple[dict[str, str], bool]:
    """(extra fields, author list truncated) from tagged fields, pages and notes."""
    extra = {_FIELDS[tag]: values[0] for tag, values in entry.tags.items() if tag in _FIELDS}
    start, end = entry.first("SP"), entry.first("EP")
    if start or end:
        extra["pages"] = "--".join(filter(None, (start, end)))
    truncated = False
    notes: list[str] = []
    for note in entry.tags.get("N1", []):
        if note == ET_AL:
            truncated = True
        elif match := _FIELD_NOTE.match(note):
            extra.setdefault(match.group(1), match.group(2))
        else:
            notes.append(note)
    if notes:
        extra.setdefault("note", "; ".join(notes))
    return extra, truncated


def entry_to_record(entry: _Entry, source: str) -> Record:
    ris_type = (entry.first("TY") or "").upper()
    categories, keywords = _keywords(entry.tags.get("KW", []))
    extra, truncated = _extra(entry)
    if keywords.other:
        extra["keywords"] = ", ".join(keywords.other)
    return Record(
        entry_type=(entry_type := _ENTRY_TYPES.get(ris_type, "misc")),
        title=entry.first("TI"),
        authors=tuple(parse_name(name) for name in entry.tags.get("AU", [])),
        authors_truncated=truncated,
        date=_date(entry),
        venue=entry.first("T2"),
        abstract=entry.first("AB"),
        categories=categories,
        ids=_ids(entry, entry_type),
        has_code=keywords.has_code,
        orgs=keywords.orgs,
        affiliation=entry.first("AD"),
        extra=extra,
        key=entry.first("ID"),
        provenance=(Provenance(source, entry.line, "ris"),),
    )


@dataclass(slots=True)
class _Parser:
    """Splits a RIS text into entries, collecting problems as it goes."""

    source: str
    entries: list[_Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)  # tag -> first line
    current: _Entry | None = None
    last: tuple[str, int] | None = None  # the value a continuation line extends

    def warn(self, message: str, line: int) -> None:
        self.problems.append(Problem(message, self.source, line))

    def close(self, line: int, why: str) -> None:
        if self.current is not None:
            self.warn(f"record from line {self.current.line} has no 'ER  - ' line; {why}", line)
        self.current = self.last = None

    def feed(self, number: int, line: str) -> None:
        match = _LINE.match(line)
        if match and match.group(1) == "TY":
            self.close(number, "it ends before the next TY")
            self.current = _Entry(number)
            self.entries.append(self.current)
        if self.current is None:
            if line.strip():
                self.warn("text outside a record (records start with 'TY  - '): ignored", number)
        elif match is None:
            self.warn("not a RIS line 'XX  - value': read as the end of the value before", number)
            self.extend(self.current, line.strip())
        elif match.group(1) == "ER":
            self.current = self.last = None
        else:
            tag = _ALIASES.get(match.group(1), match.group(1))
            self.add(self.current, number, tag, (match.group(2) or "").strip())

    def extend(self, entry: _Entry, text: str) -> None:
        if self.last is not None and self.last[0] != "TY" and text:
            tag, index = self.last
            entry.tags[tag][index] += " " + text

    def add(self, entry: _Entry, number: int, tag: str, value: str) -> None:
        self.last = None
        if tag == "DB" and value == ARXIV_DATABASE:
            return  # says no more than the arXiv accession number does
        if tag not in _KNOWN:
            self.unknown.setdefault(tag, number)
            return
        if not value:
            return  # as Zotero does: an empty value says nothing
        values = entry.tags.setdefault(tag, [])
        if values and tag not in _REPEATED:
            self.warn(f"repeated {tag}: the first value is kept", number)
            return
        values.append(value)
        self.last = (tag, len(values) - 1)


class RisReader:
    name = "ris"
    description = "RIS files (.ris) from EndNote, Zotero, Mendeley and publishers"
    suffixes = (".ris",)

    def sniff(self, given: Source) -> bool:
        text = given.text()
        return bool(_START.match(text))

    def read(self, given: Source) -> ReadResult:
        text, source = given.text(), given.name
        parser = _Parser(source)
        lines = text.splitlines()
        for number, line in enumerate(lines, 1):
            parser.feed(number, line)
        parser.close(len(lines), "it ends at the end of the file")
        if not parser.entries:
            raise ReadError(
                "no RIS record in this file (records start with 'TY  - ')", source=source
            )
        for tag, first in parser.unknown.items():
            parser.warn(f"tag {tag} has no place in a citetools record: ignored", first)
        return ReadResult(
            records=[entry_to_record(entry, source) for entry in parser.entries],
            problems=sorted(parser.problems, key=lambda problem: problem.line or 0),
        )
