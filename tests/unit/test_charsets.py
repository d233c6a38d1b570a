"""Which encoding an input is in (citetools.charsets): UTF-8 and byte-order marks as they are;
anything else detected with charset-normalizer (Windows-1252 preferred when it is as likely),
named in a warning; ``--encoding`` forcing one; bytes in no encoding refused naming the line."""

from __future__ import annotations

import codecs
import os
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citetools.charsets import Decoding, decoding_of, encoding_name, file_decoding
from citetools.errors import ReadError
from citetools.files import FileLines, Source, read_lines, read_text

ENTRY = "@book{{a,\n  title = {{{title}}},\n  author = {{{author}}},\n  year = 1990\n}}\n"

LEGACY = [
    # (encoding written, title, author): what each decodes back to exactly
    (
        "cp1252",
        "L'\u00e9l\u00e8ve et le ma\u00eetre: \u00e9t\u00e9 \u00e0 No\u00ebl",
        "H\u00e9l\u00e8ne B\u00e9r\u00e9govoy",
    ),
    ("latin-1", "\u00dcber die M\u00fcller-Lyer T\u00e4uschung", "J\u00fcrgen Gro\u00df"),
    ("latin-1", "Anfechtung nach Abschlu\u00df des Vertrages", "Hans Brox"),  # one letter
    ("cp1252", "\u201cQuoted\u201d \u2013 a dash \u2014 and \u20ac5", "Zo\u00eb Smith"),
    (
        "cp1251",
        "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0437\u0430\u0433\u043e\u043b\u043e\u0432\u043e\u043a \u043a\u043d\u0438\u0433\u0438 \u043e \u0444\u0438\u0437\u0438\u043a\u0435",
        "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432",
    ),
    (
        "cp1253",
        "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03cc\u03c2 \u03c4\u03af\u03c4\u03bb\u03bf\u03c2 \u03b2\u03b9\u03b2\u03bb\u03af\u03bf\u03c5",
        "\u0393\u03b9\u03ce\u03c1\u03b3\u03bf\u03c2 \u03a0\u03b1\u03c0\u03b1\u03b4\u03cc\u03c0\u03bf\u03c5\u03bb\u03bf\u03c2",
    ),
    (
        "shift_jis",
        "\u65e5\u672c\u8a9e\u306e\u672c\u306e\u30bf\u30a4\u30c8\u30eb\u3068\u7269\u7406\u5b66",
        "\u5c71\u7530\u592a\u90ce",
    ),
]


@pytest.mark.parametrize(
    ("encoding", "title", "author"), LEGACY, ids=[f"{e}-{i}" for i, (e, *_) in enumerate(LEGACY)]
)
def test_a_legacy_encoding_is_detected_and_decodes_the_text_back(tmp_path, encoding, title, author):
    text = ENTRY.format(title=title, author=author)
    path = tmp_path / "refs.bib"
    path.write_bytes(text.encode(encoding))
    found = file_decoding(str(path))
    assert found.detected and found.line == 2
    assert read_text(str(path), encoding=found.encoding) == text
    assert read_lines(str(path), encoding=found.encoding) == text.split("\n")
    warning = found.warning()
    assert warning is not None and f"decoded as {found.encoding}" in warning
    assert f"iconv -f {found.encoding} -t UTF-8" in warning


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_text_is_taken_for_windows_1252(encoding):
    """charset-normalizer alone calls these cp1250, cp1257 or cp932 (è -> č)."""
    text = ENTRY.format(title="L'\u00e9l\u00e8ve \u00e0 No\u00ebl", author="Zo\u00eb Gro\u00df")
    assert decoding_of(text.encode(encoding), source="x").encoding == "cp1252"


def test_utf8_split_at_chunk_boundaries_is_utf8(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("\u2014".encode() * 400_000 + "\u00e9\n".encode())  # 3 bytes: split often
    assert file_decoding(str(path)) == Decoding("utf-8")


PIECES = [b"a", b" ", b"\n", b"\r", b"\r\n", b"\xe9", b"\x81", b"\xe2\x80\x94", b"\x93"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["cp1252", "latin-1", "utf-8-sig"]), st.lists(st.sampled_from(PIECES)))
def test_lines_in_an_encoding_are_its_text_split(encoding, pieces):
    fd, path = tempfile.mkstemp()
    try:
        os.write(fd, b"".join(pieces))
        os.close(fd)
        assert outcome(lambda: read_lines(path, encoding=encoding)) == outcome(
            lambda: read_text(path, encoding=encoding).split("\n")
        )
    finally:
        os.unlink(path)


