"""Plugin discovery: one entry-point group per kind, built-ins declared like everyone else's.

Kinds and groups: ``reader`` (``citetools.readers``), ``exporter`` (``citetools.exporters``),
``keystyle`` (``citetools.keystyles``), ``resolver`` (``citetools.resolvers``). An entry point
names a class; :func:`get` instantiates it. :func:`register` adds an in-process plugin (tests).
A plugin that fails to load is reported by name and never breaks the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, cast

from citetools.errors import PluginError, PluginLoadError, PluginNotFound

if TYPE_CHECKING:
    from citetools.exporters import Exporter
    from citetools.keys import KeyStyle
    from citetools.readers import Reader

GROUPS = {
    "reader": "citetools.readers",
    "exporter": "citetools.exporters",
    "keystyle": "citetools.keystyles",
    "resolver": "citetools.resolvers",
}
_REQUIRED = {
    "reader": ("name", "description", "suffixes", "read"),
    "exporter": ("name", "description", "suffixes", "write"),
    "keystyle": ("name", "description", "base_key"),
    "resolver": ("name", "description", "resolve"),
}
_registered: dict[str, dict[str, type[Any]]] = {kind: {} for kind in GROUPS}


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
    return {ep.name: ep for ep in entry_points(group=GROUPS[kind])}


def names(kind: str) -> list[str]:
    return sorted(set(_entry_points(kind)) | set(_registered[kind]))


def load(kind: str, name: str) -> type[Any]:
    """The plugin class, checked against its kind's protocol."""
    if name in _registered[kind]:
        return _registered[kind][name]
    eps = _entry_points(kind)
    if name not in eps:
        raise PluginNotFound(f"unknown {kind} {name!r}; known: {', '.join(names(kind))}")
    try:
        cls = eps[name].load()
    except Exception as exc:  # a broken third-party plugin may raise anything on import
        raise PluginLoadError(f"{kind} plugin {name!r} failed to load: {exc}") from exc
    missing = [attr for attr in _REQUIRED[kind] if not hasattr(cls, attr)]
    if missing:
        raise PluginLoadError(
            f"{kind} plugin {name!r} ({eps[name].value}) lacks {', '.join(missing)}"
        )
    return cls  # type: ignore[no-any-return]


def reader(name: str) -> Reader:
    return cast("Reader", load("reader", name)())


def exporter(name: str, **options: object) -> Exporter:
    """An exporter; ``options`` go to its constructor (e.g. ``arxiv_note=True`` for bibtex)."""
    cls = load("exporter", name)
    try:
        return cast("Exporter", cls(**options))
    except TypeError:
        if not options:
            raise
        raise PluginError(
            f"exporter {name!r} takes no option {', '.join(sorted(options))}"
        ) from None


def keystyle(name: str, *args: str) -> KeyStyle:
    """A key style; ``args`` go to its constructor (the JabRef style takes a pattern)."""
    return cast("KeyStyle", load("keystyle", name)(*args))


def register(kind: str, name: str, cls: type[Any]) -> None:
    _entry_points(kind)  # validates the kind
    _registered[kind][name] = cls


def unregister(kind: str, name: str) -> None:
    _registered[kind].pop(name, None)


def describe_all() -> list[PluginInfo]:
    """Every installed plugin of every kind, broken ones included (with the reason)."""
    infos: list[PluginInfo] = []
    for kind in GROUPS:
        eps = _entry_points(kind)
        for name in names(kind):
            ep = eps.get(name)
            dist = ep.dist if ep is not None else None
            dist_name = dist.name if dist is not None else "(registered in process)"
            version = dist.version if dist is not None else ""
            try:
                cls = load(kind, name)
            except PluginLoadError as exc:
                infos.append(PluginInfo(kind, name, "", dist_name, version, error=str(exc)))
                continue
            description = str(getattr(cls, "description", ""))
            infos.append(PluginInfo(kind, name, description, dist_name, version))
    return infos
