"""Plain Unicode <-> BibTeX-safe LaTeX.

Records hold plain text. :func:`escape` turns it into LaTeX that means exactly that text and
nothing else: every special character becomes a braced command (``{\\&}``, ``{\\textbackslash}``,
``{\\textbraceleft}``), so scraped text can never open a group, start a comment, enter math mode
or run a command. Non-ASCII letters become braced LaTeX accents (``{\\L}ukasz``, ``Zo{\\"e}``),
which every BibTeX style and biber handle; math symbols become ``{\\ensuremath{\\sigma}}``, or
``{$\\sigma$}`` in running text (:func:`escape_text`). :func:`decode` is the reverse, for reading
.bib files.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from functools import cache
from pathlib import Path

from pylatexenc import latexwalker
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)
from pylatexenc.latexencode import get_builtin_conversion_rules
from pylatexenc.latexwalker import LatexMacroNode

_ASCII_SPECIALS = {
    "\\": "{\\textbackslash}",
    "{": "{\\textbraceleft}",
    "}": "{\\textbraceright}",
    "&": "{\\&}",
    "%": "{\\%}",
    "$": "{\\$}",
    "#": "{\\#}",
    "_": "{\\_}",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
}
# Control characters would corrupt the file or the typeset text: tabs and line breaks become
# spaces, everything else in C0/C1 is removed.
_CONTROLS: dict[int, str | None] = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
_CONTROLS.update({0x09: " ", 0x0A: " ", 0x0D: " "})
_ASCII_TABLE = str.maketrans({**{ord(k): v for k, v in _ASCII_SPECIALS.items()}, **_CONTROLS})


TABLE_FILE = Path(__file__).with_name("_latex_table.json")


@cache
def _unicode_table() -> dict[int, str]:
    """The table :func:`build_unicode_table` makes, as shipped in ``_latex_table.json``
    (building it takes about a second; a test checks the shipped copy is current)."""
    if TABLE_FILE.exists():
        stored = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
        return {int(code): latex for code, latex in stored.items()}
    return build_unicode_table()


def write_unicode_table() -> None:
    """Regenerate the shipped table: ``python -c 'from citetools.normalize.latex import
    write_unicode_table as w; w()'`` after upgrading pylatexenc."""
    table = {str(code): latex for code, latex in sorted(build_unicode_table().items())}
    TABLE_FILE.write_text(json.dumps(table, indent=0, ensure_ascii=True) + "\n", encoding="utf-8")


def build_unicode_table() -> dict[int, str]:
    """Non-ASCII code point -> braced LaTeX, from pylatexenc's maintained table.

    Only spellings that decode back to the same character are used (a few of the table's
    approximations, such as ``\\.L`` for U+013F, do not); the rest stay UTF-8.
    """
    (rule,) = get_builtin_conversion_rules("defaults")
    table: dict[int, str] = {}
    # pylatexenc also spells some characters with math-only commands (\\flat, \\acute{...})
    # that stop pdflatex outside math mode: only text-mode spellings are used.
    quiet = logging.getLogger("pylatexenc")
    level, quiet.level = quiet.level, logging.CRITICAL  # it logs the spellings that fail
    try:
        for code, latex in rule.rule.items():
            if code < 0x80:
                continue
            # An accent over a dotless i (pylatexenc's spelling of i-acute) is decoded by biber
            # to a dotless i plus U+0301, which pdflatex rejects; an accent over a plain i means
            # the same and works everywhere.
            latex = _ACCENTED_DOTLESS.sub(r"\1\2", latex.strip())
            braced = "{" + latex + "}"
            if _text_mode(latex) and decode(braced) == chr(code):
                table[code] = braced
    finally:
        quiet.level = level
    return table


_ACCENTS = frozenset("'`^\"~=.uvHcdbrkt")
_TEXT_LETTERS = frozenset(
    [
        "i",
        "j",
        "l",
        "L",
        "o",
        "O",
        "ae",
        "AE",
        "oe",
        "OE",
        "aa",
        "AA",
        "ss",
        "SS",
        "dh",
        "DH",
        "th",
        "TH",
        "ng",
        "NG",
        "dj",
        "DJ",
    ]
)
_ACCENTED_DOTLESS = re.compile(r"(\\[^A-Za-z])\\([ij])\b")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