def outcome(read):
    try:
        return read()
    except ReadError as error:
        return ("error", error.message, error.line)


def test_a_bad_byte_far_into_a_big_file_is_detected_and_named_with_its_line(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"".join(b"line %d\n" % i for i in range(200_000)) + b"caf\xe9\n")
    found = file_decoding(str(path))
    assert (found.encoding, found.detected, found.line, found.byte) == (
        "cp1252",
        True,
        200_001,
        0xE9,
    )
    lines = FileLines(str(path), encoding=found.encoding)
    assert list(lines)[-2:] == ["caf\u00e9", ""] and next(iter(lines)) == "line 0"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", Decoding("utf-8")),
        (b"plain ascii\n", Decoding("utf-8")),
        ("caf\u00e9\n".encode(), Decoding("utf-8")),
        (codecs.BOM_UTF8 + b"x", Decoding("utf-8-sig")),
        (codecs.BOM_UTF16_LE + "x".encode("utf-16-le"), Decoding("utf-16")),
        (codecs.BOM_UTF32_BE + "x".encode("utf-32-be"), Decoding("utf-32")),
    ],
    ids=["empty", "ascii", "utf-8", "utf-8-bom", "utf-16-bom", "utf-32-bom"],
)
def test_utf8_and_byte_order_marks_are_not_detected(data, expected):
    assert decoding_of(data, source="x") == expected


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"one\n" + bytes(range(128, 256)) * 4, 2, "not valid UTF-8 (byte 0x80), nor in any "),
        (b"caf\xe9\n" + b"x" * 9000 + b"\x00", 2, "binary file (a NUL byte)"),
        (b"PNG\n\x00\x01\x02" + bytes(range(1, 256)), 2, "binary file (a NUL byte)"),
        ("plain".encode("utf-16-le"), 1, "looks like UTF-16 (little-endian) without a byte-order"),
    ],
    ids=["no-encoding", "nul-after-8k", "binary", "utf-16-no-bom"],
)
def test_bytes_in_no_encoding_are_refused_naming_the_line(tmp_path, data, line, message):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    for decide in (lambda: file_decoding(str(path)), lambda: decoding_of(data, source=str(path))):
        with pytest.raises(ReadError) as caught:
            decide()
        assert (caught.value.source, caught.value.line) == (str(path), line)
        assert caught.value.message.startswith(message)


def test_a_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="No such file") as caught:
        file_decoding(str(tmp_path / "gone.bib"))
    assert caught.value.source == str(tmp_path / "gone.bib")


@pytest.mark.parametrize(
    ("name", "codec"),
    [("latin1", "iso8859-1"), ("Windows-1252", "cp1252"), ("UTF8", "utf-8"), ("sjis", "shift_jis")],
)
def test_encoding_names_are_python_codecs(name, codec):
    assert encoding_name(name) == codec


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13", "hex", "undefined", ""])
def test_an_unknown_encoding_is_a_read_error(name):
    with pytest.raises(ReadError, match=f"unknown encoding {name!r}: name one Python knows"):
        encoding_name(name)


def test_a_forced_encoding_is_used_as_given_and_never_warned_about(tmp_path):
    path = tmp_path / "refs.txt"
    path.write_bytes(codecs.BOM_UTF8 + "caf\u00e9\r\nna\u00efve".encode())
    assert file_decoding(str(path), forced="utf8") == Decoding("utf-8-sig")  # the BOM dropped
    assert Source(str(path), encoding="utf-8").lines() is not None
    assert list(Source(str(path), encoding="utf-8").lines()) == ["caf\u00e9", "na\u00efve"]
    assert (
        Source(str(path), encoding="cp1252").text()
        == "\u00ef\u00bb\u00bfcaf\u00c3\u00a9\nna\u00c3\u00afve"
    )
    found = Source(str(path), encoding="latin-1").decoding()
    assert found == Decoding("iso8859-1") and found.warning() is None


def test_a_forced_encoding_that_does_not_fit_names_the_line(tmp_path):
    path = tmp_path / "refs.txt"
    path.write_bytes(b"one\ntwo \x81\n")
    with pytest.raises(ReadError, match=r"not valid CP1252 \(byte 0x81\)") as caught:
        list(Source(str(path), encoding="cp1252").lines())
    assert caught.value.line == 2


def test_a_source_in_memory_has_no_decoding():
    assert Source.from_text("x").decoding() is None
