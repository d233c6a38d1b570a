"""Formatted reference lists: ``text``, ``markdown``, ``html`` and ``latex`` in a citation style.

``style`` is a CSL style (``apa``, the default; ``ieee``, ``chicago-author-date``, ``harvard1``,
``nature``, ``vancouver``, any official CSL style by name, or the path of a ``.csl`` file; see
:mod:`citetools.exporters._styles`), rendered by pandoc's citeproc
(:mod:`citetools.exporters._citeproc`, the ``styles`` extra), or ``pybtex:plain``, ``unsrt``,
``alpha``, ``unsrtalpha`` rendered by pybtex (:mod:`citetools.exporters._pybtex`).

- **Input of the CSL engine**: each record's CSL-JSON item (:func:`csl_item`, as the csljson
  exporter writes it) without what is citetools' own bookkeeping and no style should print:
  ``keyword`` (org tags, the Code marker), ``custom``, and the ``note`` lines for the
  affiliation and the truncation (a note of the record's own stays); ``abstract`` only for
  styles that print it.
- **Titles in sentence case**: CSL styles expect titles stored in sentence case (as Zotero
  stores them) and cannot lower Title Case data themselves, so for each CSL type the style
  prints as the data has it (APA, IEEE, Vancouver; Nature and AMA for articles), a Title Case
  title is converted first (:func:`~citetools.normalize.titles.sentence_case`): words lowered
  but for the protected ones (inherent capitals, acronyms, the protected terms, a leading
  hyphenated name) and the first word of the title and after a colon. Which types a style
  title-cases itself (Chicago, MLA; Nature's books) is found by rendering one item of each
  (:func:`~citetools.exporters._citeproc.title_cased_types`); their titles are not touched. A
  title already in sentence case is left as it is. pybtex styles lower titles themselves, as
  BibTeX does, and keep what the BibTeX exporter braces.
- **"et al."**: CSL cannot say that an author list is incomplete, so a truncated list (with at
  least one name) gets one more author, the literal sentinel name
  :data:`~citetools.exporters._inline.ET_AL_SENTINEL`. It counts as an author, which is right
  (the paper has at least one more), so a style's own et-al rule applies as it should (IEEE
  from 7 names: ``J. Xing et al.``); when the style prints it, it prints as the last name, after
  the style's connector, which a probe finds (``&``, ``and``, none), and the two become
  ``et al.``: ``Xing, J., Yuan, H., & Cai, L., et al.`` is never printed; ``Xing, J., Yuan, H.,
  Cai, L., et al.`` is. A truncated list with no names at all renders as having no author.
- **Order**: the style's (APA alphabetical, IEEE in input order) unless ``sort`` is given:
  ``none`` (input order), ``key``, ``author`` (family names, then given names, of every author
  in turn; then year, title), ``year`` (year, month, day; then author, title), ``title``; a
  leading ``-`` reverses (``-year``: newest first). Records without the sort field come last.
  The style then numbers the entries in that order.
- **Links**: DOIs and URLs as the engine links them, plus arXiv ids (``arXiv:2605.31603``) and
  bare web addresses; only http(s)/ftp addresses become links.
- **Left out**: a record with neither title nor author (an abstracts-only listing entry) would
  print as an empty line, or a bare ``(n.d.).``: :meth:`leaves_out` says so, such records are
  not rendered, and the pipeline reports each as a warning. The .bib keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any, Protocol, TextIO

from anyascii import anyascii

from citetools.errors import ExportError
from citetools.exporters import _citeproc, _pybtex
from citetools.exporters._citeproc import Rendered
from citetools.exporters._inline import (
    ET_AL_SENTINEL,
    Entry,
    link_ids,
    resolve_et_al,
    write_text,
)
from citetools.exporters._markup import write_html, write_latex, write_markdown
from citetools.exporters._styles import CslStyle, find_csl_style
from citetools.exporters.csljson import csl_item, csl_title
from citetools.model import Record
from citetools.normalize.names import is_et_al_person
from citetools.normalize.terms import DEFAULT_TERMS, ProtectedTerms, TermsOption, load_terms
from citetools.normalize.titles import sentence_case

SORTS = ("none", "key", "author", "year", "title")
_DROPPED = ("keyword", "custom", "note")


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", anyascii(text).casefold()).strip()


def truncated(record: Record) -> bool:
    return record.authors_truncated or any(is_et_al_person(p) for p in record.authors)


def render_item(
    record: Record, *, abstract: bool = False, terms: ProtectedTerms = DEFAULT_TERMS
) -> dict[str, Any]:
    """The CSL-JSON item the CSL engine renders for ``record`` (see the module docstring),
    its title as the record has it."""
    item = csl_item(record, terms)
    for name in _DROPPED:
        item.pop(name, None)
    if not abstract:
        item.pop("abstract", None)
    note = record.extra.get("note", "").strip()
    if note:
        item["note"] = note
    if truncated(record) and item.get("author"):
        item["author"] = [*item["author"], {"literal": ET_AL_SENTINEL}]
    return item


# ---------------------------------------------------------------------------------------------
# sorting


def parse_sort(sort: str | None) -> tuple[str, bool] | None:
    """``(field, descending)``, or None for the style's own order."""
    if sort is None or sort == "style":
        return None
    field = sort.removeprefix("-")
    if field not in SORTS:
        raise ExportError(
            f"unknown sort {sort!r}; known: style, {', '.join(SORTS)} (a leading - reverses)"
        )
    return field, sort.startswith("-")


