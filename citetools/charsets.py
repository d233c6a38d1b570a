"""Which encoding an input is in, decided before it is read.

A byte-order mark names it (UTF-8, UTF-16, UTF-32); else the bytes are checked to be UTF-8, a
chunk at a time (a big listing is never held for this); only bytes that are not UTF-8, nor
binary, go to charset-normalizer, and the input is then read in the encoding it finds, with a
warning (:meth:`Decoding.warning`). ``--encoding`` (``encoding=``) forces one instead.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from citetools.errors import ReadError

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
SNIFF_BYTES = 8192  # as git: a NUL byte in the first 8 KiB makes a file binary
_CHUNK = 1 << 16  # the UTF-8 check: 64 KiB at a time (1 MiB: twice as slow, 0.35 s a 100 MB)
# Preferred when charset-normalizer finds them as likely as its own first choice: text in a
# Western European language decodes alike in several code pages, and these are the ones meant.
_PREFERRED = ("cp1252", "latin_1")
_CLOSE = 0.02  # chaos (charset-normalizer's share of odd characters) this close is as likely


@dataclass(frozen=True, slots=True)
class Decoding:
    """How an input's bytes become text: ``encoding``, a Python codec name. ``detected``: the
    bytes are not UTF-8, and charset-normalizer found this encoding; then ``line`` and ``byte``
    say where the first byte that is not UTF-8 is."""

    encoding: str
    detected: bool = False
    line: int | None = None
    byte: int = 0

    def warning(self) -> str | None:
        """The warning a detected encoding deserves (None for any other)."""
        if not self.detected:
            return None
        return (
            f"not UTF-8 (byte 0x{self.byte:02x}): decoded as {self.encoding}, the likeliest "
            f"encoding; convert the file with iconv -f {self.encoding} -t UTF-8 to silence "
            "this, or name the right encoding with --encoding"
        )


def encoding_name(name: str) -> str:
    """The codec name of ``--encoding NAME`` (``latin1`` -> ``iso8859-1``); a
    :class:`ReadError` (a usage error) when Python knows no text encoding of that name."""
    try:
        codec = codecs.lookup(name)
        b"a".decode(codec.name, "ignore")  # (base64, rot13 ... are codecs, not text encodings)
    except (LookupError, UnicodeError):
        raise ReadError(
            f"unknown encoding {name!r}: name one Python knows, e.g. utf-8, cp1252, latin-1, "
            "iso8859-15, cp1251, shift_jis"
        ) from None
    return codec.name


def file_decoding(path: str, *, forced: str | None = None) -> Decoding:
    """How to decode the file at ``path``: ``forced`` if given (see :func:`encoding_name`);
    else as its byte-order mark says; else UTF-8 when its bytes are UTF-8; else what
    charset-normalizer finds (``detected``). Raises :class:`ReadError` for a file that is
    missing, binary, or in no encoding charset-normalizer recognizes."""
    if forced is not None:
        return _forced(forced)
    try:
        with open(path, "rb") as stream:
            chunk = stream.read(_CHUNK)
            found = _by_start(chunk, source=path)
            if found is not None:
                return found
            check = codecs.getincrementaldecoder("utf-8")()
            try:
                while chunk:
                    check.decode(chunk)
                    chunk = stream.read(_CHUNK)
                check.decode(b"", final=True)
            except UnicodeDecodeError:
                stream.seek(0)
                return _detected(stream.read(), source=path)
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc), source=path) from None
    return Decoding("utf-8")


def decoding_of(data: bytes, *, source: str, forced: str | None = None) -> Decoding:
    """:func:`file_decoding` for bytes in memory (standard input)."""
    if forced is not None:
        return _forced(forced)
    found = _by_start(data, source=source)
    if found is not None:
        return found
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _detected(data, source=source)
    return Decoding("utf-8")


def binary(data: bytes) -> str:
    """Why bytes with a NUL in them are refused: binary, or UTF-16 without a byte-order mark."""
    head = data[:SNIFF_BYTES]
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


def _forced(name: str) -> Decoding:
    encoding = encoding_name(name)
    return Decoding("utf-8-sig" if encoding == "utf-8" else encoding)  # (a BOM is no text)


def _by_start(head: bytes, *, source: str) -> Decoding | None:
    """The encoding a byte-order mark names; a NUL byte in the first 8 KiB (without a mark)
    makes the input binary, refused here naming its line; None: to be checked further."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return Decoding(encoding)
    if (nul := head.find(b"\x00", 0, SNIFF_BYTES)) >= 0:
        raise ReadError(binary(head), source=source, line=head[:nul].count(b"\n") + 1)
    return None


def _detected(data: bytes, *, source: str) -> Decoding:
    """Bytes that are not UTF-8: the encoding charset-normalizer finds likeliest."""
    start = len(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    if (nul := data.find(b"\x00")) >= 0:  # no text in a legacy encoding holds a NUL
        raise ReadError(binary(data), source=source, line=data[:nul].count(b"\n") + 1)
    line = data[:start].count(b"\n") + 1
    encoding = _likeliest(data)
    if encoding is None:
        raise ReadError(
            f"not valid UTF-8 (byte 0x{data[start]:02x}), nor in any encoding charset-normalizer "
            "recognizes: convert the file to UTF-8, e.g. with iconv, or name its encoding "
            "with --encoding",
            source=source,
            line=line,
        )
    return Decoding(encoding, detected=True, line=line, byte=data[start])


def _likeliest(data: bytes) -> str | None:
    """charset-normalizer's choice, made steadier: of the decodings in which it recognizes a
    language (if any), the least chaotic ones, and among those Windows-1252 (then Latin-1)
    when it is one, as web browsers decide; else its own first of them."""
    from charset_normalizer import from_bytes  # (loaded only for inputs that are not UTF-8)

    matches = list(from_bytes(data))
    if not matches:
        return None
    spoken = [m for m in matches if m.coherence > 0] or matches
    least = min(m.chaos for m in spoken) + _CLOSE
    top = [m for m in spoken if m.chaos <= least]
    for preferred in _PREFERRED:
        if any(preferred in m.could_be_from_charset for m in top):
            return codecs.lookup(preferred).name
    return codecs.lookup(top[0].encoding).name
