"""BibTeX / biblatex files, parsed by bibtexparser 2.

Field values are decoded from LaTeX to plain text; identifiers (url, doi, eprint) are kept
verbatim. Fields citetools has no place for stay in ``Record.extra``, so a hand-added field
survives a round trip. Blocks bibtexparser cannot use (syntax errors, duplicate keys) become
problems naming the file and line. A field given twice in an entry (in any case) is read as
BibTeX reads it: the first value wins, and each repeat is a warning naming its line.
"""

from __future__ import annotations

import logging
import re

import bibtexparser  # type: ignore[attr-defined,unused-ignore]
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
)

from citetools.errors import Problem
from citetools.formats import AFFILIATION_PREFIX, CODE_KEYWORD, ORG_PREFIX
from citetools.formats.bibtex import DATE_FIELDS, MONTH_MACROS, VERBATIM
from citetools.formats.dates import UNREAD, read_date
from citetools.model import Ids, PartialDate, Provenance, Record
from citetools.normalize.arxiv import ARXIV_PUBLISHER, PREPRINT_ENTRY_TYPES, without_derived_links
from citetools.normalize.categories import normalize_category
from citetools.normalize.latex import decode
from citetools.normalize.names import parse_bibtex_names
from citetools.readers import ReadResult, Source

_NUMBER = re.compile(r"[0-9]{1,4}")
_ARXIV_VERSION = re.compile(r"^(.*?)v(\d+)$")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
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


def _month(value: str) -> int | None:
    text = value.strip().lower().rstrip(".")
    if _NUMBER.fullmatch(text):
        number = int(text)
        return number if 1 <= number <= 12 else None
    for i, name in enumerate(_MONTH_NAMES):
        if text and (text == MONTH_MACROS[i] or text == name):
            return i + 1
    return None


def _date(
    fields: dict[str, str], kept: dict[str, str], notes: dict[str, str]
) -> PartialDate | None:
    """The date of ``date`` (biblatex; see :mod:`citetools.formats.dates`), else (as biber
    reads them) of ``year`` and ``month``. What the date does not wholly say -- a season or a
    range in ``date``, ``to appear`` in ``year``, ``Spring`` in ``month`` -- is put in ``kept``
    as written, and why in ``notes`` (by field name); so are ``year`` and ``month`` when they
    date the record in place of a ``date`` kept as written (a format that writes only ``date``
    needs them)."""
    found = None
    text = fields.get("date", "")
    if text:
        reading = read_date(text)
        found = reading.date
        if not reading.exact:
            kept["date"] = text
            what = reading.note if reading.note == UNREAD else f"not a plain date ({reading.note})"
            dated = f"dated {found.iso()}" if found else "no date read from it"
            notes["date"] = f"date {text!r} is {what}: kept as written, {dated}"
    year_text, month_text = fields.get("year", ""), fields.get("month", "")
    year = int(year_text) if _NUMBER.fullmatch(year_text) else None
    month = _month(month_text) if month_text else None
    if found is not None:  # year and month are ignored, as biber ignores them ...
        if month_text and month is None and found.month is None:  # ... but Summer is kept
            kept["month"] = month_text
            notes["month"] = f"month {month_text!r} is not a month: kept as written"
        return found
    if year_text and year is None:
        kept["year"] = year_text
        notes["year"] = f"year {year_text!r} is not a year: kept as written"
    if month_text and month is None:
        kept["month"] = month_text
        notes["month"] = f"month {month_text!r} is not a month: kept as written"
    if year is not None:
        found = PartialDate(year, month)
        if "date" in kept:
            kept["year"] = year_text
            if month is not None:
                kept["month"] = month_text
    elif month is not None:
        kept["month"] = month_text
        notes["month"] = f"month {month_text!r} has no year: kept as written"
    return found


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


def entry_to_record(entry: Entry, source: str, problems: list[Problem] | None = None) -> Record:
    """The record of a parsed entry; a warning added to ``problems`` for each repeated field
    and each date field kept as written."""
    raw, repeats = fields_of(entry)
    if repeats and problems is not None:
        problems.extend(
            Problem(repeat_warning(entry, f), source, (f.start_line or 0) + 1) for f in repeats
        )
    text = {k: (v.strip() if k in _RAW else decode(v)) for k, v in raw.items()}
    kept: dict[str, str] = {}
    notes: dict[str, str] = {}
    date = _date(text, kept, notes)
    if notes and problems is not None:
        problems.extend(
            Problem(note, source, _line(entry, name, repeats)) for name, note in notes.items()
        )
    authors, truncated = parse_bibtex_names(raw["author"]) if "author" in raw else ((), False)
    arxiv, version = text.get("eprint"), None
    if arxiv and (m := _ARXIV_VERSION.match(arxiv)):
        arxiv, version = m.group(1), int(m.group(2))
    category = text.get("primaryclass") or text.get("eprintclass")
    categories = [category] if category else []
    orgs: list[str] = []
    has_code = False
    other_keywords: list[str] = []
    for keyword in filter(None, (k.strip() for k in text.get("keywords", "").split(","))):
        if normalize_category(keyword) == keyword:  # an arXiv category id, as citetools writes
            if keyword not in categories:
                categories.append(keyword)
        elif keyword.startswith(ORG_PREFIX):
            orgs.append(keyword[len(ORG_PREFIX) :])
        elif keyword == CODE_KEYWORD:
            has_code = True
        else:
            other_keywords.append(keyword)
    extra = {k: v for k, v in text.items() if k not in _CONSUMED}
    extra.update(kept)
    if other_keywords:
        extra["keywords"] = ", ".join(other_keywords)
    affiliation = None
    for name in ("annote", "annotation"):  # BibTeX / biblatex spelling
        if extra.get(name, "").startswith(AFFILIATION_PREFIX):
            affiliation = extra.pop(name)[len(AFFILIATION_PREFIX) :]
    if extra.get("organization") == ARXIV_PUBLISHER and (arxiv or categories):
        del extra["organization"]  # written by citetools for arXiv preprints
    title = text.get("title") or None
    if "key" in extra and extra["key"] in (title, entry.key):
        del extra["key"]  # the sort key citetools writes for author-less entries
    return Record(
        entry_type=entry.entry_type.lower(),
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
            preprint=entry.entry_type.lower() in PREPRINT_ENTRY_TYPES,
        ),
        has_code=has_code,
        orgs=tuple(orgs),
        affiliation=affiliation,
        extra=extra,
        key=entry.key,
        provenance=(Provenance(source, (entry.start_line or 0) + 1, "bibtex"),),
    )


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
    quiet = logging.getLogger("bibtexparser")
    level, quiet.level = quiet.level, logging.CRITICAL
    stack = [RepeatedFieldsRead(), *default_parse_stack()]
    try:
        return bibtexparser.parse_string(text, parse_stack=stack)  # type: ignore[attr-defined,no-any-return,unused-ignore]
    finally:
        quiet.level = level


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
        library = parse_bibtex(text)
        result = ReadResult()
        for block in library.failed_blocks:
            line = (block.start_line or 0) + 1
            if isinstance(block, DuplicateBlockKeyBlock):
                message = f"duplicate key {block.key!r}: this entry was not read"
            else:
                message = f"entry could not be parsed and was skipped: {failure(block)}"
            result.problems.append(Problem(message, source, line, severity="error"))
        for entry in library.entries:
            result.records.append(entry_to_record(entry, source, result.problems))
        return result