def _authors(record: Record) -> tuple[tuple[str, str], ...]:
    return tuple((_fold(p.particle + " " + p.family), _fold(p.given)) for p in record.authors)


def _date(record: Record) -> tuple[int, int, int]:
    date = record.date
    if date is None or date.year is None:
        return (0, 0, 0)
    return (date.year, date.month or 0, date.day or 0)


def _title(record: Record) -> str:
    return _fold(record.title or "")


# field -> (does the record have it, its sort key)
_SORT_KEYS: dict[str, tuple[Callable[[Record], bool], Callable[[Record], Any]]] = {
    "key": (lambda r: bool(r.key), lambda r: (r.key or "").casefold()),
    "author": (lambda r: bool(_authors(r)), lambda r: (_authors(r), _date(r), _title(r))),
    "year": (lambda r: _date(r)[0] != 0, lambda r: (_date(r), _authors(r), _title(r))),
    "title": (lambda r: bool(_title(r)), lambda r: (_title(r), _authors(r), _date(r))),
}


def order(records: Sequence[Record], field: str, descending: bool = False) -> list[Record]:
    """The records sorted by ``field`` (stable); those without it last, in input order."""
    if field == "none":
        return list(reversed(records)) if descending else list(records)
    has, key = _SORT_KEYS[field]
    present = sorted((r for r in records if has(r)), key=key, reverse=descending)
    return present + [r for r in records if not has(r)]


# ---------------------------------------------------------------------------------------------
# engines


class _Engine(Protocol):
    title: str

    def render(self, records: Sequence[Record], *, keep_sort: bool) -> Rendered: ...


class _CslEngine:
    def __init__(self, style: CslStyle, terms: ProtectedTerms = DEFAULT_TERMS) -> None:
        self.style = style
        self.terms = terms
        self.title = style.title
        _citeproc.find_pandoc()  # fail now, with the extra to install, not after reading

    def items(self, records: Sequence[Record]) -> list[dict[str, Any]]:
        """The CSL-JSON items rendered for ``records``: :func:`render_item`'s, their titles in
        sentence case where the style prints titles as the data has them."""
        abstract = self.style.uses_abstract
        items = [render_item(r, abstract=abstract, terms=self.terms) for r in records]
        self._sentence_case(records, items)
        return items

    def render(self, records: Sequence[Record], *, keep_sort: bool) -> Rendered:
        items = self.items(records)
        cut = any(truncated(r) for r in records)
        rendered = _citeproc.render_entries(items, self.style, keep_sort=keep_sort, probe=cut)
        if not cut:
            return rendered
        connector = rendered.connector
        entries = [
            Entry(e.key, e.label, resolve_et_al(e.content, connector)) for e in rendered.entries
        ]
        return replace(rendered, entries=entries)

    def _sentence_case(self, records: Sequence[Record], items: list[dict[str, Any]]) -> None:
        """Titles in sentence case in the items of the types the style does not title-case."""
        titled = [(r, item) for r, item in zip(records, items, strict=True) if "title" in item]
        kinds = {item["type"] for _, item in titled}
        title_cased = _citeproc.title_cased_types(self.style, kinds) if kinds else frozenset()
        for record, item in titled:
            if item["type"] not in title_cased and record.title:
                converted = sentence_case(record.title, self.terms)
                if converted != record.title:
                    item["title"] = csl_title(converted, self.terms)


