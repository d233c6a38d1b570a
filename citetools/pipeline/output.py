"""Writing the output without losing anyone's work: keys locked to the existing output,
``--merge`` into it, refusing to replace a file someone edited, atomic writes with a trailer."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TextIO, cast

from citetools import pipeline
from citetools.errors import CitetoolsError, ReadError
from citetools.exporters import Exporter
from citetools.files import atomic_writer
from citetools.keys import KeyStyle, assign_keys, unique_keys
from citetools.model import Record
from citetools.pipeline.store import RecordStore
from citetools.readers.bibtex import BibtexReader
from citetools.update import HashingWriter, file_state, lock_keys, merge_into, trailer

# Formats that carry the generated-file trailer (an @comment): the BibTeX family.
TRAILED = frozenset({"bibtex", "biblatex"})


class RefusedOverwrite(CitetoolsError):
    """The output exists and was not written by citetools as it stands now."""


def _to_file(output: str | None) -> bool:
    return bool(output) and output != "-"


def existing_records(output: str) -> list[Record]:
    """The records of an existing output file (its own keys included)."""
    try:
        return pipeline.read([output]).records
    except ReadError:
        return []


# What a paper is known by (see citetools.normalize.dedup): the abstract only without a title.
_IDENTITY_FIELDS = frozenset({"title", "author", "eprint", "doi", "url", "number"})


def _key_view(output: str) -> list[Record]:
    """The records of an unchanged .bib of ours (its checksum matches) as far as keys go: each
    key and what its paper is known by. Such a file is laid out by our writer, a field a line,
    so only the lines of the fields that identify a paper are kept, an entry at a time, as the
    file is read (the abstract, most of the bytes, only for an untitled entry): a re-export
    onto its own output reads it several times faster, and never holds all of it. Anything
    unexpected falls back to reading the whole file."""
    lean: list[str] = []
    entry: list[str] = []

    def keep() -> None:
        fields = _IDENTITY_FIELDS
        if not any(line.startswith("  title = {") for line in entry):
            fields = fields | {"abstract"}
        lean.extend(
            line
            for line in entry
            if not line.startswith("  ") or line[2:].partition(" = ")[0].lower() in fields
        )
        entry.clear()

    try:
        with open(output, encoding="utf-8", newline="\n") as handle:
            for line in handle:
                if line.startswith("@"):
                    keep()
                entry.append(line.removesuffix("\n"))
    except (OSError, UnicodeDecodeError):
        return existing_records(output)
    keep()
    result = BibtexReader().read("\n".join(lean), source=output)
    return existing_records(output) if result.problems else result.records


def keyed_records(
    records: Sequence[Record] | RecordStore,
    *,
    output: str | None,
    fmt: str,
    style: KeyStyle,
    merge: bool,
    force: bool,
) -> tuple[Sequence[Record] | RecordStore, str | None]:
    """Records with their final keys, and a note for the summary (the merge counts). A
    :class:`RecordStore` gets its keys from the base keys it noted, which must be ``style``'s.

    Raises :class:`RefusedOverwrite` when the output is a .bib someone edited (or one
    citetools never wrote) and neither ``merge`` nor ``force`` is given.
    """
    if not _to_file(output):
        return _fresh_keys(records, style), None
    assert output is not None
    state = file_state(output)
    if state == "absent":
        return _fresh_keys(records, style), None
    if merge:
        merged, summary = merge_into(existing_records(output), _whole(records), style)
        return merged, f"merged into {output}: {summary}"
    if fmt in TRAILED and state in ("edited", "foreign") and not force:
        why = (
            "was edited since citetools wrote it"
            if state == "edited"
            else ("was not written by citetools")
        )
        raise RefusedOverwrite(
            f"{why}; not replacing it. Use --merge to keep its entries and add the new ones, "
            "or --force to replace it",
            source=output,
        )
    held = _whole(records)
    if state == "ours" and fmt in TRAILED:
        return lock_keys(held, _key_view(output), style), None
    if state == "ours" or (fmt not in TRAILED and not force):
        return lock_keys(held, existing_records(output), style), None
    return assign_keys(held, style), None


def _whole(records: Sequence[Record] | RecordStore) -> Sequence[Record]:
    """Records to lock or merge keys with an existing output: held whole."""
    return list(records) if isinstance(records, RecordStore) else records


def _fresh_keys(
    records: Sequence[Record] | RecordStore, style: KeyStyle
) -> Sequence[Record] | RecordStore:
    if isinstance(records, RecordStore):
        records.give_keys(unique_keys(records.bases))
        return records
    return assign_keys(records, style)


def write(records: Iterable[Record], exporter: Exporter, output: str | None, fmt: str) -> None:
    """Atomically to a file (with the trailer for .bib formats), or to standard output."""
    if not _to_file(output):
        exporter.write(records, sys.stdout)
        return
    assert output is not None
    with atomic_writer(output) as handle:
        if fmt not in TRAILED:
            exporter.write(records, handle)
            return
        hashing = HashingWriter(handle, raw=handle.buffer)  # (UTF-8, "\n": see atomic_writer)
        exporter.write(records, cast(TextIO, hashing))
        handle.write(trailer(hashing.hexdigest()))
