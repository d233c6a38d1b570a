"""Canonical BibTeX.

One fixed field order, two-space indent, every value braced except month macros, entries in
input order separated by one blank line, UTF-8, final newline. Text is LaTeX-escaped
(:mod:`citetools.normalize.latex`), titles are case-protected (:mod:`citetools.normalize.titles`),
identifiers (url, doi, eprint) are written verbatim. The same records always give the same bytes.

arXiv preprints follow arXiv's own recommendation: ``@misc`` with ``eprint``,
``archivePrefix = {arXiv}`` and ``primaryClass``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from citetools.errors import ExportError
from citetools.model import Record
from citetools.normalize.latex import escape
from citetools.normalize.names import format_bibtex_authors
from citetools.normalize.titles import protect_title

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
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
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "isbn", "issn", "urldate"})
CODE_KEYWORD = "code-available"
ORG_PREFIX = "org:"
AFFILIATION_PREFIX = "Affiliation: "
_VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
_URL_UNSAFE = str.maketrans({" ": "%20", "{": "%7B", "}": "%7D", '"': "%22", "\\": "%5C"})


def _verbatim(value: str) -> str:
    """Identifiers are not LaTeX-escaped, but must not break the braces of the field."""
    return value.translate(_URL_UNSAFE)


def bibtex_fields(record: Record) -> dict[str, str]:
    """The record's fields as BibTeX source text (values without the outer braces)."""
    values: dict[str, str] = {}
    if record.title:
        values["title"] = protect_title(record.title)
    if record.authors or record.authors_truncated:
        values["author"] = format_bibtex_authors(record.authors, record.authors_truncated)
    else:
        # Sorting styles need an author or a key (plain.bst: "to sort, need author or key").
        values["key"] = escape(record.title) if record.title else (record.key or "")
    if record.venue:
        values[_VENUE_FIELD.get(record.entry_type, "howpublished")] = escape(record.venue)
    if record.date is not None and record.date.year is not None:
        values["year"] = str(record.date.year)
        if record.date.month is not None:
            values["month"] = MONTH_MACROS[record.date.month - 1]
        values["date"] = record.date.iso()
    ids = record.ids
    if ids.arxiv:
        values["eprint"] = _verbatim(ids.arxiv)
        values["archiveprefix"] = "arXiv"
    if record.primary_class:
        values["primaryclass"] = escape(record.primary_class)
    if ids.doi:
        values["doi"] = _verbatim(ids.doi)
    if ids.url:
        values["url"] = _verbatim(ids.url)
    keywords = [ORG_PREFIX + org for org in record.orgs]
    if record.has_code:
        keywords.append(CODE_KEYWORD)
    if "keywords" in record.extra:
        keywords.insert(0, record.extra["keywords"])
    if keywords:
        values["keywords"] = escape(", ".join(keywords))
    if record.affiliation:
        values["annote"] = escape(AFFILIATION_PREFIX + record.affiliation)
    if record.abstract:
        values["abstract"] = escape(record.abstract)
    for name, value in record.extra.items():
        name = name.lower()
        if name in values or name == "keywords":
            continue
        values[name] = _verbatim(value) if name in VERBATIM else escape(value)
    return values


def _ordered(values: dict[str, str]) -> Iterator[tuple[str, str]]:
    for name in FIELD_ORDER:
        if name in values:
            yield name, values[name]
    for name in sorted(set(values) - set(FIELD_ORDER)):
        yield name, values[name]


def format_entry(record: Record) -> str:
    if not record.key:
        raise ExportError("record has no citation key; assign keys before export", source=None)
    lines = [f"@{record.entry_type}{{{record.key},"]
    body = [
        f"  {FIELD_NAMES.get(name, name)} = {value if name == 'month' else '{' + value + '}'}"
        for name, value in _ordered(bibtex_fields(record))
    ]
    lines.append(",\n".join(body))
    lines.append("}")
    return "\n".join(lines) + "\n"


class BibtexExporter:
    name = "bibtex"
    description = "Canonical BibTeX (.bib) with LaTeX-escaped text and case-protected titles"
    suffixes = (".bib",)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        first = True
        for record in records:
            if not first:
                out.write("\n")
            out.write(format_entry(record))
            first = False
