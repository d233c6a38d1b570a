"""File input and output: decoding inputs with clear errors, and atomic writes. Which
encoding an input is in is decided first (:mod:`citetools.charsets`)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from operator import methodcaller
from pathlib import Path
from typing import TextIO

from citetools.charsets import BOMS, SNIFF_BYTES, Decoding, binary, decoding_of, file_decoding
from citetools.errors import ReadError


def decode_bytes(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Bytes -> text with LF line ends, in ``encoding`` if given; else UTF-8 (with or without
    BOM), UTF-16 or UTF-32 with a BOM, anything else refused with the line of the first bad
    byte (:func:`~citetools.charsets.file_decoding` decides one first when it is not UTF-8).

    Without an encoding, a NUL byte in the first 8 KiB of a file without a BOM makes it binary
    (an image, a PDF), refused naming the line; when the NULs fall in every other byte it is
    UTF-16 without a byte-order mark, refused with that said. Every line break (CRLF, CR, LF)
    becomes LF.
    """
    if encoding is None:
        encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), "utf-8")
        if encoding == "utf-8" and (nul := data.find(b"\x00", 0, SNIFF_BYTES)) >= 0:
            raise ReadError(binary(data), source=source, line=data[:nul].count(b"\n") + 1)
    if encoding == "utf-8-sig" and data.startswith(BOMS[0][0]):
        data = data[len(BOMS[0][0]) :]  # (its decoder counts error positions after the mark)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _not_utf(data, exc, encoding, source=source, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf(
    data: bytes, error: UnicodeDecodeError, encoding: str, *, source: str, line: int
) -> ReadError:
    return ReadError(
        f"not valid {encoding.upper()} (byte 0x{data[error.start]:02x}); "
        "convert the file to UTF-8 first, e.g. with iconv",
        source=source,
        line=line,
    )


def read_lines(path: str, *, encoding: str | None = None) -> list[str]:
    """``read_text(path, encoding=...).split("\\n")``, with the same errors, decoded a line at a
    time: a big file is never in memory twice (as bytes and as text), nor as one string, which
    holds every character in the width of its widest (one em dash doubles a whole listing)."""
    return list(iter_lines(path, encoding=encoding))


def iter_lines(path: str, *, encoding: str | None = None) -> Iterator[str]:
    """The lines :func:`read_lines` gives, one at a time: a file is never held whole. Standard
    input and files in UTF-16 or UTF-32 are read whole. A file that cannot be read raises
    :class:`ReadError` here, a bad byte as its line is reached. ``encoding``: as for
    :func:`decode_bytes`."""
    if path == "-":
        return iter(read_text(path, encoding=encoding).split("\n"))
    if encoding is not None:
        if encoding in _UTF8 or "\n".encode(encoding) == b"\n":
            return _text_lines(path, encoding)
        return iter(read_text(path, encoding=encoding).split("\n"))
    try:
        with io.BufferedReader(io.FileIO(path, "rb"), buffer_size=SNIFF_BYTES * 8) as stream:
            head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
            encoding = next((enc for bom, enc in BOMS if head.startswith(bom)), "utf-8")
            if encoding not in _UTF8:
                return iter(decode_bytes(stream.read(), source=path).split("\n"))
            if encoding == "utf-8" and b"\x00" in head:
                decode_bytes(head, source=path)  # raises, naming the line
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc), source=path) from None
    return _text_lines(path, encoding)


_UTF8 = ("utf-8", "utf-8-sig")


def _text_lines(path: str, encoding: str) -> Iterator[str]:
    """A file's lines, split (as ``decode_bytes`` does) at CRLF, CR and LF, by Python's text
    reader. On a bad byte, the file is read again (a UTF-8 file a line at a time) to name its
    line."""
    try:
        with open(path, encoding=encoding) as lines:
            # The text ends with an empty line when it ends in a line break or is empty.
            size = os.fstat(lines.fileno()).st_size
            last = os.pread(lines.fileno(), 1, size - 1) if size else b""
            marked = encoding == "utf-8-sig" and os.pread(lines.fileno(), 3, 0) == BOMS[0][0]
            ended = last in (b"\n", b"\r") or size == (3 if marked else 0)
            yield from map(_UNBROKEN, lines)
    except UnicodeDecodeError:
        if encoding not in _UTF8:
            read_text(path, encoding=encoding)  # raises, naming the line
        with io.BufferedReader(io.FileIO(path, "rb"), buffer_size=SNIFF_BYTES * 8) as stream:
            for _ in _utf8_lines(stream, encoding, source=path):
                pass
        raise  # (not reached: the line by line decoding raises ReadError)
    except OSError as exc:  # (gone since it was opened to look at its start)
        raise ReadError(exc.strerror or str(exc), source=path) from None
    if ended:
        yield ""