def _text_mode(latex: str) -> bool:
    """True for spellings that are valid in running text: accents, special letters,
    ``\\text...`` symbols, or anything wrapped in ``\\ensuremath``."""
    if latex.startswith("\\ensuremath{"):
        return True
    return all(
        name in _ACCENTS or name in _TEXT_LETTERS or name.startswith("text")
        for name in _COMMAND.findall(latex)
    )


# escape() is a per-character map: each character stays, or becomes its spelling in
# _ASCII_TABLE (ASCII specials; C0 and C1 controls) or in _unicode_table(). The paths below
# only differ in how quickly they find that nothing (or little) changes; all give that map.
_ASCII_CHANGED = "".join(chr(code) for code in sorted(_ASCII_TABLE) if code < 0x80)
_ASCII_SPECIAL = re.compile(f"[{re.escape(_ASCII_CHANGED)}]")
_ASCII_SPECIAL_BYTES = _ASCII_CHANGED.encode("ascii")
# Below this length a regex scan is the quickest test for specials; above it, deleting them
# with bytes.translate and comparing lengths is several times faster per character.
_LONG = 64
# ASCII control bytes: tab and line breaks become spaces (the table), the others are deleted.
_BYTE_SPACES = bytes.maketrans(b"\t\n\r", b"   ")
_BYTE_CONTROLS = bytes(c for c in [*range(0x00, 0x20), 0x7F] if c not in b"\t\n\r")
# The ASCII specials as a chain of str.replace (each a fast scan, a no-op when the character is
# absent), for text without control characters. No step may meet what an earlier one wrote:
# backslash and braces, which the spellings are made of, go to placeholders first (control
# characters, so not in the text) and are spelled out last; no other spelling contains a
# special but its own character.
_PLACEHOLDERS = {"\\": "\x01", "{": "\x02", "}": "\x03"}
_REPLACE_STEPS = (
    *_PLACEHOLDERS.items(),
    *((char, latex) for char, latex in _ASCII_SPECIALS.items() if char not in _PLACEHOLDERS),
    *((mark, _ASCII_SPECIALS[char]) for char, mark in _PLACEHOLDERS.items()),
)
# Text with non-ASCII characters: runs of characters that may change (ASCII specials, controls,
# anything non-ASCII) go through the full table, which leaves characters without a spelling
# (CJK, emoji) as they are.
_ESCAPE_RUN = re.compile(f"[{re.escape(_ASCII_CHANGED)}\x80-\U0010ffff]+")


def escape(text: str) -> str:
    """Plain text -> LaTeX that typesets as exactly that text."""
    if not text.isascii():
        return _ESCAPE_RUN.sub(_escape_run, text)
    if len(text) < _LONG:
        return text if _ASCII_SPECIAL.search(text) is None else text.translate(_ASCII_TABLE)
    if escapes_to_itself(text):
        return text
    text = text.encode("ascii").translate(_BYTE_SPACES, _BYTE_CONTROLS).decode("ascii")
    for char, latex in _REPLACE_STEPS:
        text = text.replace(char, latex)
    return text


def escapes_to_itself(text: str) -> bool:
    """True when :func:`escape` returns ``text`` unchanged (for ASCII text, found without
    building the result)."""
    if not text.isascii():
        return escape(text) == text
    if len(text) < _LONG:
        return _ASCII_SPECIAL.search(text) is None
    data = text.encode("ascii")
    return len(data.translate(None, _ASCII_SPECIAL_BYTES)) == len(data)


@cache
def _full_table() -> dict[int, str | None]:
    """_unicode_table() and _ASCII_TABLE in one; controls are removed whatever the other says."""
    return {**_unicode_table(), **_ASCII_TABLE}


def _escape_run(match: re.Match[str]) -> str:
    return match.group().translate(_full_table())


_ENSUREMATH = re.compile(r"\{\\ensuremath\{(.*)\}\}", re.S)


def _in_dollars(latex: str) -> str:
    """A spelling of the table, with ``{\\ensuremath{X}}`` written ``{$X$}``."""
    math = _ENSUREMATH.fullmatch(latex)
    return "{$" + math.group(1) + "$}" if math else latex


@cache
def _text_table() -> dict[int, str | None]:
    return {code: latex and _in_dollars(latex) for code, latex in _full_table().items()}


