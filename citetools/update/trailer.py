"""The generated-file trailer, and whether an existing output may be replaced.

A .bib written by citetools ends with the line ``% citetools: generated file, sha256 <hex> ...``,
the checksum of everything above it: plain text outside any entry, which BibTeX, biber, pybtex,
bibtexparser, bibclean, bibutils, JabRef and Zotero all skip (an ``@comment{...}``, the form of
files written before, which is still recognised, made bibclean fail and bibutils' biblatex reader
invent a record). A file whose checksum still matches is ours to replace; a
file someone edited (or never ours) is only changed with ``--merge`` (keep everything, add new
papers, fill empty fields) or ``--force``.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

from citetools.formats.bibtex import TRAILER_PATTERN

TRAILER = re.compile(TRAILER_PATTERN.encode("ascii"))
_TAIL = 1 << 16  # where the trailer is looked for: the end of the file
State = Literal["absent", "ours", "edited", "foreign"]


def trailer(digest: str, retired: Sequence[str] = ()) -> str:
    """The last line of a .bib citetools writes: the checksum of all above it, and the keys
    retired from it (keys of papers it held once: never given to another paper there)."""
    # (an ``@`` would open an entry for BibTeX; no key of an entry BibTeX can read holds one)
    keys = " ".join(key for key in retired if "@" not in key)
    listed = f"; retired keys: {keys}" if keys else ""
    return (
        f"\n% citetools: generated file, sha256 {digest}{listed}; edit it freely: "
        "'citetools export --merge' keeps your edits\n"
    )


_RETIRED = re.compile(r"; retired keys: ([^;}]*)")


def retired_keys(path: str) -> list[str]:
    """The keys the trailer of a .bib citetools wrote says are retired (none for any other
    file)."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - _TAIL))
            tail = handle.read()
    except OSError:
        return []
    match = TRAILER.search(tail)
    if match is None:
        return []
    found = _RETIRED.search(match.group(0).decode("utf-8", "replace"))
    return found.group(1).split() if found else []


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
