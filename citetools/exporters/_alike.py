"""Items whose citations could look alike, and the batches they are rendered in.

APA and Chicago disambiguate citations by a rule that compares every name with every other name
of the list, which pandoc does in time quadratic in the list (see
:mod:`citetools.exporters._citeproc`). That rule can only change the bibliography through year
suffixes (2026a, 2026b), and only for items whose citations could look alike: same first-author
family name, same year. :func:`alike_groups` finds them; :func:`batches` packs the groups into
the jobs rendered with the style as written. Which items share a batch decides their year
suffixes (the rule compares the names of a batch), so the batches must stay what they are.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from citetools.exporters.csljson import NAME_VARIABLES
from citetools.normalize.dedup import fold

BATCH = 60  # items per job of possibly-alike groups (a larger group is one job of its own)

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


def batches(groups: list[list[int]]) -> list[list[int]]:
    """The groups packed in order into batches of up to :data:`BATCH` items (a larger group
    alone), each batch's indexes sorted."""
    packed: list[list[int]] = []
    for group in groups:
        if packed and len(packed[-1]) + len(group) <= BATCH:
            packed[-1].extend(group)
        else:
            packed.append(list(group))
    return [sorted(b) for b in packed]
