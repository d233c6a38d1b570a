"""The common forms of listing LaTeX decoded without building pylatexenc's node tree.

pylatexenc reads a character at a time and costs about a quarter of a millisecond for each run
of LaTeX in an abstract, more than all the rest of a listing's export. Nearly every run in an
arXiv abstract is made of a few forms: math spans of letters, digits and symbols
(``$2\\times 2$``, ``$\\sigma$Reparam``), font commands around text (``\\textbf{Dy}namic``,
``$\\mathbf{x}$``), ``\\url{..}``, ``\\%``, groups, and commands the decoder keeps as
written (``\\cite{key}``). :func:`decode_common` reads exactly those and gives the text
:mod:`~citetools.normalize.scraped`'s pylatexenc decoder gives for them, following its rules
step by step (where a command's trailing space goes, math spans stripped, a script's group in
parentheses, where the text after a command kept as written is read again); for anything else
it returns None and that decoder runs. A test compares the two on every run of LaTeX in the
seeds and the recorded arXiv responses and on thousands of generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple


class Command(NamedTuple):
    """What a known command makes: a fixed text (``\\sigma`` -> a sigma), or, when ``wraps``,
    the text of its one braced argument (``\\textbf{x}`` -> ``x``). A ``kept`` command is one
    the decoder keeps as written (``\\cite{key}``), with what follows it up to the next space;
    ``wraps`` then says it takes a braced argument, which must follow it."""

    text: str
    wraps: bool
    kept: bool = False


Commands = Callable[[str], "Command | None"]  # a command's name -> what it makes, None: unknown

# pylatexenc's specials (its walker's table): their own text, but each a node of its own, which
# decides where a command's trailing space goes.
_SPECIAL = re.compile(r"---|--|``|''|!`|\?`|[~&]")
_CHARS = re.compile(r"(?:[^\\{}$~&\-`'!?]|-(?!-)|`(?!`)|'(?!')|[!?](?!`))+")
# (pylatexenc reads any letter into a command's name: ``\\alphaé`` is not ``\\alpha``)
_COMMAND = re.compile(r"\\(?:([A-Za-z]++)(?![^\W\d_])( *+)(?!\s)|([%&#_]))")
_SCRIPTS = ("^", "_")
_DEEPEST = 32  # groups and arguments nested deeper: the full decoder's (it keeps them as written)


def decode_common(text: str, commands: Commands) -> str | None:
    """The run decoded when it is made only of the common forms (see the module's notes), else
    None. ``commands``: what each command name makes, None for one not to decode here."""
    if text.count("$") % 2:  # (a last unpaired dollar is text: the full decoder's case)
        return None
    read = _Reader(text, commands)
    decoded = read.nodes(0, math=False, end="")
    return decoded[0] if decoded is not None else None


class _Reader:
    """One run read node by node, as pylatexenc's walker would cut it."""

    def __init__(self, text: str, commands: Commands) -> None:
        self.text = text
        self.commands = commands

    def nodes(self, at: int, *, math: bool, end: str, depth: int = 0) -> tuple[str, int] | None:
        """The text of the nodes from ``at`` to ``end`` (``}``, ``$`` or the run's end) and
        where reading stopped, after ``end``; None when something is not a common form.
        ``depth``: how many groups, math spans and arguments hold them."""
        if depth >= _DEEPEST:
            return None
        text, parts, space = self.text, list[str](), ""
        while at < len(text):
            char = text[at]
            if char == end:
                return "".join(parts), at + 1
            if char == "}" or (char == "$" and math):
                return None
            if char == "\\":
                command = self.command(at, math=math, depth=depth)
                if command is None:
                    return None
                made, space, at = command
                parts.append(made)
            elif char in "{$":
                if char == "$" and text.startswith("$$", at):
                    return None
                closing = "}" if char == "{" else "$"
                inner = self.nodes(at + 1, math=math or char == "$", end=closing, depth=depth + 1)
                if inner is None:
                    return None
                made, at = inner
                if char == "$":
                    made = made.strip()
                elif len(made) > 1 and parts and parts[-1].endswith(_SCRIPTS):
                    made = f"({made})"  # ``2^{n+1}``: its grouping kept
                parts.append(made)
                space = ""
            elif special := _SPECIAL.match(text, at):
                parts.append(special.group())
                space, at = "", special.end()
            else:
                chars = _CHARS.match(text, at)
                if chars is None:
                    return None
                parts.append(chars.group() if math else space + chars.group())
                space, at = "", chars.end()
        return ("".join(parts), at) if not end else None

    def command(self, at: int, *, math: bool, depth: int) -> tuple[str, str, int] | None:
        """A command at ``at``: its text, the space after it that text after it keeps (TeX eats
        it after a command's name, the author meant it), and where it ends."""
        found = _COMMAND.match(self.text, at)
        if found is None:
            return None
        name, space, escaped = found.groups()
        if escaped:  # ``\\%``: the character
            return escaped, "", found.end()
        known = self.commands(name)
        if known is None:
            return None
        if known.kept:  # (inside a group, math or an argument it keeps them whole)
            return None if depth else self.as_written(at)
        if not known.wraps:
            return known.text, space, found.end()
        if space or not self.text.startswith("{", found.end()):
            return None  # (an argument after a space or without braces: the full decoder's)
        argument = self.nodes(found.end() + 1, math=math, end="}", depth=depth + 1)
        if argument is None:
            return None
        return argument[0], "", argument[1]

    def as_written(self, at: int) -> tuple[str, str, int] | None:
        """A command kept as written at ``at`` (``\\cite{key}``) and what follows it, as
        written: up to the first white space outside groups and math spans (that text goes on
        being read as usual). None when a command in it might take more than that (optional
        arguments, an argument without braces, an environment)."""
        text, depth, math, start = self.text, 0, False, at
        while at < len(text):
            char = text[at]
            if char == "\\":
                found = _COMMAND.match(text, at)
                if found is None:
                    return None
                if found.group(1) is not None and not self.arguments_closed(found):
                    return None
                at = found.end()
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                if not depth:
                    return None
                depth -= 1
            elif char == "$":
                if text.startswith("$$", at):
                    return None
                math = not math
            elif char.isspace() and not (depth or math):
                return text[start:at], "", at
            at += 1
        return None if depth or math else (text[start:], "", at)

    def arguments_closed(self, found: re.Match[str]) -> bool:
        """Whether the command ``found`` takes nothing but what braces close: none, or one
        braced argument that follows it (a command that may take optional ones first does not
        read one after ``{``: :func:`~citetools.normalize.scraped.common_command`)."""
        known = self.commands(found.group(1))
        return known is not None and (not known.wraps or self.text.startswith("{", found.end()))
