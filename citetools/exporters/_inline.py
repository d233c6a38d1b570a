"""Formatted references as a small tree of inline text, and the four writers that print it.

Both engines (CSL through pandoc's citeproc, and pybtex) hand back each reference as
:class:`Entry` values whose content is :data:`Inline` nodes: :class:`Text`, :class:`Styled`
(emphasis, bold, small caps, super/subscript) and :class:`Link`. The writers escape every piece
of text for their target, so nothing a title holds (``*``, ``_``, ``<script>``, ``%``,
``[x](javascript:...)``, backticks) can become markup, and only ``http``/``https``/``ftp`` links
are ever made clickable (:func:`safe_href`).

Two rewrites run on the tree before it is written: :func:`resolve_et_al` turns the sentinel
author that marks a truncated author list into "et al.", and :func:`link_ids` links arXiv ids
(``arXiv:2605.31603``) and bare web addresses that the engine left as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from citetools.normalize.latex import escape

# The name that stands for "and the authors the listing did not show". It is an all-capital
# ASCII word, so title-casing, capitalizing or small caps leave it recognisable.
ET_AL_SENTINEL = "ZQXETALZQX"
ET_AL = "et al."
SAFE_SCHEMES = frozenset({"http", "https", "ftp"})
STYLED_KINDS = frozenset({"emph", "strong", "smallcaps", "sup", "sub", "underline"})


@dataclass(frozen=True, slots=True)
class Text:
    value: str


@dataclass(frozen=True, slots=True)
class Styled:
    kind: str  # one of STYLED_KINDS
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Inline, ...]


Inline = Text | Styled | Link


@dataclass(frozen=True, slots=True)
class Entry:
    """One formatted reference: the record's citation key, the style's label (``[1]``,
    ``MullerK+20``) when it prints one in a margin, and the reference itself."""

    key: str
    label: str | None
    content: tuple[Inline, ...]


def merge_text(nodes: Iterable[Inline]) -> tuple[Inline, ...]:
    """Adjacent text nodes joined; empty ones dropped."""
    out: list[Inline] = []
    run: list[str] = []  # the values of the text nodes since the last other node
    first: Text | None = None  # the first of them, kept as it is when it stands alone
    for node in nodes:
        if isinstance(node, Text):
            if node.value:
                if not run:
                    first = node
                run.append(node.value)
            continue
        if run:
            out.append(first if len(run) == 1 and first is not None else Text("".join(run)))
            run = []
        out.append(node)
    if run:
        out.append(first if len(run) == 1 and first is not None else Text("".join(run)))
    return tuple(out)


def plain(nodes: Iterable[Inline]) -> str:
    """The text alone, markup dropped."""
    return "".join(n.value if isinstance(n, Text) else plain(n.children) for n in nodes)


def _map_text(
    nodes: Iterable[Inline], change: Callable[[str], list[Inline] | None]
) -> tuple[Inline, ...]:
    """Every text node outside links replaced by ``change(text)`` (None: left as it is)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            changed = change(node.value)
            if changed is None:
                out.append(node)
            else:
                out.extend(changed)
        elif isinstance(node, Styled):
            children = _map_text(node.children, change)
            out.append(node if children == node.children else Styled(node.kind, children))
        else:
            out.append(node)
    return merge_text(out)


def resolve_et_al(
    nodes: Sequence[Inline], connector: str | None, term: str = ET_AL
) -> tuple[Inline, ...]:
    """The sentinel author, with the style's connector before it (``& ZQX...``, ``and ZQX...``),
    becomes ``term``: ``Xing, J., Yuan, H., & <sentinel>`` -> ``Xing, J., Yuan, H., et al.``.
    After an ellipsis (APA's ``A, B, ... Z`` form for long lists) the ellipsis goes too. Where
    the style's own et-al rule already cut the list, the sentinel is not printed at all."""

    def change(text: str) -> list[Inline] | None:
        resolved = et_al_text(text, connector, term)
        return None if resolved is text else [Text(resolved)]

    return _map_text(nodes, change)


def et_al_text(text: str, connector: str | None, term: str = ET_AL) -> str:
    """:func:`resolve_et_al` on plain text (also used on other processors' output in tests)."""
    if ET_AL_SENTINEL.casefold() not in text.casefold():
        return text
    # The period a style puts after the names merges with the one that ends "et al.".
    sentinel = re.escape(ET_AL_SENTINEL) + (r"\.?" if term.endswith(".") else "")
    text = re.sub(r"(?:…|\.\s?\.\s?\.)\s*" + sentinel, term, text, flags=re.IGNORECASE)
    if connector:
        before = r"(?:(?<=\s)|^)" + re.escape(connector) + r"\s+"
        text = re.sub(before + sentinel, term, text, flags=re.IGNORECASE)
    return re.sub(sentinel, term, text, flags=re.IGNORECASE)


