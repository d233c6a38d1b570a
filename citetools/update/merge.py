"""``--merge``: every entry already in the output kept (key, fields, hand-added fields, order);
new papers that match one only fill its empty fields; the others are appended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from citetools.errors import Problem
from citetools.keys import KeyStyle, kept_keys
from citetools.keys.lock import find, index
from citetools.model import Ids, Record


def _empty(value: object) -> bool:
    return value is None or value == "" or value == () or value == {}


def fill_empty(old: Record, new: Record) -> Record:
    """``old`` with only its empty fields (and empty identifiers) filled from ``new``."""
    changes: dict[str, object] = {}
    for f in fields(Record):
        if f.name in ("ids", "extra", "provenance", "sources", "key", "entry_type", "origin"):
            continue
        if _empty(getattr(old, f.name)) and not _empty(getattr(new, f.name)):
            changes[f.name] = getattr(new, f.name)
            if f.name == "authors":
                changes["authors_truncated"] = new.authors_truncated
    ids = {
        f.name: getattr(new.ids, f.name)
        for f in fields(Ids)
        if getattr(old.ids, f.name) is None and getattr(new.ids, f.name) is not None
    }
    if ids:
        changes["ids"] = replace(old.ids, **ids)
    extra = {k: v for k, v in new.extra.items() if k not in old.extra}
    if extra:
        changes["extra"] = {**old.extra, **extra}
    return replace(old, **changes) if changes else old  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class MergeSummary:
    added: int
    enriched: int
    unchanged: int

    def __str__(self) -> str:
        return f"added {self.added}, enriched {self.enriched}, left alone {self.unchanged}"


def merge_into(
    existing: Sequence[Record],
    new: Sequence[Record],
    style: KeyStyle,
    *,
    keep_existing: bool = False,
) -> tuple[list[Record], MergeSummary, list[Problem]]:
    """Every existing entry kept (key, fields, hand-added fields, order); matching new papers
    fill empty fields only; other new papers appended with keys that collide with none (their
    own keys first, with ``keep_existing``)."""
    merged = list(existing)
    known = index(existing)
    touched: set[int] = set()
    appended: list[Record] = []
    for record in new:
        hit = next(find(known, existing, record), None)
        if hit is None:
            appended.append(record)
            continue
        filled = fill_empty(merged[hit], record)
        if filled != merged[hit]:
            touched.add(hit)
        merged[hit] = filled
    taken = [r.key for r in merged if r.key]
    if not keep_existing:
        appended = [replace(r, key=None) for r in appended]
    keys, problems = kept_keys(appended, style, taken=taken)
    keyed = [replace(r, key=k) for r, k in zip(appended, keys, strict=True)]
    summary = MergeSummary(len(keyed), len(touched), len(existing) - len(touched))
    return merged + keyed, summary, problems
