"""Canonical BibTeX.

One fixed field order, two-space indent, every value braced except month macros, entries in
input order separated by one blank line, UTF-8, final newline. Text is LaTeX-escaped
(:mod:`citetools.normalize.latex`; math symbols in titles and abstracts as ``{$\\sigma$}``, which
Zotero reads, elsewhere as ``{\\ensuremath{\\sigma}}``, which BibTeX counts as one letter: see
:func:`~citetools.normalize.latex.escape_text`), titles are case-protected
(:mod:`citetools.normalize.titles`), identifiers (url, doi, eprint) are written verbatim. The same
records always give the same bytes.

arXiv preprints follow arXiv's own export: ``@misc`` with ``eprint``, ``archivePrefix =
{arXiv}``, ``primaryClass``, and, unless the record has its own, the abstract page as ``url``
and the arXiv DOI ``10.48550/arXiv.<id>`` as ``doi``, the id bare in all three
(:func:`~citetools.normalize.arxiv.arxiv_links` says why). Styles that ignore ``eprint``
(plain, abbrv, plainnat) then show no arXiv id; ``BibtexExporter(arxiv_note=True)`` also
writes it as ``note = {arXiv preprint arXiv:<id>}`` (see :func:`add_arxiv_note`).

The helpers shared with the other exporters (:func:`verbatim`, :func:`keyword_list`,
:func:`extra_fields`, :func:`render_entry`, :func:`write_entries`) live here too. A date the
reader kept as written (``2011-22``, a season) is written so, beside the year it gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import fields, replace
from functools import lru_cache
from operator import attrgetter
from typing import TextIO

from citetools.errors import ExportError
from citetools.exporters.splice import splice
from citetools.formats import AFFILIATION_PREFIX, CODE_KEYWORD, ORG_PREFIX
from citetools.formats.bibtex import DATE_FIELDS, MONTH_MACROS, VERBATIM
from citetools.model import PartialDate, Record, evolve
from citetools.normalize.arxiv import ARXIV_PUBLISHER, arxiv_links, is_preprint
from citetools.normalize.latex import escape, escape_text
from citetools.normalize.names import format_bibtex_authors
from citetools.normalize.terms import DEFAULT_TERMS, ProtectedTerms, TermsOption, load_terms
from citetools.normalize.titles import protect_title

FIELD_ORDER = (
    "key",
    "title",
    "author",
    "editor",
    "journal",
    "booktitle",
    "howpublished",
    "publisher",
    "school",
    "institution",
    "organization",
    "address",
    "edition",
    "volume",
    "number",
    "pages",
    "year",
    "month",
    "date",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "doi",
    "url",
    "note",
    "keywords",
    "annote",
    "abstract",
)
# Canonical spelling of field names whose case BibTeX users expect.
FIELD_NAMES = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}
_VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
_URL_UNSAFE = str.maketrans({" ": "%20", "{": "%7B", "}": "%7D", '"': "%22", "\\": "%5C"})
_URL_UNSAFE_CHAR = re.compile("[" + re.escape("".join(map(chr, _URL_UNSAFE))) + "]")


def verbatim(value: str) -> str:
    """Identifiers are not LaTeX-escaped, but must not break the braces of the field."""
    if _URL_UNSAFE_CHAR.search(value) is None:
        return value  # the common case; translate is much slower even when it changes nothing
    return value.translate(_URL_UNSAFE)


def keyword_list(record: Record, *, categories: bool = False) -> list[str]:
    """Plain-text keywords: the arXiv categories (with ``categories``), the record's own (as one
    string), ``org:<tag>``, ``code-available`` -- the order of the CSL-JSON ``keyword``."""
    keywords = list(record.categories) if categories else []
    if "keywords" in record.extra:
        keywords.append(record.extra["keywords"])
    keywords.extend(ORG_PREFIX + org for org in record.orgs)
    if record.has_code:
        keywords.append(CODE_KEYWORD)
    return keywords


def extra_fields(
    record: Record,
    *,
    text: Callable[[str], str] = escape,
    names: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, str]]:
    """``Record.extra`` as (lower-case field name, source text): identifiers verbatim, the rest
    through ``text``; ``names`` renames fields. Keywords are left out (see :func:`keyword_list`)."""
    for name, value in record.extra.items():
        name = name.lower()
        name = names.get(name, name) if names else name
        if name in DATE_FIELDS:
            yield name, value if _balanced(value) else text(value)
        elif name != "keywords":
            yield name, verbatim(value) if name in VERBATIM else text(value)


def _balanced(value: str) -> bool:
    """Whether a value written as it is keeps to its braces (as any value read from a .bib)."""
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}" and (depth := depth - 1) < 0:
            return False
    return depth == 0 and not value.endswith("\\")


_ARXIV_NOTE = "arXiv preprint arXiv:{}"


def add_arxiv_note(record: Record) -> Record:
    """The record with ``arXiv preprint arXiv:<id>`` in its note, for styles that ignore eprint.

    No arXiv id, or a note that already names the id (any version): unchanged, so exporting an
    exported file again adds nothing. A note of its own keeps its text and gets the id appended
    as a new sentence: ``Accepted at CVPR. arXiv preprint arXiv:2605.31603``.
    """
    if not record.ids.arxiv:
        return record
    name = next((k for k in record.extra if k.lower() == "note"), "note")
    note = record.extra.get(name, "").strip()
    if note:  # (an empty note mentions nothing: no pattern to compile, one per id)
        mention = re.compile(re.escape("arXiv:" + record.ids.arxiv) + r"(?:v\d+)?(?!\w)", re.I)
        if mention.search(note):
            return record
    addition = _ARXIV_NOTE.format(record.ids.arxiv)
    if note:
        addition = f"{note}{'' if note.endswith(('.', '!', '?')) else '.'} {addition}"
    return replace(record, extra={**record.extra, name: addition})


def link_fields(record: Record) -> dict[str, str]:
    """``doi`` and ``url`` (verbatim), for an arXiv record the arXiv DOI and abstract page as
    arXiv's own export writes them: Zotero's BibTeX import drops eprint, bibutils too; both
    keep the DOI and the URL (:func:`~citetools.normalize.arxiv.arxiv_links`)."""
    ids = record.ids
    doi, url = arxiv_links(record) if ids.arxiv else (ids.doi, ids.url)
    links = {}
    if doi:
        links["doi"] = verbatim(doi)
    if url:
        links["url"] = verbatim(url)
    return links


def bibtex_fields(record: Record, terms: ProtectedTerms = DEFAULT_TERMS) -> dict[str, str]:
    """The record's fields as BibTeX source text (values without the outer braces); ``terms``:
    the protected terms of the title (:mod:`citetools.normalize.terms`)."""
    # (Filled in FIELD_ORDER's order, so format_entry need not sort a record without extras.)
    values: dict[str, str] = {}
    title = record.title
    authors = record.authors or record.authors_truncated
    if not authors:
        # Sorting styles need an author or a key (plain.bst: "to sort, need author or key").
        values["key"] = escape(title) if title else (record.key or "")
    if title:
        values["title"] = protect_title(title, terms)
    if authors:
        values["author"] = format_bibtex_authors(record.authors, record.authors_truncated)
    if record.venue:
        values[_VENUE_FIELD.get(record.entry_type, "howpublished")] = escape(record.venue)
    if is_preprint(record):
        # The CSL-JSON "publisher": arXiv (Zotero's convention). `organization` is what pandoc
        # and citation-js read as publisher, biber accepts for @misc (it rejects `publisher`),
        # and BibTeX's misc styles do not print.
        values["organization"] = ARXIV_PUBLISHER
    date = record.date
    if date is not None and date.year is not None:
        values["year"], month, iso = _date_values(date.year, date.month, date.day)
        if month is not None:
            values["month"] = month
        if "date" not in record.extra:  # (a date kept as written: a season, a range ...)
            values["date"] = iso
    ids = record.ids
    if ids.arxiv:
        values["eprint"] = verbatim(ids.arxiv)
        values["archiveprefix"] = "arXiv"
    primary_class = record.primary_class
    if primary_class:
        values["primaryclass"] = escape(primary_class)
    values.update(link_fields(record))
    # Categories in keywords too: converters that drop primaryClass keep them (and every
    # category survives, where primaryClass holds one).
    keywords = keyword_list(record, categories=True)
    if keywords:
        values["keywords"] = escape(", ".join(keywords))
    if record.affiliation:
        values["annote"] = escape(AFFILIATION_PREFIX + record.affiliation)
    if record.abstract:
        values["abstract"] = escape_text(record.abstract)
    if record.extra:
        for name, value in extra_fields(record):
            # (a month is written bare, as a macro: one kept as written, Spring, is braced)
            values.setdefault(name, f"{{{value}}}" if name == "month" else value)
    return values


@lru_cache(maxsize=4096)
def _date_values(year: int, month: int | None, day: int | None) -> tuple[str, str | None, str]:
    """year, month macro and ISO date of a date: a library's many entries of a day share them."""
    iso = PartialDate(year, month, day).iso()
    return str(year), MONTH_MACROS[month - 1] if month is not None else None, iso