class _PybtexEngine:
    def __init__(self, name: str, terms: ProtectedTerms = DEFAULT_TERMS) -> None:
        self.name = _pybtex.check_style(name)
        self.terms = terms
        self.title = _pybtex.PREFIX + name

    def render(self, records: Sequence[Record], *, keep_sort: bool) -> Rendered:
        entries = _pybtex.render_entries(records, self.name, keep_sort=keep_sort, terms=self.terms)
        return Rendered(entries)


def render_items(
    records: Sequence[Record], style: str, terms: ProtectedTerms = DEFAULT_TERMS
) -> list[dict[str, Any]]:
    """The CSL-JSON items the CSL style ``style`` (a name or a .csl file) renders for
    ``records``: what a formatted list in that style is made from."""
    return _CslEngine(find_csl_style(style), terms).items(records)


def engine(style: str, terms: ProtectedTerms = DEFAULT_TERMS) -> _Engine:
    """The engine for ``style``; an ExportError names what is known or what to install."""
    if style.startswith(_pybtex.PREFIX):
        return _PybtexEngine(style.removeprefix(_pybtex.PREFIX), terms)
    return _CslEngine(find_csl_style(style), terms)


# ---------------------------------------------------------------------------------------------
# the exporters


class _References:
    name = ""
    description = ""
    suffixes: tuple[str, ...] = ()

    def __init__(
        self, *, style: str = "apa", sort: str | None = None, protected_terms: TermsOption = None
    ) -> None:
        self.style = style
        self.sort = sort
        self.terms = load_terms(protected_terms)
        self._order = parse_sort(sort)
        self._engine = engine(style, self.terms)

    def leaves_out(self, record: Record) -> str | None:
        """Why ``record`` is not in the list; None when it is."""
        if (record.title or "").strip() or record.authors:
            return None
        return "it has neither title nor author to print"

    def references(self, records: Iterable[Record]) -> Rendered:
        """The formatted list, before it is written in this exporter's format."""
        listed = [record for record in records if self.leaves_out(record) is None]
        keys = [r.key for r in listed]
        if not all(keys):
            raise ExportError("record has no citation key; assign keys before export")
        if len(set(keys)) != len(keys):
            twice = sorted({k for k in keys if keys.count(k) > 1 and k})
            raise ExportError(f"citation keys must be unique: {', '.join(twice)[:200]}")
        if self._order is not None:
            listed = order(listed, *self._order)
        rendered = self._engine.render(listed, keep_sort=self._order is None)
        entries = [Entry(e.key, e.label, link_ids(e.content)) for e in rendered.entries]
        return replace(rendered, entries=entries)

    def chunks(self, rendered: Rendered) -> Iterator[str]:
        raise NotImplementedError

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        for chunk in self.chunks(self.references(records)):
            out.write(chunk)


class TextReferences(_References):
    name = "text"
    description = "Reference list as plain text, one entry a line (--style: a CSL or pybtex style)"
    suffixes = (".txt",)

    def chunks(self, rendered: Rendered) -> Iterator[str]:
        return write_text(rendered.entries)


class MarkdownReferences(_References):
    name = "markdown"
    description = "Reference list in Markdown, one paragraph an entry, linked ids, escaped text"
    suffixes = (".md", ".markdown")

    def chunks(self, rendered: Rendered) -> Iterator[str]:
        return write_markdown(rendered.entries)


class HtmlReferences(_References):
    name = "html"
    description = "Reference list as an HTML page (a csl-bib-body div), linked ids, escaped text"
    suffixes = (".html", ".htm")

    def chunks(self, rendered: Rendered) -> Iterator[str]:
        title = f"References ({self._engine.title})"
        return write_html(rendered.entries, title=title, hanging_indent=rendered.hanging_indent)


class LatexReferences(_References):
    name = "latex"
    description = "Reference list as a LaTeX thebibliography (\\bibitem{key}), escaped, linked"
    suffixes = (".tex",)

    def chunks(self, rendered: Rendered) -> Iterator[str]:
        return write_latex(rendered.entries, title=self._engine.title)
