"""Reading inputs: :func:`citetools.files.read_lines` is ``read_text(path).split("\\n")``, errors
included, without holding the whole decoded text."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citetools.errors import ReadError
from citetools.files import FileLines, read_lines, read_text

# Pieces that meet every branch: line ends of all kinds, NUL, bytes that are not UTF-8, a
# character that is (an em dash), and the byte-order marks.
PIECES = [b"a", b"Title", b" ", b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xe2\x80\x94", b"\xe2"]
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]


def outcome(read, path):
    try:
        return read(path)
    except ReadError as error:
        return ("error", error.message, error.line)


def both(data: bytes):
    fd, path = tempfile.mkstemp()
    try:
        os.write(fd, data)
        os.close(fd)
        return outcome(read_lines, path), outcome(lambda p: read_text(p).split("\n"), path)
    finally:
        os.unlink(path)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(BOMS), st.lists(st.sampled_from(PIECES), max_size=30))
def test_read_lines_is_read_text_split(bom, pieces):
    lines, expected = both(bom + b"".join(pieces))
    assert lines == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [""]),
        (b"one\ntwo", ["one", "two"]),
        (b"one\r\ntwo\r\n", ["one", "two", ""]),
        (b"mac\rline\r", ["mac", "line", ""]),
        (b"a\r\r\nb", ["a", "", "b"]),
        (b"\xef\xbb\xbfbom\n", ["bom", ""]),
        ("\ufeffutf16\n".encode("utf-16-le"), ["utf16", ""]),
    ],
)
def test_line_ends_and_byte_order_marks(data, expected):
    assert both(data) == (expected, expected)


def test_a_bad_byte_far_into_a_big_file_is_named_with_its_line():
    data = b"".join(b"line %d\n" % i for i in range(20000)) + b"caf\xe9\n"
    lines, whole = both(data)
    assert lines == whole == ("error", lines[1], 20001)
    assert "not valid UTF-8 (byte 0xe9)" in lines[1]


def test_binary_files_are_refused_from_their_first_bytes():
    lines, whole = both(b"PNG\n\x00\x01" + b"\x00" * 20000)
    assert lines == whole
    assert lines[0] == "error" and "binary file" in lines[1] and lines[2] == 2


def test_a_missing_file_names_itself(tmp_path):
    with pytest.raises(ReadError) as caught:
        read_lines(str(tmp_path / "gone.txt"))
    assert caught.value.source == str(tmp_path / "gone.txt")


def test_file_lines_are_read_again_each_time(tmp_path):
    path = tmp_path / "listing.txt"
    path.write_bytes(b"one\r\ntwo\n\xc3\xa9\n")
    lines = FileLines(str(path))
    assert list(lines) == list(lines) == read_lines(str(path)) == ["one", "two", "é", ""]


def test_file_lines_refuse_a_file_changed_between_readings(tmp_path):
    path = tmp_path / "listing.txt"
    path.write_text("one\ntwo\n", encoding="utf-8")
    lines = FileLines(str(path))
    assert list(lines) == ["one", "two", ""]
    path.write_text("one\ntwo\nthree\n", encoding="utf-8")
    with pytest.raises(ReadError, match="changed while it was being read") as caught:
        list(lines)
    assert caught.value.source == str(path)