def ordered_fields(
    values: Mapping[str, str], order: tuple[str, ...] = FIELD_ORDER
) -> Iterator[tuple[str, str]]:
    """The fields named in ``order`` in that order, then the others by name."""
    for name in order:
        if name in values:
            yield name, values[name]
    for name in sorted(values.keys() - order):
        yield name, values[name]


def render_entry(entry_type: str, key: str | None, fields: Iterable[tuple[str, str]]) -> str:
    """``@type{key,``, one ``  name = value`` line per field (values with their delimiters),
    ``}`` and a newline."""
    key = _require_key(key)
    body = ",\n".join([f"  {name} = {value}" for name, value in fields])
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def _require_key(key: str | None) -> str:
    if not key:
        raise ExportError("record has no citation key; assign keys before export", source=None)
    return key


# What goes before and after each value of FIELD_ORDER: ``  name = {`` and ``}`` (month: a
# macro, not braced), and each name's place in that order.
_DELIMITERS = {name: (f"  {FIELD_NAMES.get(name, name)} = {{", "}") for name in FIELD_ORDER}
_DELIMITERS["month"] = ("  month = ", "")
_FIELD_RANK = {name: rank for rank, name in enumerate(FIELD_ORDER)}


def format_entry(record: Record, terms: ProtectedTerms = DEFAULT_TERMS) -> str:
    """The record as one BibTeX entry: render_entry of its ordered_fields(bibtex_fields), built
    as one list of pieces joined once (abstracts are long, every copy counts)."""
    values = bibtex_fields(record, terms)
    key = _require_key(record.key)
    if not record.extra:
        names = list(values)  # (bibtex_fields fills them in FIELD_ORDER's order)
    elif values.keys() <= _FIELD_RANK.keys():
        names = sorted(values, key=_FIELD_RANK.__getitem__)
    else:  # fields from Record.extra that FIELD_ORDER does not name: after the others
        names = [name for name, _ in ordered_fields(values)]
    pieces = [f"@{record.entry_type}{{{key},\n"]
    for name in names:
        start, end = _DELIMITERS.get(name) or (f"  {FIELD_NAMES.get(name, name)} = {{", "}")
        pieces += (start, values[name], end, ",\n")
    if names:
        pieces.pop()  # no comma after the last field
    pieces.append("\n}\n")
    return "".join(pieces)


