"""A CSL style's bibliography order, computed as citeproc-js computes it.

pandoc's citeproc sorts differently from citeproc-js (Zotero, citation-js) and from the CSL
specification in two ways seen on the seed entries: it compares names in sort keys by their full
given names where citeproc-js compares the text the style prints (APA: ``Cai, Q., Pan, Y.``
before ``Cai, Q., Zhang, Y.``, whatever the first names), and it puts entries whose sort key is
empty first where the specification puts them last. So citetools sorts itself:

1. pandoc renders each sort key of the style's ``<bibliography><sort>`` for every item, through
   a variant of the style whose bibliography layout prints only the keys (:func:`keys_variant`);
2. the items are ordered by those texts as citeproc-js orders them (:func:`order`): key by key,
   an empty key after every non-empty one in either direction, texts compared lower-cased,
   without accents or punctuation, digit runs as numbers (ICU's ``sensitivity: base``,
   ``ignorePunctuation``, ``numeric``), ties in input order;
3. the bibliography is rendered without its sort, in that order.

Known approximations: a key's ``names-min``/``names-use-first``/``names-use-last`` overrides are
not applied (no official style uses them in a bibliography sort that changes the seeds' order);
the collation is ICU's for Latin letters, not for other scripts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii

from citetools.formats.csl import DATE_VARIABLES, NAME_VARIABLES

CSL_NS = "http://purl.org/net/xbiblio/csl"
SEPARATOR = "\u241e"  # SYMBOL FOR RECORD SEPARATOR: printed before each key


def _tag(name: str) -> str:
    return f"{{{CSL_NS}}}{name}"


@dataclass(frozen=True, slots=True)
class SortKey:
    macro: str | None
    variable: str | None
    descending: bool


def sort_keys(root: ET.Element) -> list[SortKey]:
    """The keys of the style's bibliography sort, in order (empty: no sort)."""
    sort = root.find(f"{_tag('bibliography')}/{_tag('sort')}")
    if sort is None:
        return []
    return [
        SortKey(key.get("macro"), key.get("variable"), key.get("sort") == "descending")
        for key in sort.findall(_tag("key"))
        if key.get("macro") or key.get("variable")
    ]


def keys_per_item(root: ET.Element, keys: Sequence[SortKey]) -> bool:
    """True when each item's keys depend on that item alone: no macro the keys call tests
    ``disambiguate`` (true for an item whose citation looks like another's in the same job)
    or a ``position``. Then they may be rendered in jobs of any size."""
    macros = {m.get("name"): m for m in root.iter(_tag("macro"))}
    seen: set[str] = set()
    todo = [k.macro for k in keys if k.macro]
    while todo:
        name = todo.pop()
        if name in seen or name not in macros:
            continue
        seen.add(name)
        for element in macros[name].iter():
            if element.get("disambiguate") or element.get("position"):
                return False
            called = element.get("macro")
            if called:
                todo.append(called)
    return True


def _key_element(key: SortKey) -> ET.Element:
    if key.macro:
        return ET.Element(_tag("text"), {"macro": key.macro})
    variable = key.variable or ""
    if variable in NAME_VARIABLES:
        names = ET.Element(_tag("names"), {"variable": variable})
        ET.SubElement(names, _tag("name"), {"name-as-sort-order": "all"})
        return names
    if variable in DATE_VARIABLES:
        date = ET.Element(_tag("date"), {"variable": variable})
        ET.SubElement(date, _tag("date-part"), {"name": "year"})
        for part in ("month", "day"):
            attrs = {"name": part, "form": "numeric-leading-zeros", "prefix": "-"}
            ET.SubElement(date, _tag("date-part"), attrs)
        return date
    return ET.Element(_tag("text"), {"variable": variable})


