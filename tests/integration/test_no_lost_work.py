"""No lost work: an edited .bib is never overwritten silently, --merge keeps everything,
keys never move, and an interrupted or failing write leaves the previous file intact."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import bibtexparser
from typer.testing import CliRunner

from citetools.cli import app
from tests.helpers import seed

runner = CliRunner()
AS_OF = "2026-11-24"


def export(*args: str):
    return runner.invoke(app, ["export", *args, "--as-of", AS_OF, "-q"])


def keys(path: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),$", path.read_text(encoding="utf-8"), re.M)


def test_own_output_is_replaced_but_an_edited_or_foreign_one_is_refused(tmp_path):
    out = tmp_path / "refs.bib"
    assert export(str(seed("000")), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert re.search(r"\n\n% citetools: generated file, sha256 [0-9a-f]{64};[^\n@]*\n\Z", text)
    assert export(str(seed("000")), "-o", str(out)).exit_code == 0  # a rebuild just works
    assert out.read_text(encoding="utf-8") == text

    out.write_text(text.replace("{Lumos-Nexus", "{Lumos Nexus"), encoding="utf-8")
    edited = out.read_bytes()
    refused = export(str(seed("000")), "-o", str(out))
    assert refused.exit_code == 2
    assert "--merge" in refused.stderr and "--force" in refused.stderr
    assert "was edited since citetools wrote it" in refused.stderr
    assert out.read_bytes() == edited

    hand = tmp_path / "hand.bib"
    hand.write_text("@misc{mine,\n  title = {Mine}\n}\n", encoding="utf-8")
    foreign = export(str(seed("000")), "-o", str(hand))
    assert foreign.exit_code == 2 and "was not written by citetools" in foreign.stderr
    assert hand.read_text(encoding="utf-8") == "@misc{mine,\n  title = {Mine}\n}\n"

    assert export(str(seed("000")), "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8") == text


def test_merge_keeps_keys_fields_and_hand_edits_and_appends_new_papers(tmp_path):
    out = tmp_path / "refs.bib"
    out.write_text(
        "@article{my-lumos,\n"
        "  title = {Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space for "
        "Video Unified Models},\n"
        "  author = {Xing, Jiazheng and others},\n"
        "  journal = {My Journal},\n"
        "  note = {cite this one},\n"
        "  year = {2026}\n"
        "}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["export", str(seed("000")), "-o", str(out), "--merge", "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    assert "added 20, enriched 1, left alone 0" in result.stderr
    library = bibtexparser.parse_file(str(out))
    assert library.failed_blocks == []
    first = library.entries[0]
    assert first.key == "my-lumos" and first.entry_type == "article"
    fields = {k: str(f.value) for k, f in first.fields_dict.items()}
    assert fields["journal"] == "My Journal" and fields["note"] == "cite this one"
    assert fields["year"] == "2026"
    assert fields["author"] == "Xing, Jiazheng and others"  # not an empty field: left alone
    assert fields["abstract"].startswith("Connector-based")  # an empty field: filled
    assert len(library.entries) == 21
    again = runner.invoke(
        app, ["export", str(seed("000")), "-o", str(out), "--merge", "--as-of", AS_OF]
    )
    assert "added 0, enriched 0, left alone 21" in again.stderr


def test_merge_keeps_a_hand_edited_file_byte_for_byte(tmp_path):
    """Issue 15, point 7: --merge onto a file edited by hand keeps every byte of it -- braces a
    user added, a hand-set year, its layout, a comment -- and only fills empty fields (lines
    added to the entry) and appends new papers."""
    out = tmp_path / "refs.bib"
    assert export(str(seed("000")), "-o", str(out), "--as-of", AS_OF).exit_code == 0
    text = out.read_text(encoding="utf-8")
    entry = re.search(r"@misc\{xing2026lumos,\n.*?\n\}\n", text, re.S)
    assert entry is not None
    edited = entry.group()
    edited = edited.replace("title = {Lumos-Nexus:", "title   =  {{Lumos-Nexus}:")
    edited = re.sub(r"  year = \{2026\},\n", "  year = {2025},  % the published year\n", edited)
    edited = re.sub(r"  abstract = \{[^\n]*\},?\n", "", edited)  # an empty field, to be filled
    edited = edited.replace(",\n}", "\n}")  # (the field before the abstract is now last)
    hand = "% my own notes\n" + edited
    out.write_text(hand, encoding="utf-8")
    result = export(str(seed("000")), "-o", str(out), "--merge", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "added 20, enriched 1, left alone 0" in result.stderr
    after = out.read_text(encoding="utf-8")
    first = after[: after.index("\n}\n") + 3]
    lines = first.splitlines()
    assert [line for line in hand.splitlines() if line not in lines] == []  # every line kept
    added = [line for line in lines if line not in hand.splitlines()]
    assert [line.split(" = ")[0] for line in added] == ["  abstract"]
    assert "  year = {2025},  % the published year" in lines
    assert after.count("@misc{") + after.count("@article{") == 21


def test_keys_never_move_when_inputs_grow_or_are_reordered(tmp_path):
    out = tmp_path / "refs.bib"
    assert export(str(seed("000")), "-o", str(out)).exit_code == 0
    before = keys(out)
    clash = tmp_path / "clash.txt"  # a new paper whose default key is an existing key
    clash.write_text(
        "CVJun 1, 2026\nLumos Revisited: Another Look at Video ModelsJiazheng Xing, Ada Lovelace\n"
        "A different paper by the same first author in the same year.\n",
        encoding="utf-8",
    )
    assert export(str(clash), str(seed("003")), str(seed("000")), "-o", str(out)).exit_code == 0
    after = keys(out)
    assert set(before) <= set(after)
    assert after[0] == "xing2026lumosa"  # the newcomer takes the suffix...
    assert "xing2026lumos" in after  # ...the existing paper keeps its key
    text = out.read_text(encoding="utf-8")
    lumos = re.search(r"@misc\{xing2026lumos,\n  title = \{([^}]*)", text)
    assert lumos is not None and lumos.group(1).startswith("Lumos-Nexus")


def _big_listing(path: Path, entries: int) -> None:
    block = seed("000").read_text(encoding="utf-8").split("\n")
    lines = []
    for i in range(entries):
        j = (i % 21) * 3
        lines += [block[j], block[j + 1].replace(":", f" {i}:", 1), block[j + 2]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_killed_run_leaves_the_previous_file_intact(tmp_path):
    out = tmp_path / "refs.bib"
    assert export(str(seed("000")), "-o", str(out)).exit_code == 0
    previous = out.read_bytes()
    big = tmp_path / "big.txt"
    _big_listing(big, 20000)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "citetools",
            "export",
            str(big),
            "-o",
            str(out),
            "-q",
            "--as-of",
            AS_OF,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(tmp_path.glob(".refs.bib.*.tmp")):
        time.sleep(0.005)
    assert list(tmp_path.glob(".refs.bib.*.tmp")), "the run never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert out.read_bytes() == previous


def test_a_full_disk_leaves_the_previous_file_intact(tmp_path):
    out = tmp_path / "refs.bib"
    assert export(str(seed("000")), "-o", str(out)).exit_code == 0
    previous = out.read_bytes()
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
        "from citetools.cli import main\n"
        "sys.argv = ['citetools', 'export', sys.argv[1], '-o', sys.argv[2], '--force']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(seed("003")), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "refs.bib: error: could not write: File too large" in done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == previous
    assert not list(tmp_path.glob(".refs.bib.*.tmp"))  # the temporary file is cleaned up


def test_the_lean_read_of_our_own_output_knows_every_paper_as_the_full_read_does(tmp_path):
    """Re-exporting onto our own unchanged .bib reads only the identifying fields of it; the
    keys and identities it finds must be those of a full read (titled, untitled and
    abstract-only entries, resolved ones with eprint/DOI alike)."""
    from citetools.normalize.dedup import identities
    from citetools.pipeline.output import existing_records, key_view

    out = tmp_path / "refs.bib"
    assert export("seeds", "-o", str(out)).exit_code == 0
    with (tmp_path / "extra.bib").open("w", encoding="utf-8") as handle:
        handle.write(
            "@article{a, title = {Journal Paper}, author = {Roe, Ann}, doi = {10.1/ABC},"
            " abstract = {Text.}}\n"
            "@misc{b, author = {Doe, Jo}, abstract = {Only an abstract, no title}, "
            "eprint = {2605.00001v2}, archiveprefix = {arXiv}}\n"
            "@misc{c, title = {Z}, number = {arXiv:2605.00002}, url = {https://x.org/p}}\n"
        )
    mixed = tmp_path / "mixed.bib"
    assert export("seeds", str(tmp_path / "extra.bib"), "-o", str(mixed)).exit_code == 0
    for path in (out, mixed):
        lean, full = key_view(str(path)), existing_records(str(path))
        assert len(full) in (203, 206)
        assert [(r.key, identities(r)) for r in lean] == [(r.key, identities(r)) for r in full]
        assert any(r.title is None and r.abstract for r in lean)  # known by their abstract


def test_rebuilding_onto_our_own_output_keeps_every_key(tmp_path):
    out = tmp_path / "refs.bib"
    assert export("seeds", "-o", str(out)).exit_code == 0
    before = out.read_text(encoding="utf-8")
    assert export(str(seed("002")), "seeds", "-o", str(out)).exit_code == 0  # reordered
    assert sorted(keys(out)) == sorted(re.findall(r"^@\w+\{([^,]+),$", before, re.M))
