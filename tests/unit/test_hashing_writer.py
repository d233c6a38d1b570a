"""The checksumming writer behind the generated-file trailer: what it passes on and what it
hashes are exactly what was written, however the writes fall against its chunks; and the check
that reads the trailer back."""

from __future__ import annotations

import hashlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from citetools.update.trailer import HashingWriter, file_state, retired_keys, trailer


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12)), st.integers(1, 40))
def test_passes_on_and_hashes_exactly_what_was_written(pieces, chunk):
    out = io.StringIO()
    writer = HashingWriter(out)
    writer.CHUNK = chunk
    for piece in pieces:
        assert writer.write(piece) == len(piece)
    whole = "".join(pieces)
    assert writer.hexdigest() == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    assert out.getvalue() == whole


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=12)), st.integers(1, 40), st.text(max_size=5))
def test_with_the_byte_stream_under_it_the_file_holds_the_same(pieces, chunk, before):
    """Given the byte stream under a text file, the writer writes the bytes it hashed there:
    after what the text file held, before what is written to it afterwards."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    out.write(before)
    writer = HashingWriter(out, raw=out.buffer)
    writer.CHUNK = chunk
    for piece in pieces:
        writer.write(piece)
    whole = "".join(pieces)
    assert writer.hexdigest() == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    out.write("% after\n")
    out.flush()
    assert raw.getvalue().decode("utf-8") == before + whole + "% after\n"


def test_gathers_short_writes_until_a_chunk_is_full():
    out = io.StringIO()
    writer = HashingWriter(out)
    writer.CHUNK = 10
    writer.write("@misc{a,")
    assert out.getvalue() == ""  # not yet: one write to the file per chunk
    writer.write("\n}\n")
    assert out.getvalue() == "@misc{a,\n}\n"


def test_the_collector_closing_it_writes_nothing_more(tmp_path):
    """After a failed export the file is closed: the writer's own close must not write to it."""
    handle = (tmp_path / "x.bib").open("w", encoding="utf-8")
    writer = HashingWriter(handle)
    writer.write("half an entry")
    handle.close()
    writer.close()  # what the garbage collector does: no ValueError for the closed file


def test_a_big_file_is_ours_until_a_byte_far_above_its_trailer_changes(tmp_path):
    """The trailer is read from the end and the body checksummed a chunk at a time."""
    body = "".join(
        f"@misc{{k{i},\n  title = {{Title {i} \u2014 caf\u00e9}}\n}}\n" for i in range(5000)
    )
    assert len(body.encode()) > 3 * (1 << 16)
    path = tmp_path / "big.bib"
    path.write_text(body + trailer(hashlib.sha256(body.encode()).hexdigest()), encoding="utf-8")
    assert file_state(str(path)) == "ours"
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"X" + data[101:])
    assert file_state(str(path)) == "edited"
    path.write_bytes(data[: len(body.encode())])
    assert file_state(str(path)) == "foreign"
    assert file_state(str(tmp_path / "none.bib")) == "absent"


def test_the_trailer_is_a_plain_text_line_outside_any_entry(tmp_path):
    """No ``@`` in it: bibclean rejects an @comment block, bibutils makes a record of one."""
    line = trailer("0" * 64, ["smith2020a", "odd@key", "jones2021"])
    assert line.startswith("\n% citetools: generated file, sha256 " + "0" * 64)
    assert "@" not in line and line.count("\n") == 2 and line.endswith("\n")
    path = tmp_path / "refs.bib"
    path.write_text("@misc{a,\n  title = {A}\n}\n" + line, encoding="utf-8")
    assert retired_keys(str(path)) == ["smith2020a", "jones2021"]


def test_a_file_with_the_old_comment_trailer_is_still_ours(tmp_path):
    """Files written before the trailer became a ``%`` line end in an ``@comment{...}``."""
    body = "@misc{a,\n  title = {A}\n}\n"
    digest = hashlib.sha256(body.encode()).hexdigest()
    old = (
        f"\n@comment{{citetools: generated file, sha256 {digest}; retired keys: b c; "
        "edit it freely: 'citetools export --merge' keeps your edits}\n"
    )
    path = tmp_path / "old.bib"
    path.write_text(body + old, encoding="utf-8")
    assert file_state(str(path)) == "ours"
    assert retired_keys(str(path)) == ["b", "c"]
    path.write_text(body.replace("{A}", "{B}") + old, encoding="utf-8")
    assert file_state(str(path)) == "edited"
