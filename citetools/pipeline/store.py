"""A library too big to hold whole: :class:`RecordStore` keeps abstracts in a temporary file.

An abstract is most of a record's bytes (about 85% of its BibTeX entry in a listing of papers).
Once the store holds more than ``hold`` characters of abstracts, each record that comes in
gives its abstract to an unnamed temporary file (in the system's temporary folder, ``TMPDIR``;
it is gone when the store is) and is kept without it; it gets it back whenever it is taken out.
Records are put away a few thousand at a time, the last ones in being held whole until then.
Memory then grows by 0.8-0.9 of the output's size, not twice it, and records come
back equal to what was put in (issue 7).

The store is positional, like the list :func:`~citetools.normalize.dedup.deduplicate` fills:
records are appended, read and replaced by position, and ``None`` leaves a position empty.
Iterating gives the records that are there, in order, whole (and with their keys, once
:meth:`RecordStore.give_keys` was called).
"""

from __future__ import annotations

import os
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from citetools.errors import ExportError
from citetools.keys import repoint
from citetools.model import Record, evolve

_CHUNK = 1 << 20  # bytes written to, and read from, the file at a time
_BATCH = 4096  # records settled at a time


class RecordStore:
    def __init__(self, *, hold: int = 8 << 20) -> None:
        """``hold``: characters of abstracts kept in memory before they go to the file."""
        self._hold = hold
        self._held = 0
        self._records: list[Record | None] = []
        self._keys: Sequence[str] | None = None
        self._renamed: dict[str, str] = {}
        # Positions put in since the last batch was settled: their records are still whole.
        # Settling a batch at a time is faster than a record at a time (each step's code stays
        # warm), and holds a few thousand records whole.
        self._fresh: dict[int, None] = {}
        # Where each position's abstract is in the file: start and end offsets (-1: not there).
        self._starts = array("q")
        self._ends = array("q")
        self._file: BinaryIO | None = None
        self._pending: list[bytes] = []  # written, not yet in the file
        self._size = 0  # bytes written, pending ones included
        self._flushed = 0  # bytes in the file
        self._window = b""  # bytes of the file last read, from offset _window_start
        self._window_start = 0
        self._live = 0

    def __len__(self) -> int:
        """How many records the store holds (empty positions not counted)."""
        return self._live

    def append(self, record: Record | None) -> None:
        self._records.append(None)
        self._starts.append(-1)
        self._ends.append(-1)
        self[len(self._records) - 1] = record

    def __setitem__(self, position: int, record: Record | None) -> None:
        self._live += (record is not None) - (self._records[position] is not None)
        self._records[position] = record
        self._starts[position] = self._ends[position] = -1
        if record is not None:
            self._fresh[position] = None
            if len(self._fresh) >= _BATCH:
                self._settle()

    def __getitem__(self, position: int) -> Record | None:
        record = self._records[position]
        if record is None:
            return None
        return self._whole(record, self._starts[position], self._ends[position])

    def _whole(self, record: Record, start: int, end: int) -> Record:
        """``record`` with its abstract, read back from ``start`` to ``end`` in the file."""
        return record if start < 0 else evolve(record, abstract=self._read(start, end))

    def __iter__(self) -> Iterator[Record]:
        self._settle()
        keys = self._keys
        live = 0
        for record, start, end in zip(self._records, self._starts, self._ends, strict=True):
            if record is None:
                continue
            if keys is None:
                yield record if start < 0 else evolve(record, abstract=self._read(start, end))
                continue
            if self._renamed:
                record = repoint(record, self._renamed)
            if start < 0:
                yield evolve(record, key=keys[live])
            else:
                yield evolve(record, key=keys[live], abstract=self._read(start, end))
            live += 1

    def give_keys(self, keys: Sequence[str], renamed: dict[str, str] | None = None) -> None:
        """The key of each record (in order, empty positions left out), set as they are
        taken out: one copy of a record then gives it its abstract and its key. ``renamed``
        (old key -> new, by lower case): the keys its crossrefs name are replaced too
        (:func:`citetools.keys.repoint`)."""
        if len(keys) != self._live:
            raise ValueError(f"{len(keys)} keys for {self._live} records")
        self._keys = keys
        self._renamed = renamed or {}

    def without_abstracts(self, *, but: Callable[[Record], bool] | None = None) -> Iterator[Record]:
        """The records as kept, some without their abstracts: for a look at other fields
        that costs no reading back. ``but``: those it is true of are whole."""
        self._settle()
        if but is None:
            return (record for record in self._records if record is not None)
        return (
            self._whole(record, self._starts[at], self._ends[at]) if but(record) else record
            for at, record in enumerate(self._records)
            if record is not None
        )

    def _settle(self) -> None:
        """The fresh records' abstracts put away."""
        records = self._records
        fresh = [(at, record) for at in self._fresh if (record := records[at]) is not None]
        self._fresh.clear()
        for position, record in fresh:
            kept, self._starts[position], self._ends[position] = self._kept(record)
            self._records[position] = kept

    def _kept(self, record: Record) -> tuple[Record, int, int]:
        """The record as kept, and where its abstract is in the file (-1: not there)."""
        abstract = record.abstract
        if abstract is None:
            return record, -1, -1
        if self._held < self._hold:
            self._held += len(abstract)
            return record, -1, -1
        data = abstract.encode("utf-8", "surrogatepass")
        start = self._size
        self._pending.append(data)
        self._size += len(data)
        if self._size - self._flushed >= _CHUNK:
            self._flush()
        return evolve(record, abstract=None), start, self._size

    def _flush(self) -> None:
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="citetools-")  # noqa: SIM115 (kept)
                weakref.finalize(self, self._file.close)  # closed (and gone) with the store
            self._file.write(b"".join(self._pending))
            self._file.flush()
        except OSError as exc:
            raise ExportError(
                "cannot keep the library's abstracts in a temporary file there: "
                f"{exc.strerror or exc} (set TMPDIR to a folder with room)",
                source=tempfile.gettempdir(),
            ) from None
        self._pending.clear()
        self._flushed = self._size

    def _read(self, start: int, end: int) -> str:
        window_end = self._window_start + len(self._window)
        if not (self._window_start <= start and end <= window_end):
            if end > self._flushed:
                self._flush()
            assert self._file is not None
            try:
                self._window = os.pread(self._file.fileno(), max(_CHUNK, end - start), start)
            except OSError as exc:
                raise ExportError(
                    f"cannot read the library's temporary file back: {exc.strerror or exc}",
                    source=tempfile.gettempdir(),
                ) from None
            self._window_start = start
        offset = start - self._window_start
        return self._window[offset : offset + end - start].decode("utf-8", "surrogatepass")