_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_LINKABLE = re.compile(
    r"(?P<arxiv>\barXiv:(?P<id>" + _ARXIV_ID + r"))(?![\w/])"
    r"|(?P<url>\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?')\]])",
    re.IGNORECASE,
)
_MAYBE_LINKABLE = re.compile(r"arXiv:|://", re.IGNORECASE)  # in every match of _LINKABLE


def _linkify(text: str) -> list[Inline] | None:
    if not _MAYBE_LINKABLE.search(text):
        return None
    out: list[Inline] = []
    last = 0
    for match in _LINKABLE.finditer(text):
        out.append(Text(text[last : match.start()]))
        if match.group("arxiv"):
            href = "https://arxiv.org/abs/" + match.group("id")
        else:
            href = match.group("url")
        out.append(Link(href, (Text(match.group()),)))
        last = match.end()
    out.append(Text(text[last:]))
    return out


def link_ids(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    """arXiv ids (``arXiv:2605.31603`` -> ``https://arxiv.org/abs/2605.31603``) and bare
    http(s) addresses in text that is not already a link, as links."""
    return _map_text(nodes, _linkify)


def safe_href(href: str) -> str | None:
    """The address as a link target, percent-encoded where it holds spaces, quotes, brackets or
    non-ASCII characters; None unless it is an absolute http, https or ftp address (so a
    ``javascript:`` URL in a record is printed, never linked)."""
    href = href.strip()
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    try:
        parts.port  # noqa: B018  (raises on a malformed port: https://javascript:alert(1))
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    encoded = quote(href, safe="%:/?#[]@!$&'*+,;=-._~")
    return encoded.replace("(", "%28").replace(")", "%29")


_OTHER_ADDRESS = re.compile(
    r"^(?:javascript|vbscript|data|file|blob):|^(?!(?:https?|ftp)://)[A-Za-z][\w+.-]*://",
    re.IGNORECASE,
)


def link_target(node: Link) -> str | None:
    """Where a link may point: :func:`safe_href`, and never when its text is an address of
    another scheme (pandoc links a ``javascript:`` URL as ``https://javascript:...``)."""
    if _OTHER_ADDRESS.match(plain(node.children).strip()):
        return None
    return safe_href(node.href)


# ---------------------------------------------------------------------------------------------
# Plain text


def text_line(entry: Entry) -> str:
    """One reference on one line (``[1] J. Xing, ...``); white space runs become one space."""
    body = plain(entry.content)
    line = f"{entry.label} {body}" if entry.label else body
    return re.sub(r"[ \t\r\n]+", " ", line).strip()


def write_text(entries: Iterable[Entry]) -> Iterator[str]:
    for entry in entries:
        yield text_line(entry) + "\n"


# ---------------------------------------------------------------------------------------------
# Markdown (CommonMark, GitHub and pandoc flavours)

# Characters that start markup somewhere in CommonMark, GFM or pandoc's Markdown.
_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>|~^$])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+#=:])|(\d+)([.)]))")
_MD_TAGS = {"sup": ("<sup>", "</sup>"), "sub": ("<sub>", "</sub>")}
_MD_MARKS = {"emph": "*", "strong": "**"}


def md_escape(text: str) -> str:
    return _MD_ENTITY.sub(r"\\&", _MD_ALWAYS.sub(r"\\\1", text))


