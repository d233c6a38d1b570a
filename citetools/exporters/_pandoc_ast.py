"""pandoc's JSON AST of a rendered bibliography -> :class:`~citetools.exporters._inline.Entry`.

The ``refs`` div holds one ``csl-entry`` div per item (id ``ref-<item id>``); a style's margin
label (``[1]``) is a ``csl-left-margin`` span. :func:`texts` is the fast path when only the
plain text is wanted (sort keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from citetools.exporters._inline import Entry, Inline, Link, Styled, Text, merge_text, plain

_STYLED = {
    "Emph": "emph",
    "Strong": "strong",
    "SmallCaps": "smallcaps",
    "Superscript": "sup",
    "Subscript": "sub",
    "Underline": "underline",
}
_QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}


def _inlines(nodes: Iterable[Mapping[str, Any]]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            out.append(Text(content))
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(Text(" "))
        elif kind in _STYLED:
            out.append(Styled(_STYLED[kind], merge_text(_inlines(content))))
        elif kind == "Link":
            out.append(Link(content[2][0], merge_text(_inlines(content[1]))))
        elif kind == "Quoted":
            opening, closing = _QUOTES.get(content[0]["t"], ('"', '"'))
            out += [Text(opening), *_inlines(content[1]), Text(closing)]
        elif kind in ("Span", "Cite", "Image"):
            out.extend(_inlines(content[1]))  # the text of a span or citation, an image's alt
        elif kind == "Strikeout":
            out.extend(_inlines(content))
        elif kind in ("Code", "Math", "RawInline"):
            out.append(Text(content[1]))
        # Note: a footnote has no place in a reference list.
    return out


def _flatten(blocks: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The inline nodes of an entry's blocks, block boundaries as spaces; a Div (a CSL
    ``display`` block) becomes a Span with its classes."""
    out: list[Mapping[str, Any]] = []
    for block in blocks:
        if out:
            out.append({"t": "Space"})
        if block["t"] in ("Para", "Plain"):
            out.extend(block["c"])
        elif block["t"] == "Div":
            out.append({"t": "Span", "c": [block["c"][0], _flatten(block["c"][1])]})
    return out


def _entry(div: Mapping[str, Any]) -> Entry:
    (ident, _classes, _attrs), blocks = div["c"]
    label: str | None = None
    content: list[Inline] = []
    for node in _flatten(blocks):
        if label is None and node["t"] == "Span" and "csl-left-margin" in node["c"][0][1]:
            label = plain(_inlines(node["c"][1])).strip()
        else:
            content.extend(_inlines([node]))
    text = merge_text(content)
    if text and isinstance(text[0], Text):  # the space after a margin label
        text = (Text(text[0].value.lstrip()), *text[1:])
    return Entry(ident.removeprefix("ref-"), label, merge_text(text))


def bibliography(document: Mapping[str, Any]) -> tuple[list[Entry], bool]:
    for block in document.get("blocks", []):
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            classes = block["c"][0][1]
            entries = [_entry(d) for d in block["c"][1] if d["t"] == "Div"]
            return entries, "hanging-indent" in classes
    return [], False


def _raw_text(nodes: Iterable[Any]) -> Iterator[str]:
    for node in nodes:
        kind = node["t"]
        if kind == "Str":
            yield node["c"]
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            yield " "
        elif kind in ("Span", "Link", "Quoted", "Cite"):
            yield from _raw_text(node["c"][1])
        elif kind in ("Para", "Plain") or kind in _STYLED:
            yield from _raw_text(node["c"])
        elif kind == "Div":
            yield from _raw_text(node["c"][1])


def texts(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(item id, plain text) of each entry: the fast way, for the sort keys."""
    for block in document.get("blocks", []):
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            for div in block["c"][1]:
                yield div["c"][0][0].removeprefix("ref-"), "".join(_raw_text(div["c"][1]))
