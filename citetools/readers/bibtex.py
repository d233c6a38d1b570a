"""BibTeX / biblatex files, parsed by bibtexparser 2.

Field values are decoded from LaTeX to plain text; identifiers (url, doi, eprint) are kept
verbatim. Fields citetools has no place for stay in ``Record.extra``, so a hand-added field
survives a round trip. Blocks bibtexparser cannot use (syntax errors, duplicate keys) become
problems naming the file and line. A field given twice in an entry (in any case) is read as
BibTeX reads it: the first value wins, and each repeat is a warning naming its line. Dates are
read as biber reads them (:mod:`citetools.readers.bibdates`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace

import bibtexparser  # type: ignore[attr-defined,unused-ignore]
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
    String,
)

from citetools.errors import Problem
from citetools.formats import AFFILIATION_PREFIX, OwnKeywords, own_keywords
from citetools.formats.bibtex import DATE_FIELDS, TRAILER_PATTERN, VERBATIM
from citetools.model import Ids, Origin, Provenance, Record, evolve
from citetools.normalize import clean_fields, map_categories
from citetools.normalize.arxiv import ARXIV_PUBLISHER, PREPRINT_ENTRY_TYPES, without_derived_links
from citetools.normalize.categories import normalize_category
from citetools.normalize.latex import decode
from citetools.normalize.names import parse_bibtex_names
from citetools.readers import ReadResult, Source
from citetools.readers.bibdates import entry_date
from citetools.readers.bibmacros import MONTHS, expand

_ARXIV_VERSION = re.compile(r"^(.*?)v(\d+)$")
_RAW = VERBATIM | DATE_FIELDS  # (not LaTeX)
_CONSUMED = {
    "title",
    "author",
    "year",
    "month",
    "date",
    "eprint",
    "archiveprefix",
    "eprinttype",
    "primaryclass",
    "eprintclass",
    "doi",
    "url",
    "journal",
    "journaltitle",
    "booktitle",
    "howpublished",
    "abstract",
    "keywords",
}


def fields_of(entry: Entry) -> tuple[dict[str, str], list[Field]]:
    """An entry's field values by lower-case name as BibTeX reads them -- of a field given more
    than once (in any case), the first value -- and the repeats, which BibTeX ignores."""
    raw = {f.key.lower(): str(f.value) for f in entry.fields}
    if len(raw) == len(entry.fields):
        return raw, []
    raw, repeats = {}, []
    for f in entry.fields:
        if f.key.lower() in raw:
            repeats.append(f)
        else:
            raw[f.key.lower()] = str(f.value)
    return raw, repeats


def repeat_warning(entry: Entry, repeat: Field) -> str:
    """What a repeated field of ``entry`` is told as."""
    value = str(repeat.value)
    shown = value if len(value) <= 40 else value[:37] + "..."
    return (
        f"field {repeat.key.lower()!r} given twice in entry {entry.key!r}: the first value is "
        f"kept, as BibTeX does, and this one ({shown!r}) ignored"
    )


def entry_to_record(
    entry: Entry,
    source: str,
    problems: list[Problem] | None = None,
    decoded: dict[str, str] | None = None,
) -> Record:
    """The record of a parsed entry; a warning added to ``problems`` for each repeated field
    and each date field kept as written. ``decoded``: the plain text of values decoded before
    (a file's entries share many: a macro's, a journal's), added to as values are decoded."""
    raw, repeats = fields_of(entry)
    if decoded is None:
        decoded = {}
    text, latex = _plain(raw, decoded)
    kept: dict[str, str] = {}
    notes: dict[str, str] = {}
    date = entry_date(text, kept, notes)
    if problems is not None:
        problems.extend(
            Problem(repeat_warning(entry, f), source, (f.start_line or 0) + 1) for f in repeats
        )
        problems.extend(
            Problem(note, source, _line(entry, name, repeats)) for name, note in notes.items()
        )
    authors, truncated = parse_bibtex_names(raw["author"]) if "author" in raw else ((), False)
    arxiv, version = text.get("eprint"), None
    if arxiv and (m := _ARXIV_VERSION.match(arxiv)):
        arxiv, version = m.group(1), int(m.group(2))
    primary_class = text.get("primaryclass") or text.get("eprintclass")
    categories, keywords = _keywords(text.get("keywords", ""), primary_class)
    title = text.get("title") or None
    on_arxiv = bool(arxiv or categories)
    extra, affiliation = _extra(text, kept, keywords.other, on_arxiv, (title, entry.key))
    latex.difference_update(kept)
    entry_type = entry.entry_type.lower()
    return Record(
        entry_type=entry_type,
        title=title,
        authors=authors,
        authors_truncated=truncated,
        date=date,
        venue=text.get("journal")
        or text.get("journaltitle")
        or text.get("booktitle")
        or text.get("howpublished")
        or None,
        abstract=text.get("abstract") or None,
        categories=tuple(categories),
        ids=without_derived_links(  # (the DOI and URL the exporter derives from eprint)
            Ids(arxiv or None, version, text.get("doi") or None, text.get("url") or None),
            preprint=entry_type in PREPRINT_ENTRY_TYPES,
        ),
        has_code=keywords.has_code,
        orgs=keywords.orgs,
        affiliation=affiliation,
        extra=LatexFields(extra, frozenset(latex), decoded) if latex else extra,
        key=entry.key,
        provenance=(Provenance(source, (entry.start_line or 0) + 1, "bibtex"),),
    )


def _plain(raw: dict[str, str], decoded: dict[str, str]) -> tuple[dict[str, str], set[str]]:
    """Each field's text: verbatim and date fields stripped, those the record is made of
    decoded from LaTeX (through ``decoded``, added to), the others as written -- and the names
    of those others, decoded when first read (see :class:`LatexFields`)."""
    text = {}
    latex = set()
    for k, v in raw.items():
        if k in _RAW:
            text[k] = v.strip()
        elif k not in _EAGER:
            text[k] = v
            latex.add(k)
        elif (plain := decoded.get(v)) is not None:
            text[k] = plain
        else:
            text[k] = decoded[v] = decode(v)
    return text, latex


def _keywords(written: str, primary_class: str | None) -> tuple[list[str], OwnKeywords]:
    """The arXiv categories of an entry's ``keywords`` (after the primary class; as citetools
    writes them) and its other keywords sorted (see :func:`own_keywords`)."""
    categories = [primary_class] if primary_class else []
    rest: list[str] = []
    for keyword in filter(None, (k.strip() for k in written.split(","))):
        if normalize_category(keyword) != keyword:  # not an arXiv category id
            rest.append(keyword)
        elif keyword not in categories:
            categories.append(keyword)
    return categories, own_keywords(rest)


def _extra(
    text: dict[str, str],
    kept: dict[str, str],
    other_keywords: list[str],
    on_arxiv: bool,
    title_and_key: tuple[str | None, str],
) -> tuple[dict[str, str], str | None]:
    """The fields the record has no place for, and the affiliation: less the fields citetools
    writes itself from the record (an affiliation note; arXiv as the organization of an entry
    ``on_arxiv``; the sort key of an author-less entry: its title or key), with the date fields
    ``kept`` as written and the keywords that are not citetools' own."""
    extra = {k: v for k, v in text.items() if k not in _CONSUMED}
    extra.update(kept)
    if other_keywords:
        extra["keywords"] = ", ".join(other_keywords)
    affiliation = None
    for name in ("annote", "annotation"):  # BibTeX / biblatex spelling
        if extra.get(name, "").startswith(AFFILIATION_PREFIX):
            affiliation = extra.pop(name)[len(AFFILIATION_PREFIX) :]
    if extra.get("organization") == ARXIV_PUBLISHER and on_arxiv:
        del extra["organization"]  # written by citetools for arXiv preprints
    if "key" in extra and extra["key"] in title_and_key:
        del extra["key"]  # the sort key citetools writes for author-less entries
    return extra, affiliation


# Fields decoded as they are read: those the record is made of, and those looked at to make it.
_EAGER = _CONSUMED | {"annote", "annotation", "organization", "key"}


class LatexFields(Mapping[str, str]):
    """The fields of a .bib entry kept in ``Record.extra``, as plain text: those named in
    ``latex`` are decoded from LaTeX when first read. Most are never read (a .bib written from
    the record is written as its file was) and decoding is most of the cost of reading a
    .bib. ``decoded``: the file's values decoded so far (their plain text), shared by its
    entries and added to. Equal to any mapping of the same plain text, as a dict."""

    __slots__ = ("_decoded", "_latex", "_values")

    def __init__(
        self, values: dict[str, str], latex: frozenset[str], decoded: dict[str, str]
    ) -> None:
        self._values, self._latex, self._decoded = values, latex, decoded

    def __getitem__(self, name: str) -> str:
        value = self._values[name]
        if name not in self._latex:
            return value
        plain = self._decoded.get(value)
        if plain is None:
            plain = self._decoded[value] = decode(value)
        return plain

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return repr(dict(self))


class RepeatedFieldsRead(BlockMiddleware):
    """bibtexparser fails a whole entry that gives a field twice (a ``DuplicateFieldKeyBlock``),
    where BibTeX reads it; this gives the entry back, every field in it, first in the parse
    stack so that the rest resolves its macros and braces (:func:`fields_of` keeps the first)."""

    def transform_failed_block(self, failed_block: ParsingFailedBlock, library: Library) -> Block:
        entry = failed_block.ignore_error_block
        if isinstance(failed_block, DuplicateFieldKeyBlock) and isinstance(entry, Entry):
            return entry
        return failed_block


def _line(entry: Entry, name: str, repeats: list[Field]) -> int:
    """The line of the field ``name`` (its first value) in ``entry``."""
    field = next((f for f in entry.fields if f.key.lower() == name and f not in repeats), None)
    start = field.start_line if field is not None else entry.start_line
    return (start or 0) + 1


def parse_bibtex(text: str) -> Library:
    """bibtexparser's parse (entries with a repeated field read, see
    :class:`RepeatedFieldsRead`), without its log lines: failures come back as failed blocks,
    which callers report themselves (with file and line)."""
    return parse_written(text)[0]


Written = tuple[tuple[str, str], ...]


def parse_written(text: str) -> tuple[Library, list[Written]]:
    """:func:`parse_bibtex`, and the fields of each of its entries as written: name and value
    as the file spells them, before macros are expanded and delimiters taken off."""
    quiet = logging.getLogger("bibtexparser")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        library = bibtexparser.parse_string(text, parse_stack=[RepeatedFieldsRead()])  # type: ignore[attr-defined,unused-ignore]
    finally:
        quiet.level = level
    written = []
    macros = dict(MONTHS)
    for block in library.blocks:
        if isinstance(block, Entry):
            written.append(tuple((f.key, str(f.value)) for f in block.fields))
            for f in block.fields:
                f.value = expand(str(f.value), macros)
        elif isinstance(block, String):
            block.value = macros[block.key.lower()] = expand(str(block.value), macros)
    return library, written


_TRAILER = re.compile(TRAILER_PATTERN)


def origins(text: str, entries: list[Entry], written: list[Written]) -> list[Origin | None]:
    """Each entry's :class:`Origin` but for ``read``, which is left empty (``None`` for an entry
    not found in ``text`` as bibtexparser gives it: it is then written anew). The file's text
    between entries goes with the entry after it, its end with the last one, less the
    trailer of a file citetools wrote (the writer adds a new one)."""
    found: list[Origin | None] = []
    end = 0
    last = None
    for entry, fields in zip(entries, written, strict=True):
        raw = entry.raw or ""
        start = text.find(raw, end) if raw else -1
        if start < 0:
            found.append(None)
            continue
        last = len(found)
        found.append(Origin(raw, fields, _UNREAD, before=text[end:start], index=last))
        end = start + len(raw)
    if last is not None:
        origin = found[last]
        assert origin is not None
        found[last] = replace(origin, after=_TRAILER.sub("", text[end:]))
    return found


def failure(block: Block) -> str:
    """Why bibtexparser could not use a block, in one line."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or "")
    return reason.strip().split("\n")[-1].strip() or "syntax error"


class BibtexReader:
    name = "bibtex"
    description = "BibTeX and biblatex files (.bib), parsed with bibtexparser 2"
    suffixes = (".bib", ".bibtex")

    def sniff(self, given: Source) -> bool:
        text = given.text()
        return bool(re.search(r"^\s*@\w+\s*[{(]", text, re.MULTILINE))

    def read(self, given: Source) -> ReadResult:
        text, source = given.text(), given.name
        library, written = parse_written(text)
        result = ReadResult()
        for block in library.failed_blocks:
            line = (block.start_line or 0) + 1
            if isinstance(block, DuplicateBlockKeyBlock):
                message = f"duplicate key {block.key!r}: this entry was not read"
            else:
                message = f"entry could not be parsed and was skipped: {failure(block)}"
            result.problems.append(Problem(message, source, line, severity="error"))
        entries = library.entries
        decoded: dict[str, str] = {}
        for entry, origin in zip(entries, origins(text, entries, written), strict=True):
            record = read_record(entry_to_record(entry, source, result.problems, decoded))
            if origin is not None:
                record = evolve(record, origin=replace(origin, read=record))
            result.records.append(record)
        if not entries and text.strip():
            result.text = _TRAILER.sub("", text)
        return result


def read_record(record: Record) -> Record:
    """A record as read, normalized: what later stages compare with to see what they changed
    (normalizing it again changes nothing)."""
    return map_categories(clean_fields(record))


# (a placeholder: an Origin is given its record as read once that is made)
_UNREAD = Record()
