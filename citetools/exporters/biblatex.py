"""biblatex for biber (chosen with ``--to biblatex``; ``.bib`` files stay BibTeX).

The layout is the canonical BibTeX one (fixed field order, two-space indent, braced values, one
blank line between entries, final newline); the fields follow biblatex's data model:

- arXiv preprints (``misc`` records with an arXiv id) are ``@online`` with ``eprint``,
  ``eprinttype = {arxiv}`` and ``eprintclass`` (only beside an ``eprint``), and the abstract
  page and the arXiv DOI as BibTeX has them. The categories are keywords too, as in BibTeX:
  clients that drop ``eprintclass`` (or an entry with no id, which has none) keep them.
  Records without an id (listing entries) stay ``@misc``: biblatex's ``@online`` requires one
  of url, doi or eprint, ``@misc`` only a title.
  BibTeX's legacy types are renamed as biber itself would (``phdthesis`` -> ``@thesis`` with
  ``type = {phdthesis}``, ``techreport`` -> ``@report``, ``conference`` -> ``@inproceedings``).
- The date is one ISO ``date`` field (``2026-05-29``, ``2026-05``, ``2026``); no year or month.
- The venue is ``journaltitle`` (articles), ``booktitle`` (papers in proceedings or
  collections), ``organization`` (online) or ``howpublished`` (the rest).
- The affiliation goes to ``annotation``; BibTeX names among the extra fields are renamed as
  biber's driver source map does (``address`` -> ``location``, ``annote`` -> ``annotation``,
  ``key`` -> ``sortkey`` ...). No ``key`` field is added for author-less entries: biblatex
  sorts them by title.
- Text is escaped like BibTeX text (``{\\&}``, ``{\\textbackslash}`` ...) and titles are
  case-protected the same way, but non-ASCII letters stay UTF-8 (``Łukasz``, not ``{\\L}ukasz``):
  biber reads UTF-8 and decodes accent commands to it anyway. The rest keeps the spelling
  :func:`~citetools.normalize.latex.escape` gives it: symbols (``{\\textemdash}``) and Greek
  letters, which pdflatex cannot typeset from UTF-8 in running text (``{$\\sigma$}`` in
  titles and abstracts, ``{\\ensuremath{\\sigma}}`` elsewhere: see
  :func:`~citetools.normalize.latex.escape_text`; biber passes both through unchanged).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache, partial
from typing import TextIO

from citetools.exporters.bibtex import (
    extra_fields,
    keyword_list,
    link_fields,
    ordered_fields,
    render_entry,
    verbatim,
    write_entries,
)
from citetools.formats import AFFILIATION_PREFIX
from citetools.model import Record
from citetools.normalize.latex import decode, escape, escape_text
from citetools.normalize.names import format_bibtex_authors
from citetools.normalize.terms import DEFAULT_TERMS, ProtectedTerms, TermsOption, load_terms
from citetools.normalize.titles import protect_title

FIELD_ORDER = (
    "title",
    "author",
    "editor",
    "journaltitle",
    "booktitle",
    "howpublished",
    "organization",
    "publisher",
    "institution",
    "location",
    "edition",
    "volume",
    "number",
    "pages",
    "type",
    "date",
    "eprint",
    "eprinttype",
    "eprintclass",
    "doi",
    "url",
    "note",
    "keywords",
    "annotation",
    "abstract",
)
# biber's own source map for BibTeX data (biblatex.def, \DeclareDriverSourcemap[datatype=bibtex]).
LEGACY_FIELDS = {
    "address": "location",
    "annote": "annotation",
    "archiveprefix": "eprinttype",
    "hyphenation": "langid",
    "journal": "journaltitle",
    "key": "sortkey",
    "pdf": "file",
    "primaryclass": "eprintclass",
    "school": "institution",
}
# Legacy entry type -> (biblatex type, its ``type`` field).
LEGACY_TYPES: dict[str, tuple[str, str | None]] = {
    "conference": ("inproceedings", None),
    "electronic": ("online", None),
    "www": ("online", None),
    "mastersthesis": ("thesis", "mathesis"),
    "phdthesis": ("thesis", "phdthesis"),
    "techreport": ("report", "techreport"),
}
_VENUE_FIELD = {
    "article": "journaltitle",
    "inproceedings": "booktitle",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "online": "organization",
}


@cache
def _as_utf8(spelling: str) -> str:
    """The letter ``spelling`` stands for, if escape() spelled a non-ASCII letter in text mode;
    otherwise ``spelling`` itself (ASCII specials, symbols, math)."""
    char = decode(spelling)
    if (
        len(char) == 1
        and not char.isascii()
        and unicodedata.category(char).startswith("L")
        and not spelling.startswith("{\\ensuremath")
        and escape(char) == spelling
    ):
        return char
    return spelling


def _group_end(latex: str, start: int) -> int:
    """The index after the brace group that opens at ``start``."""
    depth = 0
    for index in range(start, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[index], 0)
        if depth == 0:
            return index + 1
    return len(latex)


def keep_letters(latex: str) -> str:
    """Output of :func:`~citetools.normalize.latex.escape` (or of the title and name formatters
    built on it) with its non-ASCII letters written back as UTF-8.

    In that output ``{\\`` only ever opens one character's spelling (``{\\L}``, ``{\\c{c}}``,
    ``{\\&}``, ``{\\textbackslash}``): text cannot produce a backslash or a brace of its own.
    """
    parts: list[str] = []
    done = 0
    while (start := latex.find("{\\", done)) >= 0:
        end = _group_end(latex, start)
        parts += [latex[done:start], _as_utf8(latex[start:end])]
        done = end
    return "".join(parts) + latex[done:]


def latex_text(text: str) -> str:
    """Plain text -> biblatex source: LaTeX specials escaped, letters in UTF-8."""
    return keep_letters(escape(text))


def biblatex_type(record: Record) -> tuple[str, str | None]:
    """The biblatex entry type and the value of its ``type`` field, if it needs one."""
    if record.entry_type == "misc" and record.ids.arxiv:
        return "online", None
    return LEGACY_TYPES.get(record.entry_type, (record.entry_type, None))


def biblatex_fields(record: Record, terms: ProtectedTerms = DEFAULT_TERMS) -> dict[str, str]:
    """The record's fields as biblatex source text (values without the outer braces); ``terms``:
    the protected terms of the title."""
    kind, work_type = biblatex_type(record)
    values: dict[str, str] = {}
    if record.title:
        values["title"] = keep_letters(protect_title(record.title, terms))
    if record.authors or record.authors_truncated:
        values["author"] = keep_letters(
            format_bibtex_authors(record.authors, record.authors_truncated)
        )
    if record.venue:
        values[_VENUE_FIELD.get(kind, "howpublished")] = latex_text(record.venue)
    if record.date is not None and record.date.year is not None and "date" not in record.extra:
        values["date"] = record.date.iso()  # (else the date as written: a season, a range ...)
    ids = record.ids
    if ids.arxiv:
        values["eprint"] = verbatim(ids.arxiv)
        values["eprinttype"] = "arxiv"
        if record.primary_class:  # (biblatex reads eprintclass only beside an eprint)
            values["eprintclass"] = latex_text(record.primary_class)
    values.update(link_fields(record))
    keywords = keyword_list(record, categories=True)
    if keywords:
        values["keywords"] = latex_text(", ".join(keywords))
    if record.affiliation:
        values["annotation"] = latex_text(AFFILIATION_PREFIX + record.affiliation)
    if record.abstract:
        values["abstract"] = keep_letters(escape_text(record.abstract))
    for name, value in extra_fields(record, text=latex_text, names=LEGACY_FIELDS):
        values.setdefault(name, value)
    if work_type:
        values.setdefault("type", work_type)
    return values


def format_entry(record: Record, terms: ProtectedTerms = DEFAULT_TERMS) -> str:
    fields = ordered_fields(biblatex_fields(record, terms), FIELD_ORDER)
    return render_entry(
        biblatex_type(record)[0], record.key, ((name, "{" + value + "}") for name, value in fields)
    )


class BiblatexExporter:
    name = "biblatex"
    description = (
        "biblatex for biber (choose it with --to biblatex): @online preprints with eprinttype, "
        "ISO dates, UTF-8 letters"
    )
    suffixes: tuple[str, ...] = ()

    def __init__(self, *, protected_terms: TermsOption = None) -> None:
        self.terms = load_terms(protected_terms)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        write_entries(out, map(partial(format_entry, terms=self.terms), records))
