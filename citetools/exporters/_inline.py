"""Formatted references as a small tree of inline text, its rewrites, and the plain-text writer.

Both engines (CSL through pandoc's citeproc, and pybtex) hand back each reference as
:class:`Entry` values whose content is :data:`Inline` nodes: :class:`Text`, :class:`Styled`
(emphasis, bold, small caps, super/subscript) and :class:`Link`. The writers escape every piece
of text for their target, so nothing a title holds (``*``, ``_``, ``<script>``, ``%``,
``[x](javascript:...)``, backticks) can become markup, and only ``http``/``https``/``ftp`` links
are ever made clickable (:func:`safe_href`). The plain-text writer is here; the Markdown, HTML
and LaTeX writers, which escape, are in :mod:`citetools.exporters._markup`.

Two rewrites run on the tree before it is written: :func:`resolve_et_al` turns the sentinel
author that marks a truncated author list into "et al.", and :func:`link_ids` links arXiv ids
(``arXiv:2605.31603``) and bare web addresses that the engine left as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

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
