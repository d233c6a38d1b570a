"""pandoc's JSON AST of a rendered bibliography -> :class:`~citetools.exporters._inline.Entry`.

The ``refs`` div holds one ``csl-entry`` div per item (id ``ref-<item id>``); a style's margin
label (``[1]``) is a ``csl-left-margin`` span. :func:`texts` is the fast path when only the
plain text is wanted (sort keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from citetools.exporters._inline import Entry, Inline, Link, Styled, Text, plain

_STYLED = {
    "Emph": "emph",
    "Strong": "strong",
    "SmallCaps": "smallcaps",
    "Superscript": "sup",
    "Subscript": "sub",
    "Underline": "underline",
}
_QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}


def _collect(nodes: Iterable[Mapping[str, Any]], out: list[str | Inline]) -> None:
    """The inline nodes as text (str) and other :data:`Inline` nodes, appended to ``out``;
    adjacent pieces of text are joined by :func:`_merged`."""
    for node in nodes:
        kind: str = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind == "Space" or kind == "SoftBreak" or kind == "LineBreak":
            out.append(" ")
        elif kind in _STYLED:
            out.append(Styled(_STYLED[kind], _inlines(node["c"])))
        elif kind == "Link":
            content = node["c"]
            out.append(Link(content[2][0], _inlines(content[1])))
        elif kind == "Quoted":
            content = node["c"]
            opening, closing = _QUOTES.get(content[0]["t"], ('"', '"'))
            out.append(opening)
            _collect(content[1], out)
            out.append(closing)
        elif kind in ("Span", "Cite", "Image"):
            _collect(node["c"][1], out)  # the text of a span or citation, an image's alt
        elif kind == "Strikeout":
            _collect(node["c"], out)
        elif kind in ("Code", "Math", "RawInline"):
            out.append(node["c"][1])
        # Note: a footnote has no place in a reference list.


def _merged(pieces: Iterable[str | Inline]) -> tuple[Inline, ...]:
    """:func:`~citetools.exporters._inline.merge_text` of the pieces, text given as str."""
    out: list[Inline] = []
    run: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            run.append(piece)
            continue
        if run:
            text = "".join(run)
            if text:
                out.append(Text(text))
            run = []
        if not isinstance(piece, Text):
            out.append(piece)
        elif piece.value:
            run.append(piece.value)
    if run:
        text = "".join(run)
        if text:
            out.append(Text(text))
    return tuple(out)


def _inlines(nodes: Iterable[Mapping[str, Any]]) -> tuple[Inline, ...]:
    pieces: list[str | Inline] = []
    _collect(nodes, pieces)
    return _merged(pieces)


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
    pieces: list[str | Inline] = []
    for node in _flatten(blocks):
        if label is None and node["t"] == "Span" and "csl-left-margin" in node["c"][0][1]:
            label = plain(_inlines(node["c"][1])).strip()
        else:
            _collect([node], pieces)
    text = _merged(pieces)
    if text and isinstance(text[0], Text):  # the space after a margin label
        text = _merged((text[0].value.lstrip(), *text[1:]))
    return Entry(ident.removeprefix("ref-"), label, text)


def bibliography(document: Mapping[str, Any]) -> tuple[list[Entry], bool]:
    for block in document.get("blocks", []):
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            classes = block["c"][0][1]
            entries = [_entry(d) for d in block["c"][1] if d["t"] == "Div"]
            return entries, "hanging-indent" in classes
    return [], False


def _raw_text(nodes: Iterable[Any], out: list[str]) -> None:
    for node in nodes:
        kind = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind == "Space" or kind == "SoftBreak" or kind == "LineBreak":
            out.append(" ")
        elif kind in ("Span", "Link", "Quoted", "Cite"):
            _raw_text(node["c"][1], out)
        elif kind in ("Para", "Plain") or kind in _STYLED:
            _raw_text(node["c"], out)
        elif kind == "Div":
            _raw_text(node["c"][1], out)


def texts(document: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(item id, plain text) of each entry: the fast way, for the sort keys."""
    for block in document.get("blocks", []):
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            for div in block["c"][1]:
                pieces: list[str] = []
                _raw_text(div["c"][1], pieces)
                yield div["c"][0][0].removeprefix("ref-"), "".join(pieces)
