"""LaTeX in text scraped from listing pages -> plain Unicode text.

arXiv titles and abstracts are LaTeX source (``4$\\sim$14``, ``$\\sigma$Reparam``,
``\\textit{..}``) and listing pages show them as such, sometimes with markup half-eaten by the
page's own link finder (``https://x/y}{https://x/y``: an ``\\href`` that lost its start).
:func:`~citetools.normalize.repair.repair_markup` drops what cannot be LaTeX (a brace without
its partner, a link's leftovers) and says what it dropped; :func:`decode_scraped` then turns
what is known into text.

What counts as known, so that nothing is lost and nothing is invented:

- A command is known when pylatexenc's table (the one :mod:`pylatexenc.latex2text` uses) has it,
  outside its placeholder categories (``\\cite`` -> ``<cit.>`` would lose the key) and the
  commands that lay out a document, read files or the clock (``\\section``, ``\\input``,
  ``\\today``); and when every character it makes that is not ASCII has a LaTeX spelling
  (:func:`~citetools.normalize.latex.escapes_to_itself`), so a .bib can write it back:
  ``\\sqrt`` (``√``) has none. Font commands keep their text (``\\textit{x}`` -> ``x``, math
  alphabets too: ``\\mathcal{O}`` -> ``O``); ``\\url{u}`` is ``u``; ``\\href{u}{t}`` is
  ``t (u)``, or ``u`` when the text is the address.
- Anything else stays exactly as written: an unknown command with what follows it up to the
  next space (``\\write18{x}``); a group, a math span (``$...$``, dollars included) or a known
  command whose arguments hold anything unknown, whole; a construct that would read
  differently when decoded again (``$\\{a\\}$`` gives braces, which would group). The
  exporters escape what is kept as they escape any text. So decoding twice is decoding once.
- A superscript or subscript of more than one character keeps its grouping as parentheses
  (``2^{n+1}`` -> ``2^(n+1)``); ``^`` and ``_`` stay as written.
- ``%`` is a percent sign, not a comment; a last unpaired ``$`` is a dollar; ``~``, ``--``,
  quotes and ``&`` stay as written, as :func:`~citetools.normalize.latex.decode` keeps them.

Text the user wrote (.bib, CSL-JSON, RIS, JSONL) never comes here: only listings are scraped.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pylatexenc import latexwalker
from pylatexenc.latex2text import (
    LatexNodes2Text,
    MacroTextSpec,
    SpecialsTextSpec,
    get_default_latex_context_db,
)
from pylatexenc.latexwalker import LatexNode
from pylatexenc.macrospec import LatexContextDb, MacroStandardArgsParser, std_macro

from citetools.normalize.latex import escapes_to_itself
from citetools.normalize.repair import holds_latex, repair_markup
from citetools.normalize.scraped_fast import Command, decode_common

# Commands with a spec that must stay as written: they lay out a document, read a file or the
# clock, or drop their argument's text.
_AS_WRITTEN = frozenset(
    {
        "textbackslash",  # a backslash made would start a command when read again
        "backslash",
        "title",
        "author",
        "date",
        "maketitle",
        "today",
        "input",
        "include",
        "part",
        "chapter",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "subparagraph",
    }
)
# Font commands whose text is kept as plain text (pylatexenc maps math alphabets to Unicode
# math letters, which no 8-bit LaTeX font has; a few text fonts it does not know).
_FONTS = (
    *("mathbf", "mathit", "mathsf", "mathbb", "mathtt", "mathcal", "mathscr", "mathfrak"),
    *("texttt", "textsf", "textup", "textmd", "textnormal", "boldsymbol", "bm"),
)
# Specials pylatexenc would change, kept as written.
_SPECIALS = ("~", "&", "--", "---", "``", "''", "!`", "?`")
_SCRIPTS = ("^", "_")


_DOLLAR = re.compile(r"(?<!\\)(?:\\\\)*\$")
_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")
_LATEX_START = re.compile(r"[\\${}]")  # (where holds_latex's characters are)


def decode_scraped(text: str) -> str:
    """Scraped LaTeX -> text: :func:`repair_markup`, then known commands and math decoded
    (see the module's notes); everything else as written. Decoding the result again changes
    nothing: text whose decoding would (``\\$5 and \\$6`` gives two dollars that read as
    math) is kept as written."""
    if not holds_latex(text):  # (most text: nothing to repair or decode)
        return text
    text = repair_markup(text).text
    decoded = _decode(text)
    if decoded == text or _decode(repair_markup(decoded).text) == decoded:
        return decoded
    return text


def _decode(text: str) -> str:
    """The text with each run that holds LaTeX decoded (pylatexenc reads a character at a
    time: a long abstract with one ``$\\sim$`` costs one short run, not the whole text)."""
    if not holds_latex(text):
        return text
    return "".join(_decode_run(run) if latex else run for run, latex in latex_runs(text))


_WORD = re.compile(r"\S+|\s+")
_GROUPING = re.compile(r"\\[\\{}$]|[{}$]")
_ENDS_IN_COMMAND = re.compile(r"\\(?:[A-Za-z]+|\\)$")  # (``\\\\`` may take ``[..]``)


def latex_runs(text: str) -> list[tuple[str, bool]]:
    """The text (repaired: :func:`repair_markup`'s) cut at white space into runs, each marked
    True when it holds LaTeX: from a word with ``\\ $ { }`` to the first word after which
    every group and math span is closed and no command waits for its argument
    (``\\textbf {x}``)."""
    runs: list[tuple[str, bool]] = []
    done = 0
    while found := _LATEX_START.search(text, done):
        start = found.start()
        while start > done and not text[start - 1].isspace():
            start -= 1
        end = _run_end(text, start)
        runs += [(text[done:start], False), (text[start:end], True)]
        done = end
    runs.append((text[done:], False))
    return runs


def _run_end(text: str, start: int) -> int:
    depth, math = 0, False
    for match in _WORD.finditer(text, start):
        word = match.group()
        if word.isspace():
            continue
        for token in _GROUPING.findall(word):
            if token == "$":
                math = not math
            elif len(token) == 1:
                depth = depth + 1 if token == "{" else max(0, depth - 1)
        if not (depth or math or _ENDS_IN_COMMAND.search(word)):
            return match.end()
    return len(text)


def _decode_run(text: str) -> str:
    common = decode_common(text, common_command)
    return common if common is not None else decode_run_fully(text)


@lru_cache(maxsize=1024)
def common_command(name: str) -> Command | None:
    """What :func:`.scraped_fast.decode_common` may make of a command: a fixed text (one of
    the table's symbols, whose characters all have a LaTeX spelling), the text of its one
    braced argument (a font command, ``\\url``), or itself as written (a command the table
    does not know, :func:`_kept_command`); None for anything else, left to pylatexenc."""
    spec = _text_context().get_macro_spec(name)
    if spec is None or name in _AS_WRITTEN:
        return _kept_command(name)
    walked = _walker_context().get_macro_spec(name)
    arguments = walked.args_parser.argspec if walked is not None else ""
    made = spec.simplify_repl
    if arguments == "" and isinstance(made, str) and made and "%" not in made:
        spelled = all(c.isascii() or not escapes_to_itself(c) for c in made)
        return Command(made, wraps=False) if spelled and not holds_latex(made) else None
    if arguments == "{" and (made == "%s" or made is _url or (made is None and not spec.discard)):
        return Command("", wraps=True)
    return None


# How a command the decoder keeps as written may take arguments for the fast reader to read it:
# optional ones (which it leaves to pylatexenc when given), then at most one braced.
_KEPT_ARGUMENTS = ("", "{", "*{", "[{", "*[{", "*[[{")


def _kept_command(name: str) -> Command | None:
    """A command :class:`_Decoder` keeps as written, for the fast reader: None when the walker
    might read more after it than braces close (an environment, ``\\verb``, two arguments)."""
    if name in ("begin", "end"):
        return None
    walked = _walker_context().get_macro_spec(name)
    if walked is None:
        return Command("", wraps=False, kept=True)
    parser = walked.args_parser
    if type(parser) is not MacroStandardArgsParser or parser.argspec not in _KEPT_ARGUMENTS:
        return None
    return Command("", wraps=parser.argspec.endswith("{"), kept=True)


def decode_run_fully(text: str) -> str:
    """One run of LaTeX decoded by pylatexenc: whatever :func:`.scraped_fast.decode_common`
    does not read, and what a test compares it with."""
    # Stand-ins for characters pylatexenc would read as LaTeX but that are text here: every
    # ``%`` and a last unpaired ``$``. Noncharacters, which clean text never holds; text that
    # holds them all is left as it is.
    free = [c for c in map(chr, range(0xFDD0, 0xFDF0)) if c not in text]
    if len(free) < 2:
        return text
    percent, dollar = free[:2]
    source = _PERCENT.sub(lambda m: m.group(1) + percent, text)
    dollars = list(_DOLLAR.finditer(source))
    if len(dollars) % 2:
        at = dollars[-1].end() - 1
        source = source[:at] + dollar + source[at + 1 :]
    walker = latexwalker.LatexWalker(
        source, latex_context=_walker_context(), tolerant_parsing=False
    )
    try:
        nodes = walker.get_latex_nodes()[0]
        # (a tolerant parse would leave out what it cannot place, ``\end{x}`` or a last ``\``)
        if sum(node.len for node in nodes) != len(source):
            return text
        decoded = _Decoder().nodelist_to_text(nodes)
    except Exception:  # not LaTeX after all, or nested too deep: kept as written
        return text
    return str(decoded).replace(percent, "%").replace(dollar, "$")


@cache
def _walker_context() -> LatexContextDb:
    context = latexwalker.get_default_latex_context_db()
    macros = [
        std_macro("href", False, 2),
        std_macro("boldsymbol", False, 1),
        std_macro("bm", False, 1),
    ]
    context.add_context_category("citetools-scraped", prepend=True, macros=macros)
    return context


def _url(node: LatexNode, l2tobj: LatexNodes2Text) -> str:
    return str(l2tobj.node_arg_to_text(node, 0))


def _href(node: LatexNode, l2tobj: LatexNodes2Text) -> str:  # (pylatexenc's argument names)
    url, label = (l2tobj.nodelist_to_text([arg]).strip() for arg in node.nodeargd.argnlist[:2])
    return url if label in ("", url) else f"{label} ({url})"


@cache
def _text_context() -> LatexContextDb:
    context = get_default_latex_context_db().filter_context(
        keep_categories=["latex-base", "latex-approximations", "advanced-symbols"]
    )
    context.add_context_category(
        "citetools-scraped",
        prepend=True,
        macros=[
            *(MacroTextSpec(name, discard=False) for name in _FONTS),
            MacroTextSpec("url", _url),
            MacroTextSpec("href", _href),
        ],
        specials=[SpecialsTextSpec(chars, chars) for chars in _SPECIALS],
    )
    return context


class _Decoder(LatexNodes2Text):  # type: ignore[misc]  # (pylatexenc has no types)
    """pylatexenc's converter with citetools' notion of known: made for one text (it counts
    the unknown commands it meets, to keep whole what holds one)."""

    def __init__(self) -> None:
        super().__init__(latex_context=_text_context(), math_mode="text", strict_latex_spaces=True)
        self.unknown = 0
        self.math = 0  # the depth of math spans around the node converted

    def nodelist_to_text(self, nodelist: list[LatexNode]) -> str:
        parts: list[str] = []
        as_written = False  # after an unknown command, up to the next space
        space = ""  # after a command without arguments: TeX eats it, the author meant it
        for node in nodelist:
            if node is None:
                continue
            if node.isNodeType(latexwalker.LatexCharsNode):
                as_written = as_written and not any(map(str.isspace, node.chars))
                parts.append(node.chars if self.math else space + node.chars)
                space = ""
                continue
            text = None if as_written else self._decoded(node)
            bare = node.isNodeType(latexwalker.LatexMacroNode) and not (
                node.nodeargd and any(node.nodeargd.argnlist)
            )
            space = node.macro_post_space if bare else ""
            if text is None:
                self.unknown += 1
                as_written = True
                parts.append(node.latex_verbatim())  # (with its space after)
                space = ""
                continue
            scripted = parts and parts[-1].endswith(_SCRIPTS)
            if scripted and node.isNodeType(latexwalker.LatexGroupNode) and len(text) > 1:
                text = f"({text})"  # ``2^{n+1}``: its grouping kept
            parts.append(text)
        return "".join(parts)

    def node_to_text(
        self, node: LatexNode, prev_node_hint: LatexNode | None = None, textcol: int = 0
    ) -> str:
        """A single node (a command's argument given without braces): as in a list."""
        return self.nodelist_to_text([node])

    def _decoded(self, node: LatexNode) -> str | None:
        """The node as text; None when it is or holds an unknown command (a group, a math span
        or a command's arguments are decoded whole or not at all)."""
        if node.isNodeType(latexwalker.LatexEnvironmentNode):
            return None
        if node.isNodeType(latexwalker.LatexMacroNode) and not self._known(node):
            return None
        unknown = self.unknown
        made = str(super().node_to_text(node))
        if self.unknown != unknown:
            return None
        if _decode(made) != made:
            return None  # (``\\{x\\}`` gives braces that would group when read again)
        source = node.latex_verbatim()
        if all(c.isascii() or c in source or not escapes_to_itself(c) for c in made):
            return made
        return None

    def _known(self, node: LatexNode) -> bool:
        """A command in the table, not to be kept as written, given every argument it takes
        (``{\\bar}`` has none: pylatexenc would drop the command)."""
        name = node.macroname
        if name in _AS_WRITTEN or self.latex_context.get_macro_spec(name) is None:
            return False
        given = node.nodeargd.argnlist if node.nodeargd else []
        return not any(arg is not None and arg.len == 0 for arg in given)

    def math_node_to_text(self, node: LatexNode) -> str:
        self.math += 1
        try:
            return str(super().math_node_to_text(node))
        finally:
            self.math -= 1
