"""The key lock: papers already in an output keep the keys they have there, so adding or
reordering inputs never renames a key; the others get keys that collide with none of those."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace

from citetools.errors import Problem
from citetools.keys import KeyStyle, kept_keys
from citetools.model import Record
from citetools.normalize.dedup import apart, identities


def index(records: Sequence[Record]) -> dict[str, list[int]]:
    """Each identity (arXiv id, DOI, folded title + first author ...) of each record, to the
    positions of the records known by it."""
    found: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        for key in identities(record):
            found.setdefault(key, []).append(i)
    return found


def find(known: dict[str, list[int]], records: Sequence[Record], record: Record) -> Iterator[int]:
    """The positions of the records among ``records`` (indexed in ``known``) that are the
    paper ``record`` is: known by one of its identities, and not a different work
    (:func:`~citetools.normalize.dedup.apart`)."""
    seen: set[int] = set()
    for key in identities(record):
        for hit in known.get(key, ()):
            if hit not in seen:
                seen.add(hit)
                if apart(records[hit], record, merge_keyed=True) is None:
                    yield hit


@dataclass(frozen=True, slots=True)
class Locked:
    """What :func:`lock_keys` gives: the keyed records, the warnings (a key two papers share),
    and the keys of the entries of the output that no record is (dropped by this write)."""

    records: list[Record]
    problems: list[Problem]
    dropped: list[str]


def lock_keys(
    records: Sequence[Record],
    existing: Sequence[Record],
    style: KeyStyle,
    *,
    keep_existing: bool = False,
    retired: Collection[str] = (),
) -> Locked:
    """Keys for ``records``: a paper already in ``existing`` keeps its key there; the others
    get keys from ``style`` that collide with none of those, nor with the key of an entry of
    ``existing`` that is dropped (no record is its paper), nor with a ``retired`` one: a key
    once given to a paper is never given to another. With ``keep_existing`` a record's own key
    (from a bibliography) comes first (see :func:`~citetools.keys.kept_keys`)."""
    known = index(existing)
    prepared: list[Record] = []
    used: set[str] = set()
    matched: set[int] = set()
    for record in records:
        hits = list(find(known, existing, record))
        matched.update(hits)
        if keep_existing and record.key:
            prepared.append(record)
            continue
        theirs = (existing[hit].key for hit in hits)
        key = next((k for k in theirs if k and k.casefold() not in used), None)
        if key:
            used.add(key.casefold())
        prepared.append(replace(record, key=key))
    dropped = [
        key for i, r in enumerate(existing) if i not in matched and (key := r.key) is not None
    ]
    keys, problems = kept_keys(prepared, style, reserved=[*retired, *dropped])
    keyed = [replace(r, key=k) for r, k in zip(prepared, keys, strict=True)]
    return Locked(keyed, problems, dropped)
