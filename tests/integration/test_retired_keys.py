"""Keys are never reused (issue 15, point 6): a key once written for a paper into an output is
never given to a different paper in a later run onto that output, even after that paper left
the inputs; replacing an output that holds papers missing from the inputs says which."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from citetools.cli import app

ABSTRACT = "We study a problem and propose a method that works well in experiments."


def listing(title: str) -> str:
    """A feed listing of one paper by Jiazheng Xing, May 29, whose default key is
    ``xing2026lumos`` whatever follows "Lumos"."""
    return f"CVMay 29\n{title}Jiazheng Xing, Hangjie Yuan\n{ABSTRACT}\n"


def export(*args: str):
    return CliRunner().invoke(app, ["export", *args, "--as-of", "2026-11-24"])


def keys_and_titles(path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{([^,]+),\n  title = \{(.*)\},$", text, re.MULTILINE)


def test_a_key_is_never_given_to_another_paper_even_after_its_paper_left(tmp_path):
    out = tmp_path / "references.bib"
    papers = {name: tmp_path / f"{name}.txt" for name in ("nexus", "two", "three")}
    papers["nexus"].write_text(listing("Lumos-Nexus: Frequency Bridging"), encoding="utf-8")
    papers["two"].write_text(listing("Lumos-2: A Second Paper"), encoding="utf-8")
    papers["three"].write_text(listing("Lumos-3: A Third Paper"), encoding="utf-8")

    assert export(str(papers["nexus"]), "-o", str(out)).exit_code == 0
    assert keys_and_titles(out) == [("xing2026lumos", "{Lumos-Nexus}: Frequency Bridging")]

    # Lumos-Nexus (cited in the paper as xing2026lumos) leaves the inputs; Lumos-2 comes.
    second = export(str(papers["two"]), "-o", str(out))
    assert second.exit_code == 0, second.stderr
    assert keys_and_titles(out) == [("xing2026lumosa", "Lumos-2: A Second Paper")]
    assert (
        f"{out}: warning: 1 entries of it are in none of the inputs and are dropped: "
        "xing2026lumos (their keys are retired: never given to another paper here)"
    ) in second.stderr
    assert "retired keys: xing2026lumos;" in out.read_text(encoding="utf-8")

    # Lumos-2 leaves too: neither key is given to Lumos-3, the trailer remembers both.
    third = export(str(papers["three"]), "-o", str(out))
    assert third.exit_code == 0, third.stderr
    assert keys_and_titles(out) == [("xing2026lumosb", "Lumos-3: A Third Paper")]
    assert "retired keys: xing2026lumos xing2026lumosa;" in out.read_text(encoding="utf-8")

    # Lumos-Nexus itself comes back: it is a new paper to this output now, with a new key;
    # Lumos-3 keeps its key.
    back = export(str(papers["three"]), str(papers["nexus"]), "-o", str(out))
    assert back.exit_code == 0, back.stderr
    assert [key for key, _ in keys_and_titles(out)] == ["xing2026lumosb", "xing2026lumosc"]


def test_papers_still_in_the_inputs_keep_their_keys_and_nothing_is_reported(tmp_path):
    out = tmp_path / "references.bib"
    nexus = tmp_path / "nexus.txt"
    nexus.write_text(listing("Lumos-Nexus: Frequency Bridging"), encoding="utf-8")
    two = tmp_path / "two.txt"
    two.write_text(listing("Lumos-2: A Second Paper"), encoding="utf-8")
    assert export(str(nexus), "-o", str(out)).exit_code == 0
    again = export(str(two), str(nexus), "-o", str(out))
    assert again.exit_code == 0, again.stderr
    assert [key for key, _ in keys_and_titles(out)] == ["xing2026lumosa", "xing2026lumos"]
    assert "dropped" not in again.stderr
    assert "retired keys" not in out.read_text(encoding="utf-8")
