"""Each item's bibliography sort keys, rendered by pandoc, for :mod:`._cslsort` to order.

The keys variant of the style (:func:`citetools.exporters._cslsort.keys_variant`) prints each
key in its bibliography, and a constant for each citation. Long lists render their keys in parts
shared among the pandoc processes, with the larger allocation area for pandoc's garbage
collector (:data:`._pandoc_workers.GHC_RTS`: a sixth faster again); sort keys after the first
few are rendered only for the items those leave tied (:func:`_render_keys_lazily`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from citetools.exporters import _cslsort
from citetools.exporters._pandoc_ast import texts as _texts
from citetools.exporters._pandoc_workers import (
    PARALLEL_ABOVE,
    Job,
    cpu_workers,
    run_jobs,
    workers_for,
)
from citetools.exporters._styles import CslStyle

KEYS_PART = 1000  # items per job of sort keys, for lists longer than PARALLEL_ABOVE
FIRST_KEYS = 3  # long lists: the sort keys rendered for every item; the rest only for ties

Keys = Sequence[_cslsort.SortKey]


def rendered_keys(
    items: Sequence[Mapping[str, Any]], style: CslStyle, keys: Keys, pandoc: str
) -> list[list[str]]:
    """Each item's sort key texts (``items`` carry distinct ids)."""
    if len(items) <= PARALLEL_ABOVE:
        return _render_keys(items, style, keys, pandoc, parts=1)
    if style.order_dependent or not _cslsort.keys_per_item(style.root(), keys):
        # in parts exactly as ever: a key may depend on the other items of its job
        parts = 1 if any(k.variable == "citation-number" for k in keys) else cpu_workers()
        return _render_keys(items, style, keys, pandoc, parts=parts)
    return _render_keys_lazily(items, style, keys, pandoc)


def _split(items: Sequence[Mapping[str, Any]], parts: int) -> list[Sequence[Mapping[str, Any]]]:
    size = -(-len(items) // parts)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _key_texts(count: int) -> Callable[[Mapping[str, Any]], list[tuple[str, list[str]]]]:
    def parse(document: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
        return [(i, _cslsort.parse_keys(text, count)) for i, text in _texts(document)]

    return parse


def _render_keys(
    items: Sequence[Mapping[str, Any]],
    style: CslStyle,
    keys: Keys,
    pandoc: str,
    *,
    parts: int | None = None,
) -> list[list[str]]:
    """Each item's sort key texts, rendered by pandoc in ``parts`` jobs (by default: jobs
    small enough to share out evenly, keys depending on nothing but their item)."""
    if parts is None:
        parts = max(cpu_workers(), -(-len(items) // KEYS_PART))
    variant = _cslsort.keys_variant(style.root(), keys)
    jobs: list[Job] = [(variant, chunk) for chunk in _split(items, parts)]
    texts: dict[str, list[str]] = {}
    roomy = len(items) > PARALLEL_ABOVE  # a sixth faster for keys of 1,000 items a job
    parse = _key_texts(len(keys))
    found = run_jobs(pandoc, jobs, parse, workers=workers_for(len(items)), roomy=roomy)
    for part in found:
        texts.update(part)
    return [texts.get(str(item["id"]), [""] * len(keys)) for item in items]


def _render_keys_lazily(
    items: Sequence[Mapping[str, Any]], style: CslStyle, keys: Keys, pandoc: str
) -> list[list[str]]:
    """:func:`_render_keys`, the keys after the first :data:`FIRST_KEYS` only for the items
    that those leave tied (the later keys, titles above all, cost as much again). The first
    keys print the same whatever follows them in the keys variant's layout, and items apart
    after them are in order whatever their later keys, so the order is the same."""
    if len(keys) <= FIRST_KEYS:
        return _render_keys(items, style, keys, pandoc)
    first = _render_keys(items, style, keys[:FIRST_KEYS], pandoc)
    classes: dict[tuple[object, ...], list[int]] = {}
    for i, row in enumerate(first):
        collated = tuple(_cslsort.collation_key(k) if k else None for k in row)
        classes.setdefault(collated, []).append(i)
    tied = sorted(i for members in classes.values() if len(members) > 1 for i in members)
    rows = [[*row, *[""] * (len(keys) - FIRST_KEYS)] for row in first]
    if tied:
        again = _render_keys([items[i] for i in tied], style, keys, pandoc)
        for i, row in zip(tied, again, strict=True):
            rows[i] = row
    return rows
