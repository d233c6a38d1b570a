"""The writers that print formatted references as markup: Markdown, HTML and LaTeX.

Each escapes every piece of :class:`~citetools.exporters._inline.Text` for its target, so nothing
a title holds can become markup, and links only where
:func:`~citetools.exporters._inline.link_target` allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from citetools.exporters._inline import Entry, Inline, Link, Text, link_target, plain
from citetools.normalize.latex import escape

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