_UNBROKEN = methodcaller("removesuffix", "\n")


class FileLines:
    """A file's lines as :func:`read_lines` gives them, read anew each time they are iterated:
    a reader that goes over a big input twice (say, to find its layout, then to read it) never
    holds it. Iterating after the file changed on disk raises :class:`ReadError`."""

    def __init__(self, path: str, *, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self._stamp: tuple[int, int] | None = None

    def __iter__(self) -> Iterator[str]:
        try:
            stat = os.stat(self.path)
        except OSError as exc:
            raise ReadError(exc.strerror or str(exc), source=self.path) from None
        stamp = (stat.st_size, stat.st_mtime_ns)
        if self._stamp is None:
            self._stamp = stamp
        elif stamp != self._stamp:
            raise ReadError("the file changed while it was being read", source=self.path)
        return iter_lines(self.path, encoding=self.encoding)


def _utf8_lines(stream: Iterable[bytes], encoding: str, *, source: str) -> Iterator[str]:
    ended = True  # an empty file, or one ending in a line break, ends with an empty line
    for number, raw in enumerate(stream, start=1):
        ended = raw.endswith(b"\n")
        if ended:
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        if number == 1 and encoding == "utf-8-sig":
            raw = raw.removeprefix(BOMS[0][0])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf(raw, exc, encoding, source=source, line=number) from None
        if "\r" in text:  # old Mac line ends
            yield from text.split("\r")
        else:
            yield text
    if ended:
        yield ""


def read_text(path: str, *, encoding: str | None = None) -> str:
    """Read an input file, or standard input for ``-``; ``encoding`` as for
    :func:`decode_bytes`."""
    if path == "-":
        return decode_bytes(sys.stdin.buffer.read(), source="<stdin>", encoding=encoding)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc), source=path) from None
    return decode_bytes(data, source=path, encoding=encoding)


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


class Source:
    """One input handed to a reader: a file, standard input (``-``) or a text in memory.

    ``name`` is what messages call it (the path, ``<stdin>``, or the name given with the
    text). A reader takes it as one text (:meth:`text`) or as its lines (:meth:`lines`,
    ``text().split("\\n")``): a file's lines are read from disk again each time they are gone
    over, a line at a time, so a big listing is never held whole. Either is read when first
    asked for; a file that cannot be read raises :class:`ReadError` then. ``encoding`` forces
    one (else see :func:`file_decoding`); :meth:`decoding` says which one is used.
    """

    def __init__(
        self,
        path: str | None,
        *,
        text: str | None = None,
        name: str | None = None,
        encoding: str | None = None,
    ) -> None:
        self.path = path
        self.name = name or ("<stdin>" if path == "-" else path or "<string>")
        self._text = text
        self._lines: Iterable[str] | None = None
        self._forced = encoding
        self._decoding: Decoding | None = None

    @classmethod
    def from_text(cls, text: str, name: str = "<string>") -> Source:
        """A text in memory, called ``name`` in messages."""
        return cls(None, text=text, name=name)

    def decoding(self) -> Decoding | None:
        """How the input's bytes become text, decided when first asked (a file is then read
        once, a chunk at a time; standard input is read whole); None for a text in memory.
        Raises :class:`ReadError` for an input that cannot be decoded."""
        if self._decoding is None and self.path is not None:
            if self.path == "-":
                data = sys.stdin.buffer.read()
                found = decoding_of(data, source=self.name, forced=self._forced)
                self._text = decode_bytes(data, source=self.name, encoding=found.encoding)
                self._decoding = found
            else:
                self._decoding = file_decoding(self.path, forced=self._forced)
        return self._decoding

    def lines(self) -> Iterable[str]:
        """The lines, which may be gone over more than once."""
        if self._lines is None:
            decoding = self.decoding()
            if self._text is not None:
                self._lines = self._text.split("\n")
            else:
                assert self.path is not None and decoding is not None
                self._lines = FileLines(self.path, encoding=decoding.encoding)
        return self._lines

    def text(self) -> str:
        if self._text is None:
            decoding = self.decoding()
            if self._text is not None:  # (standard input, read to decide)
                return self._text
            if isinstance(self._lines, list) or self.path is None:
                self._text = "\n".join(self.lines())
            else:
                assert decoding is not None
                self._text = read_text(self.path, encoding=decoding.encoding)
        return self._text

    def is_blank(self) -> bool:
        if self._text is not None:
            return not self._text.strip()
        return not any(line.strip() for line in self.lines())
