"""The key lock: papers already in an output keep the keys they have there, so adding or
reordering inputs never renames a key; the others get keys that collide with none of those."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from citetools.keys import KeyStyle, assign_keys
from citetools.model import Record
from citetools.normalize.dedup import identities


def index(records: Sequence[Record]) -> dict[str, int]:
    """Each identity (arXiv id, DOI, folded title + first author ...) of each record, to the
    position of the first record known by it."""
    found: dict[str, int] = {}
    for i, record in enumerate(records):
        for key in identities(record):
            found.setdefault(key, i)
    return found


def find(known: dict[str, int], record: Record) -> int | None:
    """The position of the paper ``record`` is, in the records ``known`` indexes."""
    return next((known[k] for k in identities(record) if k in known), None)


def lock_keys(
    records: Sequence[Record], existing: Sequence[Record], style: KeyStyle
) -> list[Record]:
    """Keys for ``records``: a paper already in ``existing`` keeps its key there; the others
    get keys from ``style`` that collide with none of those."""
    known = index(existing)
    locked: list[Record | None] = []
    used: set[str] = set()
    for record in records:
        hit = find(known, record)
        key = existing[hit].key if hit is not None else None
        if key and key.lower() not in used:
            used.add(key.lower())
            locked.append(replace(record, key=key))
        else:
            locked.append(None)
    fresh = iter(
        assign_keys(
            [r for r, done in zip(records, locked, strict=True) if done is None],
            style,
            taken=sorted(used),
        )
    )
    return [done if done is not None else next(fresh) for done in locked]
