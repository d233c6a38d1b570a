"""The pybtex engine: ``pybtex:plain``, ``unsrt``, ``alpha``, ``unsrtalpha`` (and any other
``pybtex.style.formatting`` plugin), rendered from citetools' own BibTeX output.

Records go through :mod:`citetools.exporters.bibtex` (so pybtex sees exactly what BibTeX would,
including ``year``/``month``: pybtex ignores biblatex's ``date``) and are parsed by pybtex. Two
things pybtex gets wrong are handled here:

- "et al.": pybtex prints ``and others`` literally. A name style prints the sentinel for
  ``others`` and :func:`~citetools.exporters._inline.resolve_et_al` turns ``A, B, and
  <sentinel>`` into ``A, B, et al.`` and ``A and <sentinel>`` into ``A et al.``, as BibTeX's
  plain.bst does. Alpha labels still see ``others`` (``XYZ+20``).
- An entry its type's template cannot format (an ``@article`` without journal) is formatted
  with the ``@misc`` template instead of failing the whole list.

pybtex's rich text becomes :data:`~citetools.exporters._inline.Inline` nodes, so the same
writers (and escaping) serve both engines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from pybtex.database import Entry as BibEntry
from pybtex.database import parse_string
from pybtex.plugin import enumerate_plugin_names, find_plugin
from pybtex.richtext import HRef, String, Symbol, Tag
from pybtex.style.names.plain import NameStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import join

from citetools.errors import ExportError
from citetools.exporters._inline import (
    ET_AL_SENTINEL,
    Entry,
    Inline,
    Link,
    Styled,
    Text,
    merge_text,
    resolve_et_al,
)
from citetools.exporters.bibtex import BibtexExporter
from citetools.model import Record
from citetools.normalize.terms import DEFAULT_TERMS, ProtectedTerms

PREFIX = "pybtex:"
# The BibTeX exporter's spellings of LaTeX specials, which pybtex decodes only in part
# (``{\$}`` stays ``\$``): pybtex gets private-use characters instead, mapped back after.
_SPECIALS = [
    "{\\&}",
    "{\\%}",
    "{\\$}",
    "{\\#}",
    "{\\_}",
    "{\\textbraceleft}",
    "{\\textbraceright}",
    "{\\textasciitilde}",
    "{\\textasciicircum}",
    "{\\textbackslash}",
]
_PLAIN = "&%$#_{}~^\\"
_HIDE = {spelling: chr(0xE000 + i) for i, spelling in enumerate(_SPECIALS)}
_SHOW = str.maketrans({chr(0xE000 + i): char for i, char in enumerate(_PLAIN)})
_SYMBOLS = {"newblock": " ", "nbsp": "\u00a0", "ndash": "\u2013"}
_TAGS = {"em": "emph", "i": "emph", "b": "strong", "strong": "strong", "sup": "sup", "sub": "sub"}


class _EtAlNames(NameStyle):  # type: ignore[misc]
    """pybtex's plain name style, but ``others`` prints as the et-al sentinel."""

    def format(self, person: object, abbr: bool = False) -> object:
        if str(person) == "others":
            return join[ET_AL_SENTINEL]
        return super().format(person, abbr)


class _KeepOrder(BaseSortingStyle):  # type: ignore[misc]
    """No sorting: the entries stay in the order given (``--sort`` has decided it)."""

    def sort(self, entries: Iterable[BibEntry]) -> list[BibEntry]:
        return list(entries)


def formatting_styles() -> list[str]:
    return sorted(enumerate_plugin_names("pybtex.style.formatting"))


def check_style(name: str) -> str:
    """``name`` if pybtex has that formatting style, else an ExportError listing them."""
    known = formatting_styles()
    if name not in known:
        listed = ", ".join(PREFIX + n for n in known)
        raise ExportError(f"unknown pybtex style {PREFIX + name!r}; known: {listed}")
    return name


def _inlines(node: object) -> list[Inline]:
    if isinstance(node, str):
        return [Text(node)]
    if isinstance(node, String):
        return [Text(str(node.value).translate(_SHOW))]
    if isinstance(node, Symbol):
        return [Text(_SYMBOLS.get(node.name, " "))]
    parts: list[object] = list(getattr(node, "parts", ()))
    children = merge_text(part for child in parts for part in _inlines(child))
    if isinstance(node, HRef):
        return [Link(node.url, children)]
    if isinstance(node, Tag) and node.name in _TAGS:
        return [Styled(_TAGS[node.name], children)]
    return list(children)


def _as_misc(entry: BibEntry) -> BibEntry:
    misc = BibEntry("misc", fields=entry.fields, persons=entry.persons)
    misc.key = entry.key
    return misc


def render_entries(
    records: Sequence[Record],
    name: str,
    *,
    keep_sort: bool = True,
    terms: ProtectedTerms = DEFAULT_TERMS,
) -> list[Entry]:
    """The records formatted by pybtex's style ``name``, in its order (``keep_sort``) or in
    theirs; ``terms``: the protected terms of the titles. Keys are replaced by positions on the
    way through pybtex, which refuses keys that differ only in case."""
    if not records:
        return []
    style_class = find_plugin("pybtex.style.formatting", check_style(name))
    sorting = None if keep_sort else _KeepOrder
    style = style_class(name_style=_EtAlNames, sorting_style=sorting)
    exporter = BibtexExporter(protected_terms=terms)
    source = "\n".join(
        exporter.format(
            replace(
                record,
                key=f"r{i}",
                authors_truncated=record.authors_truncated and bool(record.authors),
            )
        )
        for i, record in enumerate(records)
    )
    for spelling, hidden in _HIDE.items():
        source = source.replace(spelling, hidden)
    try:
        data = parse_string(source, "bibtex")
        ordered = style.sort(data.entries.values())
        labels = list(style.format_labels(ordered))
    except Exception as error:  # pybtex raises its own unrelated error types
        raise ExportError(f"pybtex could not read the records: {error}") from None
    entries: list[Entry] = []
    for label, bib_entry in zip(labels, ordered, strict=True):
        try:
            formatted = style.format_entry(label, bib_entry)
        except Exception:  # FieldIsMissing and friends: the misc template needs no field
            formatted = style.format_entry(label, _as_misc(bib_entry))
        record = records[int(bib_entry.key[1:])]
        content = resolve_et_al(merge_text(_inlines(formatted.text)), "and")
        entries.append(Entry(record.key or "", f"[{label}]", content))
    return entries