def _escape_text_run(match: re.Match[str]) -> str:
    return match.group().translate(_text_table())


def escape_text(text: str) -> str:
    """:func:`escape` for running text (titles, abstracts), with math symbols in dollars:
    sigma is ``{$\\sigma$}``, the spelling Zotero's BibTeX importer reads back (its table has
    ``$\\sigma$``; it keeps ``\\ensuremath`` as text). BibTeX keeps such a group whole in
    running text (and its case); names and ``key`` keep :func:`escape`'s spelling, since BibTeX
    cuts them (initials; alpha labels with ``text.prefix$``, which counts a ``{\\...}`` group as
    one letter but every character of a ``{$...$}`` group)."""
    return escape(text) if text.isascii() else _ESCAPE_RUN.sub(_escape_text_run, text)


@cache
def _decoder() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category(
        "citetools",
        prepend=True,
        macros=[
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textbackslash", "\\"),
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textperiodcentered", "\N{MIDDLE DOT}"),
            MacroTextSpec("url", "%s"),
            # A box keeps its text; citations stay as written (the plain text of a .bib
            # field must not lose what it names); logos are their names.
            MacroTextSpec("mbox", "%s"),
            *(MacroTextSpec(name, _as_written) for name in _CITES),
            *(MacroTextSpec(name, text) for name, text in _LOGOS.items()),
        ],
        # Dashes and quotes written with ASCII ligatures stay as written, so plain text that
        # contains "--" or "``" survives a round trip through .bib unchanged.
        specials=[
            SpecialsTextSpec(chars, chars) for chars in ("---", "--", "``", "''", "!`", "?`")
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=True)


def _as_written(node: LatexMacroNode) -> str:
    """A macro call as the text has it (a citation's keys are no text to decode)."""
    return str(node.latex_verbatim())


_CITES = ("cite", "citet", "citep", "citeauthor", "citeyear")
_LOGOS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "AmS": "AMS",
    "AMS": "AMS",
    "AmSTeX": "AMS-TeX",
    "AMSTeX": "AMS-TeX",
    "AmSLaTeX": "AMS-LaTeX",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "MP": "MetaPost",
    "METAPOST": "MetaPost",
    "eTeX": "e-TeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "ConTeXt": "ConTeXt",
    "SliTeX": "SliTeX",
    "PiCTeX": "PiCTeX",
    "BibLaTeX": "BibLaTeX",
}
_NEEDS_DECODING = re.compile(r"[\\{}$~%]")


def decode(latex: str) -> str:
    """LaTeX (as found in .bib fields) -> plain text. Braces used for case protection vanish.

    Text in exactly the forms :func:`escape` writes (braced commands and protection braces)
    takes a fast path through a reverse table; anything else goes through pylatexenc.
    """
    if not _NEEDS_DECODING.search(latex):
        return latex
    fast = _decode_own(latex)
    if fast is not None:
        return unicodedata.normalize("NFC", fast)
    text = _decoder().latex_to_text(latex, latex_context=_walker_context())
    return unicodedata.normalize("NFC", str(text))


@cache
def _walker_context() -> latexwalker.LatexContextDb:
    """The parser's default macro table, built once: pylatexenc builds it anew for each text
    it parses unless given one (a third of the time of decoding a short title)."""
    return latexwalker.get_default_latex_context_db()


_OWN_TOKEN = re.compile(r"\{\\[^{}]*(?:\{[^{}]*\})?\}|\{\$\\[^$]*\$\}|\{~\}|[{}]")
_BARE = re.compile(r"[\\$%~^&#_]")


@cache
def _reverse_table() -> dict[str, str]:
    table = {latex: chr(code) for code, latex in _unicode_table().items()}
    table.update({_in_dollars(latex): char for latex, char in table.items()})
    table.update({latex: char for char, latex in _ASCII_SPECIALS.items()})
    return table


def _decode_own(latex: str) -> str | None:
    """Decode our own escape forms; None when the text holds anything else."""
    table = _reverse_table()
    unknown = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unknown
        token = match.group()
        if len(token) == 1:
            return ""  # a protection brace
        char = table.get(token)
        if char is None:
            unknown = True
            return token
        return char

    out = _OWN_TOKEN.sub(replace, latex)
    if unknown or _BARE.search(_OWN_TOKEN.sub("", latex)):
        return None
    return out