def _as_citeproc_js_keys(root: ET.Element) -> None:
    """Names and dates printed as citeproc-js writes them in sort keys: every name family
    first, no connector before the last; every date in full (year, month, day), whatever
    parts the style prints."""
    for element in root.iter():  # name options are inherited from style, citation ...
        for attribute in ("and", "delimiter-precedes-last"):
            element.attrib.pop(attribute, None)
    for name in root.iter(_tag("name")):
        name.set("name-as-sort-order", "all")
    for date in root.iter(_tag("date")):
        for attribute in ("form", "date-parts", "delimiter"):
            date.attrib.pop(attribute, None)
        for child in list(date):
            date.remove(child)
        ET.SubElement(date, _tag("date-part"), {"name": "year"})
        for part in ("month", "day"):
            attrs = {"name": part, "form": "numeric-leading-zeros", "prefix": "-"}
            ET.SubElement(date, _tag("date-part"), attrs)


def keys_variant(root: ET.Element, keys: Sequence[SortKey]) -> bytes:
    """The style with a bibliography that prints, unsorted, each key after a separator. Its
    citation prints a constant and does no disambiguation: the keys never show a citation,
    and pandoc renders each item's citation apart from its bibliography entry (a sixth of a
    keys job's time for APA, and disambiguation is the slow part)."""
    _as_citeproc_js_keys(root)
    bibliography = root.find(_tag("bibliography"))
    citation = root.find(_tag("citation"))
    if citation is not None:
        for name in list(citation.attrib):
            if name.startswith("disambiguate") or name == "givenname-disambiguation-rule":
                del citation.attrib[name]
        for child in list(citation):
            citation.remove(child)
        ET.SubElement(ET.SubElement(citation, _tag("layout")), _tag("text"), {"value": "-"})
    if bibliography is not None:
        for child in list(bibliography):
            if child.tag in (_tag("sort"), _tag("layout")):
                bibliography.remove(child)
        layout = ET.SubElement(bibliography, _tag("layout"))
        for key in keys:
            ET.SubElement(layout, _tag("text"), {"value": SEPARATOR})
            layout.append(_key_element(key))
    ET.register_namespace("", CSL_NS)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def parse_keys(text: str, count: int) -> list[str]:
    """One rendered entry of the keys variant -> its ``count`` key texts."""
    parts = text.split(SEPARATOR)[1:]
    return [p.strip() for p in parts] + [""] * (count - len(parts))


_DIGITS = re.compile(r"(\d+)")
_NOT_WORD = re.compile(r"[\W_]+")


Collated = tuple[tuple[tuple[int, int | str], ...], ...]


@functools.lru_cache(maxsize=65536)
def collation_key(text: str) -> Collated:
    """``text`` compared as citeproc-js compares sort keys: word by word (it joins words with
    ``|``, which sorts before letters), each word as ICU compares with sensitivity base,
    ignorePunctuation and numeric: case, accents and punctuation ignored, digit runs by value."""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = anyascii("".join(c for c in folded if not unicodedata.combining(c))).casefold()
    words = [_NOT_WORD.sub("", word) for word in folded.split()]
    return tuple(
        ((1, word),)
        if word.isalpha()  # no digit run to split off
        else tuple((0, int(p)) if p.isdigit() else (1, p) for p in _DIGITS.split(word) if p)
        for word in words
        if word
    )


def order(keys: Sequence[Sequence[str]], specs: Sequence[SortKey]) -> list[int]:
    """Indexes of the items in bibliography order (stable): key by key, an empty key after
    every other in either direction, ties in input order. One stable sort per key, the last
    key first."""
    collated = [[collation_key(k) if k else None for k in item] for item in keys]
    ranked = list(range(len(keys)))
    for column in reversed(range(len(specs))):
        present: list[tuple[Collated, int]] = []
        absent: list[int] = []
        for i in ranked:
            value = collated[i][column] if column < len(collated[i]) else None
            if value is None:
                absent.append(i)
            else:
                present.append((value, i))
        present.sort(key=lambda pair: pair[0], reverse=specs[column].descending)
        ranked = [i for _, i in present] + absent
    return ranked
