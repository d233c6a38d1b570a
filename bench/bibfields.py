"""A .bib as bibtexparser 2 reads it, and field text as a reader sees it: the two halves of
:mod:`bench.roundtrip`'s comparison (issue 15).

Values: @string macros expanded and ``#`` concatenations joined, the outer braces or quotes
removed. Text (:class:`Normalizer`): decoded by pylatexenc's ``LatexNodes2Text`` with an
unknown macro rendered as its name and its arguments (``{\\TeX}`` gives "TeX", not ""), ``%``
comments kept (so a value cut there shows), math decoded like text (``$\\Omega$``,
``\\ensuremath{\\Omega}`` and "Ω" are one text), a bare ``&`` read as ``\\&``; whitespace
collapsed. A month that names a month compares as its number; a list of names compares person
by person, whichever of BibTeX's three forms wrote it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import ResolveStringReferencesMiddleware
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import Entry, ExplicitComment, ImplicitComment, Preamble, String
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexMacroNode

MONTHS: tuple[str, ...] = ("january", "february", "march", "april", "may", "june", "july")
MONTHS += ("august", "september", "october", "november", "december")
TRAILER = "citetools: generated file"  # citetools' checksum comment: written, not carried
NAME_FIELDS = frozenset(  # the name lists of BibTeX and biblatex
    {"author", "editor", "translator", "bookauthor", "editora", "editorb", "editorc", "namea"}
    | {"annotator", "commentator", "introduction", "foreword", "afterword", "holder", "nameb"}
    | {"shortauthor", "shorteditor", "namec"}
)

_SPACE = re.compile(r"\s+")
_BARE_AMPERSAND = re.compile(r"(?<!\\)&")  # pylatexenc drops it (a table's column separator)


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Value:
    raw: str  # as written (delimiters, ``#`` and macro names included)
    text: str  # macros expanded, concatenation joined, outer delimiters removed


@dataclass(frozen=True, slots=True)
class BibEntry:
    key: str
    line: int  # 1-based line of its ``@``, as citetools reports it
    fields: dict[str, Value]  # by lower-cased name


@dataclass(slots=True)
class Bib:
    """What bibtexparser 2 reads from one .bib."""

    entries: list[BibEntry] = field(default_factory=list)
    failed_entries: list[int] = field(default_factory=list)  # lines bibtexparser cannot read
    blocks: Counter[str] = field(default_factory=Counter)  # string preamble comment free_text
    trailer: bool = False


def split_concatenation(raw: str) -> list[str]:
    """The parts of a BibTeX value joined by ``#`` outside braces and quotes."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i].strip())
            start = i + 1
    parts.append(raw[start:].strip())
    return parts


def expand(raw: str, macros: dict[str, str]) -> str:
    """A value's text: each part unquoted, or its @string macro (a month's name for the twelve
    month macros no @string defines, as the standard styles do; an undefined one stays a name)."""
    out = []
    for part in split_concatenation(raw):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        else:
            name = part.lower()
            month = next((m.title() for m in MONTHS if m[:3] == name), part)
            out.append(macros.get(name, month))
    return "".join(out)


def _entry(block: Entry, macros: dict[str, str]) -> BibEntry:
    fields: dict[str, Value] = {}
    for item in block.fields:
        raw = str(item.value)
        fields[str(item.key).lower()] = Value(raw, expand(raw, macros))
    return BibEntry(block.key, (block.start_line or 0) + 1, fields)


def read_bib(text: str) -> Bib:
    """Every block of a .bib, as bibtexparser 2 splits it (whole @string references resolved by
    its interpolation middleware, the rest of the expansion by :func:`expand`)."""
    library = parse_string(
        text, parse_stack=[ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
    )
    bib = Bib()
    macros: dict[str, str] = {}
    for block in library.blocks:
        if isinstance(block, String):
            bib.blocks["string"] += 1
            macros[block.key.lower()] = expand(str(block.value), macros)
        elif isinstance(block, Preamble):
            bib.blocks["preamble"] += 1
        elif isinstance(block, ExplicitComment | ImplicitComment) and block.comment.lstrip(
            "% \n"
        ).startswith(TRAILER):  # (``% citetools: ...``; ``@comment{citetools: ...}`` before)
            bib.trailer = True
        elif isinstance(block, ExplicitComment):
            bib.blocks["comment"] += 1
        elif isinstance(block, ImplicitComment):
            bib.blocks["free_text"] += 1
        elif isinstance(block, Entry):
            bib.entries.append(_entry(block, macros))
        elif re.match(r"\s*@\s*(?!string|preamble|comment)\w", block.raw or "", re.I):
            bib.failed_entries.append((block.start_line or 0) + 1)
        else:
            bib.blocks["unreadable"] += 1
    return bib


def _macro_as_name(node: LatexMacroNode, l2tobj: LatexNodes2Text) -> str:
    args = node.nodeargd.argnlist if node.nodeargd else []
    return str(node.macroname) + "".join(str(l2tobj.nodelist_to_text([a])) for a in args if a)


class Normalizer:
    """Field text as a reader sees it (see the module's docstring); remembers what it decoded."""

    def __init__(self) -> None:
        context = get_default_latex_context_db()
        context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_macro_as_name))
        self._l2t = LatexNodes2Text(latex_context=context, math_mode="text", keep_comments=True)
        self._seen: dict[str, str] = {}

    def __call__(self, text: str, name: str = "") -> str:
        done = self._seen.get(text)
        if done is None:
            try:
                decoded = str(self._l2t.latex_to_text(_BARE_AMPERSAND.sub(r"\\&", text)))
            except Exception:  # pylatexenc gives up on some malformed LaTeX: compare as is
                decoded = text
            done = self._seen[text] = collapse(decoded)
        if name == "month":
            low = done.lower().rstrip(".")
            for number, month in enumerate(MONTHS, 1):
                if low in (month, month[:3], str(number), f"{number:02d}"):
                    return str(number)
        return done

    def names(self, text: str) -> str:
        """A list of names as "First von Last, Jr" each, however it was written (BibTeX's
        three forms), as bibtexparser 2 splits them."""
        people = []
        for person in split_multiple_persons_names(text):
            parts = parse_single_name_into_parts(person, strict=False)
            people.append(
                " ".join([*parts.first, *parts.von, *parts.last])
                + "".join(f", {jr}" for jr in parts.jr)
            )
        return self(" and ".join(people))

    def same(self, before: Value, after: Value, name: str) -> bool:
        if collapse(before.text) == collapse(after.text):
            return True
        if name in NAME_FIELDS and self.names(before.text) == self.names(after.text):
            return True
        return self(before.text, name) == self(after.text, name)