# What makes a record another paper, or the same paper told otherwise: all but its key, where
# it was read, where a field came from and how a .bib wrote it.
_FACTS = attrgetter(
    *(f.name for f in fields(Record) if f.name not in ("key", "provenance", "sources", "origin"))
)


def as_written(record: Record, terms: ProtectedTerms = DEFAULT_TERMS) -> str | None:
    """A record read from a .bib as its file wrote it (from ``@`` to the closing brace), with
    what a later stage changed spliced in: a new key, the fields whose value changed, the
    fields added (a title with ``terms`` protected); every other byte as in the file. None for
    a record read from elsewhere."""
    origin = record.origin
    if origin is None:
        return None
    read, key = origin.read, _require_key(record.key)
    if key == read.key and _FACTS(record) == _FACTS(read):
        return origin.text
    now, then = bibtex_fields(record, terms), bibtex_fields(evolve(read, key=key), terms)
    changed = {
        name: value if name == "month" else f"{{{value}}}"
        for name, value in now.items()
        if then.get(name) != value
    }
    if "key" in changed and not any(name.lower() == "key" for name, _ in origin.fields):
        del changed["key"]  # (the sort key written for a new entry: a .bib's own has none)
    return splice(origin, key, changed, FIELD_NAMES)


def write_kept(out: TextIO, pieces: Iterable[tuple[str, str, str, bool]]) -> None:
    """Entries, each with what its file held before and after it (``""`` for an entry written
    anew) and whether it directly follows the one before in its file: such entries come out
    as the file had them, with what it had between them. Other entries are kept apart by one
    blank line, and the output ends with a line break."""
    tail = ""  # the end of what is written so far
    for before, entry, after, follows in pieces:
        if tail and not follows:
            out.write("\n" * max(0, 2 - (len(tail) - len(tail.rstrip("\n"))) - _lead(before)))
        if before:  # (an entry written anew has nothing before or after it)
            out.write(before)
        out.write(entry)
        if after:
            out.write(after)
        tail = (tail + before[-2:] + entry[-2:] + after[-2:])[-2:]  # (no copy of the entry)
    if tail and not tail.endswith("\n"):
        out.write("\n")


