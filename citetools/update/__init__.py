"""No lost work: the generated-file trailer, ``--merge``, and keys that never move.

A .bib written by citetools ends with ``@comment{citetools: generated file, sha256 <hex> ...}``,
the checksum of everything above it. A file whose checksum still matches is ours to replace; a
file someone edited (or never ours) is only changed with ``--merge`` (keep everything, add new
papers, fill empty fields) or ``--force``. Keys of papers already in the output are kept
(the output itself is the key lock), so adding or reordering inputs never renames a key.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

from citetools.keys import KeyStyle, assign_keys
from citetools.model import Ids, Record
from citetools.normalize.dedup import identities

TRAILER = re.compile(rb"\n?@comment\{citetools: generated file, sha256 ([0-9a-f]{64})[^\n]*\}\n?\Z")
_TAIL = 1 << 16  # where the trailer is looked for: the end of the file
State = Literal["absent", "ours", "edited", "foreign"]


def trailer(digest: str) -> str:
    return (
        f"\n@comment{{citetools: generated file, sha256 {digest}; edit it freely: "
        "'citetools export --merge' keeps your edits}\n"
    )


class HashingWriter(io.TextIOBase):
    """Passes text through to ``out`` and keeps the sha256 of its UTF-8 bytes.

    Text is gathered into chunks of about :data:`CHUNK` characters, each hashed and written in
    one call: a library is written a short entry at a time, and a call per entry to the hash,
    the encoder and ``out`` costs more than the hashing itself (a third of the time at 100k
    entries). Only :meth:`hexdigest` passes on the last chunk (not ``flush``, which the garbage
    collector calls, perhaps after a failed export closed ``out``)."""

    CHUNK = 1 << 20

    def __init__(self, out: TextIO, *, raw: BinaryIO | None = None) -> None:
        """``raw``: the byte stream under ``out``, when ``out`` writes UTF-8 with no newline
        translation: the bytes, encoded once for the hash, are written to it directly."""
        self.out = out
        self._bytes = raw
        if raw is not None:
            out.flush()  # (what ``out`` holds goes first)
        self.hash = hashlib.sha256()
        self._pending: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= self.CHUNK:
            self._pass_on()
        return len(text)

    def _pass_on(self) -> None:
        chunk = "".join(self._pending)
        self._pending.clear()
        self._size = 0
        data = chunk.encode("utf-8")
        self.hash.update(data)
        if self._bytes is not None:
            self._bytes.write(data)
        else:
            self.out.write(chunk)

    def hexdigest(self) -> str:
        """The checksum of everything written, all of it passed on to ``out``."""
        self._pass_on()
        return self.hash.hexdigest()

    def writable(self) -> bool:
        return True


def file_state(path: str) -> State:
    """Whether an output file may be replaced: absent, ours and unchanged, edited, or foreign.
    The trailer is looked for in the file's last bytes, and what is above it is checksummed a
    chunk at a time: a big library is never read whole for this."""
    target = Path(path)
    if not target.exists():
        return "absent"
    with target.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - _TAIL))
        tail = handle.read()
        match = TRAILER.search(tail)
        if match is None:
            return "foreign"
        handle.seek(0)
        body = size - len(tail) + match.start()
        digest = hashlib.sha256()
        while body > 0 and (chunk := handle.read(min(body, 1 << 20))):
            digest.update(chunk)
            body -= len(chunk)
    return "ours" if digest.hexdigest() == match.group(1).decode("ascii") else "edited"


def _empty(value: object) -> bool:
    return value is None or value == "" or value == () or value == {}


def fill_empty(old: Record, new: Record) -> Record:
    """``old`` with only its empty fields (and empty identifiers) filled from ``new``."""
    changes: dict[str, object] = {}
    for f in fields(Record):
        if f.name in ("ids", "extra", "provenance", "sources", "key", "entry_type"):
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


def _find(index: dict[str, int], record: Record) -> int | None:
    return next((index[k] for k in identities(record) if k in index), None)


def _index(records: Sequence[Record]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, record in enumerate(records):
        for key in identities(record):
            index.setdefault(key, i)
    return index


def merge_into(
    existing: Sequence[Record], new: Sequence[Record], style: KeyStyle
) -> tuple[list[Record], MergeSummary]:
    """Every existing entry kept (key, fields, hand-added fields, order); matching new papers
    fill empty fields only; other new papers appended with keys that collide with none."""
    merged = list(existing)
    index = _index(existing)
    touched: set[int] = set()
    appended: list[Record] = []
    for record in new:
        hit = _find(index, record)
        if hit is None:
            appended.append(record)
            continue
        filled = fill_empty(merged[hit], record)
        if filled != merged[hit]:
            touched.add(hit)
        merged[hit] = filled
    taken = [r.key for r in merged if r.key]
    keyed = assign_keys(appended, style, taken=taken)
    summary = MergeSummary(len(keyed), len(touched), len(existing) - len(touched))
    return merged + keyed, summary


def lock_keys(
    records: Sequence[Record], existing: Sequence[Record], style: KeyStyle
) -> list[Record]:
    """Keys for ``records``: a paper already in ``existing`` keeps its key there; the others
    get keys from ``style`` that collide with none of those."""
    index = _index(existing)
    locked: list[Record | None] = []
    used: set[str] = set()
    for record in records:
        hit = _find(index, record)
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
