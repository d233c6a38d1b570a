"""Plugin discovery: one entry-point group per kind, built-ins declared like everyone else's.

Kinds, groups and protocols
---------------------------
An entry point names a **class** (never an instance or a function); citetools instantiates it.
The protocols are ``typing.Protocol`` classes; a plugin need not inherit from them.

- ``reader``: group ``citetools.readers``, protocol :class:`citetools.readers.Reader` (and
  the optional :class:`~citetools.readers.SniffingReader`,
  :class:`~citetools.readers.StreamingReader`), in ``citetools/readers/__init__.py``;
- ``exporter``: group ``citetools.exporters``, protocol :class:`citetools.exporters.Exporter`,
  in ``citetools/exporters/__init__.py``;
- ``keystyle``: group ``citetools.keystyles``, protocol :class:`citetools.keys.KeyStyle`, in
  ``citetools/keys/__init__.py``;
- ``resolver``: group ``citetools.resolvers``, protocol :class:`citetools.resolvers.Resolver`,
  in ``citetools/resolvers/__init__.py``.

Every plugin class has a ``name`` (its entry-point name) and a one-line ``description``, both
``str`` class attributes, shown by ``citetools plugins``. Then, per kind:

reader
    ``suffixes: tuple[str, ...]`` (``(".ris",)``; may be empty);
    ``read(source: Source) -> ReadResult`` (a :class:`~citetools.files.Source`: the input as
    ``source.text()`` or ``source.lines()``, named ``source.name``): one bad entry is a
    :class:`~citetools.errors.Problem` in the result, never an exception; only an input unusable
    as a whole raises :class:`~citetools.errors.ReadError`. Optional
    ``sniff(source) -> bool`` claims inputs by content (a listing saved as ``.txt``); it
    never raises. Optional ``stream(source, problems) -> Iterator[Record]`` gives the records
    as they are read. Built with no arguments. Deterministic, no network.
exporter
    ``suffixes: tuple[str, ...]``; ``write(records: Iterable[Record], out: TextIO) -> None``
    streams records (which already carry keys) to ``out``; an empty iterable is fine.
    Optional ``leaves_out(record) -> str | None``: why a record is not written (a formatted
    list cannot show one with neither title nor author), None when it is; the pipeline
    reports each as a warning. Built with keyword options only
    (``BibtexExporter(arxiv_note=True)``). Deterministic, no network.
keystyle
    ``base_key(record: Record) -> str``: a non-empty key of ``[A-Za-z0-9_:-]``, deterministic;
    collisions are resolved once, by :func:`citetools.keys.assign_keys`. Built with positional
    string arguments (the ``jabref`` style takes its pattern).
resolver
    ``resolve(records: Sequence[Record]) -> list[Resolution]``: one
    :class:`~citetools.resolvers.Resolution` per record, in order, batched, never losing a
    record. The only kind that may use the network.

The contract every installed plugin must pass is ``tests/contract/``.

Broken plugins
--------------
A plugin whose module fails to import, whose entry point names something that is not a class,
or whose class lacks an attribute or has one of the wrong type, is *broken*: :func:`load`
raises :class:`~citetools.errors.PluginLoadError` naming the plugin, its entry point and the
reason; :func:`names` leaves it out, so it never breaks the others; :func:`describe_all` (and
``citetools plugins``) lists it with the reason. :func:`register` adds an in-process plugin
(tests, scripts), which wins over an installed one of the same name until :func:`unregister`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, cast

from citetools.errors import CitetoolsError, PluginError, PluginLoadError, PluginNotFound

if TYPE_CHECKING:
    from citetools.exporters import Exporter
    from citetools.keys import KeyStyle
    from citetools.readers import Reader
    from citetools.resolvers import Resolver

GROUPS = {
    "reader": "citetools.readers",
    "exporter": "citetools.exporters",
    "keystyle": "citetools.keystyles",
    "resolver": "citetools.resolvers",
}
_METHODS = {
    "reader": ("read",),
    "exporter": ("write",),
    "keystyle": ("base_key",),
    "resolver": ("resolve",),
}
_HAS_SUFFIXES = frozenset({"reader", "exporter"})
_registered: dict[str, dict[str, type[Any]]] = {kind: {} for kind in GROUPS}
IN_PROCESS = "(registered in process)"


@dataclass(frozen=True, slots=True)
class PluginInfo:
    kind: str
    name: str
    description: str
    distribution: str
    version: str
    error: str | None = None  # set when the plugin is broken


def _entry_points(kind: str) -> dict[str, EntryPoint]:
    if kind not in GROUPS:
        raise PluginNotFound(f"unknown plugin kind {kind!r}; known: {', '.join(GROUPS)}")
    return _installed(tuple(sys.path))[GROUPS[kind]]


@lru_cache(maxsize=4)
def _installed(path: tuple[str, ...]) -> dict[str, dict[str, EntryPoint]]:
    """Every group's entry points, read from the installed distributions once for a given
    ``sys.path`` (reading them is a scan of every distribution's metadata)."""
    found = entry_points()
    return {group: {ep.name: ep for ep in found.select(group=group)} for group in GROUPS.values()}


def check(kind: str, obj: object) -> list[str]:
    """What keeps ``obj`` from being a plugin class of ``kind`` (empty when it is one)."""
    if not isinstance(obj, type):
        return [f"is not a class but {type(obj).__name__} {obj!r}"[:200]]
    found: list[str] = []
    missing = [
        attr
        for attr in (
            "name",
            "description",
            *(("suffixes",) if kind in _HAS_SUFFIXES else ()),
            *_METHODS[kind],
        )
        if not hasattr(obj, attr)
    ]
    if missing:
        found.append(f"lacks {', '.join(missing)}")
    found.extend(
        f"{attr} is {type(getattr(obj, attr)).__name__}, not str"
        for attr in ("name", "description")
        if hasattr(obj, attr) and not isinstance(getattr(obj, attr), str)
    )
    suffixes = getattr(obj, "suffixes", ())
    if kind in _HAS_SUFFIXES and not (
        isinstance(suffixes, tuple | list)
        and all(isinstance(s, str) and s.startswith(".") for s in suffixes)
    ):
        found.append(f"suffixes must be a tuple of '.ext' strings, not {suffixes!r}"[:200])
    found.extend(
        f"{attr} is not callable"
        for attr in (*_METHODS[kind], "sniff", "leaves_out")
        if hasattr(obj, attr) and not callable(getattr(obj, attr))
    )
    return found


def _all_names(kind: str) -> list[str]:
    return sorted(set(_entry_points(kind)) | set(_registered[kind]))


def names(kind: str) -> list[str]:
    """The names of the usable plugins of ``kind``, sorted; broken ones are left out."""
    usable = []
    for name in _all_names(kind):
        try:
            load(kind, name)
        except PluginLoadError:
            continue
        usable.append(name)
    return usable


def by_suffix(kind: str, suffix: str) -> str | None:
    """The first usable plugin of ``kind`` (BibTeX first, then by name) that claims files
    ending in ``suffix`` (``.bib``); only plugins up to that one are loaded."""
    for name in dict.fromkeys(["bibtex", *_all_names(kind)]):
        try:
            if suffix in load(kind, name).suffixes:
                return name
        except PluginError:
            continue
    return None


def load(kind: str, name: str) -> type[Any]:
    """The plugin class, checked against its kind's protocol."""
    if name in _registered[kind]:
        return _registered[kind][name]
    eps = _entry_points(kind)
    if name not in eps:
        raise PluginNotFound(f"unknown {kind} {name!r}; known: {', '.join(names(kind))}")
    ep = eps[name]
    try:
        cls = ep.load()
    except Exception as exc:  # a broken third-party plugin may raise anything on import
        raise PluginLoadError(
            f"{kind} plugin {name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}"
        ) from exc
    found = check(kind, cls)
    if found:
        raise PluginLoadError(f"{kind} plugin {name!r} ({ep.value}) {'; '.join(found)}")
    return cast("type[Any]", cls)


def _build(kind: str, name: str, make: Callable[[type[Any]], object]) -> object:
    """Instantiate a plugin; a constructor that fails for its own reasons makes it broken."""
    cls = load(kind, name)
    try:
        return make(cls)
    except CitetoolsError:
        raise  # a meaningful refusal, e.g. a bad key pattern
    except Exception as exc:
        raise PluginLoadError(
            f"{kind} plugin {name!r} could not be created: {type(exc).__name__}: {exc}"
        ) from exc


def reader(name: str) -> Reader:
    return cast("Reader", _build("reader", name, lambda cls: cls()))


def readers() -> list[Reader]:
    """Every usable reader, instantiated, by name; one that fails to start is left out."""
    found: list[Reader] = []
    for name in names("reader"):
        try:
            found.append(reader(name))
        except PluginLoadError:
            continue
    return found


def exporter(name: str, **options: object) -> Exporter:
    """An exporter; ``options`` go to its constructor (e.g. ``arxiv_note=True`` for bibtex)."""
    cls = load("exporter", name)
    try:
        return cast("Exporter", cls(**options))
    except TypeError as exc:
        if not options:
            raise PluginLoadError(f"exporter plugin {name!r} could not be created: {exc}") from exc
        raise PluginError(
            f"exporter {name!r} takes no option {', '.join(sorted(options))}"
        ) from None
    except CitetoolsError:
        raise
    except Exception as exc:
        raise PluginLoadError(
            f"exporter plugin {name!r} could not be created: {type(exc).__name__}: {exc}"
        ) from exc


def keystyle(name: str, *args: str) -> KeyStyle:
    """A key style; ``args`` go to its constructor (the JabRef style takes a pattern)."""
    return cast("KeyStyle", _build("keystyle", name, lambda cls: cls(*args)))


def resolver(name: str, **options: object) -> Resolver:
    """A resolver; ``options`` go to its constructor (the arXiv one takes a ``client``)."""
    return cast("Resolver", _build("resolver", name, lambda cls: cls(**options)))


def register(kind: str, name: str, cls: type[Any]) -> None:
    """Add an in-process plugin (tests, scripts); it wins over an installed one of that name.

    Raises :class:`PluginLoadError` when ``cls`` does not satisfy the kind's protocol."""
    _entry_points(kind)  # validates the kind
    found = check(kind, cls)
    if found:
        raise PluginLoadError(f"{kind} plugin {name!r} {'; '.join(found)}")
    _registered[kind][name] = cls


def unregister(kind: str, name: str) -> None:
    """Remove an in-process plugin; an installed plugin of that name is visible again."""
    _entry_points(kind)
    _registered[kind].pop(name, None)


def describe_all() -> list[PluginInfo]:
    """Every installed plugin of every kind, broken ones included (with the reason)."""
    infos: list[PluginInfo] = []
    for kind in GROUPS:
        eps = _entry_points(kind)
        for name in _all_names(kind):
            ep = eps.get(name) if name not in _registered[kind] else None
            dist = ep.dist if ep is not None else None
            if dist is not None:
                dist_name, version = dist.name, dist.version
            else:
                dist_name, version = (IN_PROCESS if ep is None else "(unknown distribution)"), ""
            try:
                cls = load(kind, name)
            except PluginLoadError as exc:
                infos.append(PluginInfo(kind, name, "", dist_name, version, error=str(exc)))
                continue
            description = str(getattr(cls, "description", ""))
            infos.append(PluginInfo(kind, name, description, dist_name, version))
    return infos
