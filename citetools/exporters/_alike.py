"""Items whose citations could look alike, and the batches they are rendered in.

APA and Chicago disambiguate citations by a rule that compares every name with every other name
of the list, which pandoc does in time quadratic in the list (see
:mod:`citetools.exporters._citeproc`). That rule can only change the bibliography through year
suffixes (2026a, 2026b), and only for items whose citations could look alike: same first-author
family name, same year. :func:`alike_groups` finds them; :func:`batches` packs the groups into
the jobs rendered with the style as written.

Groups in one job are not independent in pandoc: two groups whose first authors share a family
name (Bai 2020 and Bai 2025) change each other's year suffixes. Packed by size alone, 180 of the
first 2,000 entries of the benchmark's feed listing got a year suffix that neither rendering
their group alone nor citeproc-js gives them. So a batch never holds two groups that share a
name: every item is then rendered as in a job of its group alone, whatever else shares it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from citetools.formats.csl import NAME_VARIABLES
from citetools.normalize.dedup import fold

BATCH = 25  # items per job of possibly-alike groups (a larger group is one job of its own)

_fold = functools.lru_cache(maxsize=65536)(fold)


def _year(item: Mapping[str, Any]) -> str:
    issued = item.get("issued")
    if not isinstance(issued, Mapping):
        return ""
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal") or issued.get("raw") or "")


def _name_keys(item: Mapping[str, Any]) -> set[str]:
    """The first names a citation of the item could start with: the first author's, or for an
    item without authors the first name of every name variable (whichever the style
    substitutes). Both the family name alone and with its particle, folded."""
    variables = ["author"] if item.get("author") else sorted(NAME_VARIABLES & set(item))
    keys: set[str] = set()
    for variable in variables:
        names = item.get(variable)
        if not isinstance(names, list) or not names or not isinstance(names[0], Mapping):
            continue
        first = names[0]
        family = str(first.get("family") or first.get("literal") or "")
        particle = str(first.get("non-dropping-particle") or "")
        keys.update(k for k in (_fold(family), _fold(particle + family)) if k)
    return keys


def alike_groups(items: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """Indexes of items whose citations could render alike, in groups of two or more: items
    sharing a (first name, year) key, joined transitively. Items without names cite by title
    and are not affected by name disambiguation: they are in no group."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        year = _year(item)
        for name in _name_keys(item):
            j = owner.setdefault((name, year), i)
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def batches(
    groups: list[list[int]], items: Sequence[Mapping[str, Any]], size: int = BATCH
) -> list[list[int]]:
    """The groups packed into batches of up to ``size`` items (a larger group alone), each
    group into the first batch with room that holds no group sharing one of its names (see
    the module docstring); each batch's indexes sorted.

    About :data:`BATCH` items a job is cheapest: pandoc takes some 10 ms for any job, plus time
    quadratic in its items (for APA, 10,000 entries in 340 batches of 25-40 take 11 s of CPU;
    in 188 of up to 60, 15 s)."""
    packed: list[list[int]] = []
    names: list[set[str]] = []
    for group in groups:
        keys = set().union(*(_name_keys(items[i]) for i in group))
        for batch, taken in zip(packed, names, strict=True):
            if len(batch) + len(group) <= size and taken.isdisjoint(keys):
                batch.extend(group)
                taken |= keys
                break
        else:
            packed.append(list(group))
            names.append(keys)
    return [sorted(b) for b in packed]