def _lead(text: str) -> int:
    """How many line breaks ``text`` starts with (two at most)."""
    return 2 if text.startswith("\n\n") else 1 if text.startswith("\n") else 0


def write_entries(out: TextIO, entries: Iterable[str], separator: str = "\n") -> None:
    """Stream entries (each ending in a line break) separated by one blank line."""
    for i, entry in enumerate(entries):
        out.write(separator + entry if i else entry)


class BibtexExporter:
    name = "bibtex"
    description = "Canonical BibTeX (.bib) with LaTeX-escaped text and case-protected titles"
    suffixes = (".bib",)
    keeps_text = True  # an entry read from a .bib is written as its file wrote it (as_written)

    def __init__(self, *, arxiv_note: bool = False, protected_terms: TermsOption = None) -> None:
        self.arxiv_note = arxiv_note
        self.terms = load_terms(protected_terms)

    def format(self, record: Record) -> str:
        """The record's entry and what its file held around it, as :meth:`write` writes them."""
        before, entry, after, _ = self._pieces(record, None)
        return before + entry + after

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        write_kept(out, self._all_pieces(records))

    def _all_pieces(self, records: Iterable[Record]) -> Iterator[tuple[str, str, str, bool]]:
        previous = None
        for record in records:
            yield self._pieces(record, previous)
            previous = record

    def _pieces(self, record: Record, previous: Record | None) -> tuple[str, str, str, bool]:
        """What :func:`write_kept` takes for ``record``, written after ``previous``."""
        if self.arxiv_note:
            record = add_arxiv_note(record)
        written = as_written(record, self.terms)
        origin = record.origin
        if written is None or origin is None:
            return "", format_entry(record, self.terms), "", False
        return origin.before, written, origin.after, _follows(record, previous)


def _follows(record: Record, previous: Record | None) -> bool:
    """Whether ``record`` is the entry after ``previous`` in the file both were read from."""
    if previous is None or previous.origin is None or record.origin is None:
        return False
    if not (record.provenance and previous.provenance):
        return False
    return (
        record.origin.index == previous.origin.index + 1
        and record.provenance[0].source == previous.provenance[0].source
    )
