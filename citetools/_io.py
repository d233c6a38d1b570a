"""File input and output: decoding inputs with clear errors, and atomic writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from citetools.errors import ReadError

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SNIFF_BYTES = 8192  # as git: a NUL byte in the first 8 KiB makes a file binary


def decode_bytes(data: bytes, *, source: str) -> str:
    """Bytes -> text with LF line ends. UTF-8 (with or without BOM), UTF-16 or UTF-32 with a
    BOM; anything else is refused with the line of the first bad byte, never guessed.

    A NUL byte in the first 8 KiB of a file without a BOM makes it binary (an image, a PDF),
    refused naming the line; when the NULs fall in every other byte it is UTF-16 without a
    byte-order mark, refused with that said. Every line break (CRLF, CR, LF) becomes LF.
    """
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and (nul := data.find(b"\x00", 0, _SNIFF_BYTES)) >= 0:
        raise ReadError(_binary(data), source=source, line=data[:nul].count(b"\n") + 1)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(
            f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x}); "
            "convert the file to UTF-8 first, e.g. with iconv",
            source=source,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary(data: bytes) -> str:
    head = data[:_SNIFF_BYTES]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) >= len(head) // 4 and min(even, odd) <= max(even, odd) // 8:
        order = "big" if even > odd else "little"
        return (
            f"looks like UTF-16 ({order}-endian) without a byte-order mark, which citetools "
            "does not guess: save it as UTF-8, e.g. with iconv -f UTF-16"
            + ("BE" if order == "big" else "LE")
            + " -t UTF-8"
        )
    return "binary file (a NUL byte), not a text listing or bibliography"


def read_text(path: str) -> str:
    """Read an input file, or standard input for ``-``."""
    if path == "-":
        return decode_bytes(sys.stdin.buffer.read(), source="<stdin>")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc), source=path) from None
    return decode_bytes(data, source=path)


@contextlib.contextmanager
def atomic_writer(path: str) -> Iterator[TextIO]:
    """Write to a temporary file in the same folder, then rename it over ``path``.

    If anything fails (or the process is killed) before the rename, ``path`` is untouched.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
