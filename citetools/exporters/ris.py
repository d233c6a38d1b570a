"""RIS, as EndNote, Zotero and Mendeley import it.

A record is ``TY  - `` first, then one ``XX  - value`` line per value, then ``ER  - ``; records
are separated by one blank line. Lines end in CRLF, as the RIS specification asks and as
Zotero's own RIS export writes (the reader takes LF too). Values are plain text on one line: line
breaks inside a value become spaces.

=====  =====================================================================================
TY     ``GEN`` for preprints and ``misc`` (RIS has no preprint type; it is what Zotero writes
       for its preprint items), ``JOUR``, ``CONF``, ``CHAP``, ``BOOK``, ``THES``, ``RPRT``,
       ``ELEC`` (online), ``UNPB`` (unpublished)
TI     title
AU     one per author: ``Family, Given, Suffix``, the particle in front of the family name
       (``van Beethoven, Ludwig, Jr.``); corporate authors as written (``Inferix Team``). A
       comma inside a name part cannot be told from the separators (a limit of RIS itself)
T2     venue (journal, proceedings or book title)
AB     abstract
AD     affiliation
DA/PY  ``2026/05/29/`` (unknown parts left empty: ``2026///``) and the year
DO     DOI; for an arXiv preprint without one, the arXiv DOI ``10.48550/arXiv.<id>``
UR     URL; for a record with an arXiv id and none, its abstract page (DOI and URL bare, as
       in BibTeX: :func:`~citetools.normalize.arxiv.arxiv_links`)
AN/DB  the bare arXiv id as accession number ``arXiv:2605.31603`` (no version, as BibTeX's
       ``eprint`` and CSL's ``number``) in database ``arXiv``
SP EP  pages, volume, number, publisher, address, edition, language, ISBN (the BibTeX
VL IS  fields of those names, kept in ``Record.extra``)
PB CY
ET LA
SN
N1     notes: ``et al.`` when the author list is truncated (RIS has no mark for it), the
       record's own note, then every other extra field as ``name: value``
KW     one per keyword: arXiv categories (primary first), the record's own keywords,
       ``org:<tag>``, ``code-available``
ID     citation key
=====  =====================================================================================

Chosen with the import code of real clients (``tests/integration/test_clients.py``): Zotero's
RIS importer keeps every value. No spelling keeps a corporate name whole in JabRef 3.8.2's or
bibutils' RIS importer (``Name,`` and ``{Name}`` are split too; Zotero would keep the braces),
nor a date's day in JabRef's (it takes year and month of any date tag); JabRef 3.8.2 reads ``DO``
only after ``doi:``, which the RIS specification does not write: their users import the .bib.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from citetools.exporters.bibtex import keyword_list, write_entries
from citetools.formats.ris import (
    ARXIV_DATABASE,
    ARXIV_PREFIX,
    ET_AL,
    EXTRA_TAGS,
    TYPES,
)
from citetools.model import PartialDate, Person, Record
from citetools.normalize.arxiv import arxiv_links

NEWLINE = "\r\n"
DEFAULT_TYPE = "GEN"
_PAGE_RANGE = re.compile(r"^(.+?)\s*[-\u2010-\u2015]+\s*(.+)$")


def format_name(person: Person) -> str:
    """``Family, Given, Suffix``; corporate names as written."""
    if person.literal:
        return person.family
    parts = [" ".join(p for p in (person.particle, person.family) if p), person.given]
    if person.suffix:
        parts.append(person.suffix)
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return ", ".join(parts)


def format_date(date: PartialDate) -> str:
    """``YYYY/MM/DD/`` with unknown parts left empty."""
    year = f"{date.year:04d}" if date.year is not None else ""
    month = f"{date.month:02d}" if date.month is not None else ""
    day = f"{date.day:02d}" if date.day is not None else ""
    return f"{year}/{month}/{day}/"


def ris_keywords(record: Record) -> list[str]:
    """Categories first, then the keywords BibTeX would write, one keyword each."""
    split = (k.strip() for item in keyword_list(record) for k in item.split(","))
    return [*record.categories, *filter(None, split)]


def _pages(value: str) -> Iterator[tuple[str, str]]:
    match = _PAGE_RANGE.match(value.strip())
    if match:
        yield "SP", match.group(1)
        yield "EP", match.group(2)
    else:
        yield "SP", value


def _extra(record: Record) -> tuple[dict[str, str], list[str]]:
    """(tag -> value for extra fields with a tag, notes): the note, then ``name: value``."""
    tagged: dict[str, str] = {}
    others: dict[str, str] = {}
    for name, value in record.extra.items():
        name = name.lower()
        if name in EXTRA_TAGS:
            tagged.setdefault(EXTRA_TAGS[name], value)
        elif name == "pages":
            for tag, part in _pages(value):
                tagged.setdefault(tag, part)
        elif name != "keywords":
            others.setdefault(name, value)
    note = others.pop("note", None)
    notes = [note] if note else []
    return tagged, notes + [f"{name}: {others[name]}" for name in sorted(others)]


def ris_tags(record: Record) -> Iterator[tuple[str, str]]:
    """The record as (tag, value) pairs, ``TY`` first, without ``ER``."""
    yield "TY", TYPES.get(record.entry_type, DEFAULT_TYPE)
    if record.title:
        yield "TI", record.title
    for person in record.authors:
        yield "AU", format_name(person)
    if record.venue:
        yield "T2", record.venue
    if record.abstract:
        yield "AB", record.abstract
    if record.affiliation:
        yield "AD", record.affiliation
    if record.date is not None:
        yield "DA", format_date(record.date)
        if record.date.year is not None:
            yield "PY", f"{record.date.year:04d}"
    ids = record.ids
    doi, url = arxiv_links(record) if ids.arxiv else (ids.doi, ids.url)
    if doi:
        yield "DO", doi
    tagged, notes = _extra(record)
    for tag in ("SP", "EP", *EXTRA_TAGS.values()):
        if tag in tagged:
            yield tag, tagged[tag]
    if url:
        yield "UR", url
    if ids.arxiv:
        yield "AN", ARXIV_PREFIX + ids.arxiv
        yield "DB", ARXIV_DATABASE
    if record.authors_truncated:
        yield "N1", ET_AL
    for note in notes:
        yield "N1", note
    for keyword in ris_keywords(record):
        yield "KW", keyword
    if record.key:
        yield "ID", record.key


def one_line(value: str) -> str:
    """Line breaks (every one ``str.splitlines`` knows) become spaces; ends are trimmed."""
    return " ".join(value.splitlines()).strip()


def format_record(record: Record) -> str:
    lines = [f"{tag}  - {value}" for tag, raw in ris_tags(record) if (value := one_line(raw))]
    lines.append("ER  - ")
    return NEWLINE.join(lines) + NEWLINE


class RisExporter:
    name = "ris"
    description = "RIS (.ris) for EndNote, Zotero and Mendeley: one tagged line per value, CRLF"
    suffixes = (".ris",)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        write_entries(out, map(format_record, records), NEWLINE)