def _md_wrap(mark: str, inner: str) -> str:
    """Emphasis around ``inner``, with its outer spaces moved outside (``* x*`` is no
    emphasis in CommonMark)."""
    core = inner.strip(" ")
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _md(nodes: Iterable[Inline]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(md_escape(node.value))
        elif isinstance(node, Link):
            text, href = plain(node.children), link_target(node)
            if href is None:
                out.append(_md(node.children))
            elif text == node.href == href:
                out.append(f"<{href}>")
            else:
                out.append(f"[{_md(node.children)}]({href})")
        elif node.kind in _MD_MARKS:
            out.append(_md_wrap(_MD_MARKS[node.kind], _md(node.children)))
        elif node.kind in _MD_TAGS:
            opening, closing = _MD_TAGS[node.kind]
            out.append(opening + _md(node.children) + closing)
        else:
            out.append(_md(node.children))
    return "".join(out)


def markdown_paragraph(entry: Entry) -> str:
    label = md_escape(entry.label) + " " if entry.label else ""
    text = re.sub(r"[ \t\r\n]+", " ", label + _md(entry.content)).strip()

    def guard(match: re.Match[str]) -> str:
        if match.group(2):
            return f"{match.group(1)}\\{match.group(2)}"
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"

    # A paragraph must not open a list, heading, definition or setext line.
    return _MD_LINE_START.sub(guard, text, count=1)


def write_markdown(entries: Iterable[Entry]) -> Iterator[str]:
    for i, entry in enumerate(entries):
        yield ("\n" if i else "") + markdown_paragraph(entry) + "\n"


# ---------------------------------------------------------------------------------------------
# HTML


def html_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


_HTML_TAGS = {
    "emph": ("<i>", "</i>"),
    "strong": ("<b>", "</b>"),
    "smallcaps": ('<span style="font-variant:small-caps">', "</span>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "underline": ("<u>", "</u>"),
}


def _html(nodes: Iterable[Inline]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(html_escape(node.value))
        elif isinstance(node, Link):
            href = link_target(node)
            inner = _html(node.children)
            out.append(f'<a href="{html_escape(href)}">{inner}</a>' if href else inner)
        else:
            opening, closing = _HTML_TAGS.get(node.kind, ("", ""))
            out.append(opening + _html(node.children) + closing)
    return "".join(out)


def html_entry(entry: Entry) -> str:
    body = _html(entry.content)
    if entry.label:
        label = html_escape(entry.label)
        body = (
            f'<span class="csl-left-margin">{label}</span> '
            f'<span class="csl-right-inline">{body}</span>'
        )
    return f'  <div class="csl-entry" id="ref-{html_escape(entry.key)}">{body}</div>\n'


def write_html(entries: Iterable[Entry], *, title: str, hanging_indent: bool) -> Iterator[str]:
    """A complete UTF-8 document; the ``csl-bib-body`` div is the part to paste elsewhere."""
    indent = ".csl-entry { padding-left: 2em; text-indent: -2em; }\n" if hanging_indent else ""
    yield (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_escape(title)}</title>\n"
        f"<style>\n.csl-entry {{ margin: 0 0 0.5em; }}\n{indent}</style>\n"
        '</head>\n<body>\n<div class="csl-bib-body">\n'
    )
    yield from map(html_entry, entries)
    yield "</div>\n</body>\n</html>\n"


# ---------------------------------------------------------------------------------------------
# LaTeX


_LATEX_EXTRA = str.maketrans({"<": "{\\textless}", ">": "{\\textgreater}", "|": "{\\textbar}"})


def latex_escape(text: str) -> str:
    """Plain text -> LaTeX that typesets as exactly that text: the BibTeX exporter's escaping
    (specials as braced commands, non-ASCII letters as accents), and ``< > |``, which the
    default OT1 font encoding would print as other glyphs."""
    return escape(text).translate(_LATEX_EXTRA)


_LATEX_COMMANDS = {
    "emph": "\\emph",
    "strong": "\\textbf",
    "smallcaps": "\\textsc",
    "sup": "\\textsuperscript",
    "sub": "\\textsubscript",
    "underline": "\\underline",
}
_BIBITEM_KEY = re.compile(r"[^A-Za-z0-9_:.+/@'-]")


def _latex(nodes: Iterable[Inline]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(latex_escape(node.value))
        elif isinstance(node, Link):
            href = link_target(node)
            inner = _latex(node.children)
            if href is None:
                out.append(inner)
            elif plain(node.children) == node.href == href and not re.search("[%#]", href):
                out.append(f"\\url{{{href}}}")
            else:
                target = href.replace("%", "\\%").replace("#", "\\#")
                out.append(f"\\href{{{target}}}{{{inner}}}")
        else:
            command = _LATEX_COMMANDS.get(node.kind)
            inner = _latex(node.children)
            out.append(f"{command}{{{inner}}}" if command else inner)
    return "".join(out)


def write_latex(entries: Sequence[Entry], *, title: str) -> Iterator[str]:
    """A ``thebibliography`` environment, one ``\\bibitem{<key>}`` per reference, so
    ``\\cite{<key>}`` works. A style's labels (``[1]``, ``MullerK+20``) become the items'
    labels; a style without labels (author-date) prints none. Links need ``hyperref``."""
    yield f"% References in the style {title}, written by citetools.\n"
    yield "% Links need \\usepackage{hyperref} in the preamble.\n"
    if not entries:
        return
    labels = [e.label.strip().strip("[]").strip() if e.label else "" for e in entries]
    widest = max(labels, key=len)
    yield f"\\begin{{thebibliography}}{{{latex_escape(widest) or '0'}}}\n"
    if not widest:
        yield "\\makeatletter\\renewcommand{\\@biblabel}[1]{}\\makeatother\n"
    for entry, label in zip(entries, labels, strict=True):
        key = _BIBITEM_KEY.sub("-", entry.key)
        option = f"[{{{latex_escape(label)}}}]" if label else ""
        body = re.sub(r"[ \t\r\n]+", " ", _latex(entry.content)).strip()
        yield f"\n\\bibitem{option}{{{key}}}\n{body}\n"
    yield "\n\\end{thebibliography}\n"
