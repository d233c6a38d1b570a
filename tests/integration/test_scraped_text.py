"""Scraped LaTeX in a listing reaches every format as text (issue 16, points 1 and 5): a
character where one was meant, no stray brace for a client to choke on (JabRef drops a whole
RIS import over one unbalanced ``}``), and a warning naming what was dropped; the same text
read from a bibliography the user wrote comes out exactly as given."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from citetools.cli import app

runner = CliRunner()

TITLE = r"$\sigma$Reparam: Stable Transformers"
ABSTRACT = (
    r"Faster by 4$\sim$14 times with $O(n^2)$ cost. "
    "Code: https://github.com/a/b}{https://github.com/a/b."
)
FEED = f"CVMay 4, 2024\n{TITLE}Ada Lovelace, Alan Turing\n{ABSTRACT}\n"


def export(*args: str):
    result = runner.invoke(app, ["export", *args, "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    return result


def test_listing_latex_becomes_text_in_ris_and_csljson_what_the_user_wrote_does_not(
    tmp_path: Path,
):
    listing = tmp_path / "feed.txt"
    listing.write_text(FEED, encoding="utf-8")
    csl = tmp_path / "refs.json"
    written = {"id": "mine", "type": "article", "title": "Mine " + TITLE, "abstract": ABSTRACT}
    csl.write_text(json.dumps([written]), encoding="utf-8")
    export(str(listing), str(csl), "-o", str(tmp_path / "out.json"))
    export(str(listing), "-o", str(tmp_path / "out.ris"))
    item, mine = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    text = "Faster by 4∼14 times with O(n^2) cost. Code: https://github.com/a/b."
    assert item["title"] == '<span class="nocase">σReparam</span>: Stable Transformers'
    assert item["abstract"] == text
    ris = (tmp_path / "out.ris").read_text(encoding="utf-8")
    assert "TI  - σReparam: Stable Transformers\n" in ris
    assert f"AB  - {text}\n" in ris
    assert not set("{}\\$") & set(item["abstract"] + ris)
    assert mine["abstract"] == ABSTRACT  # a bibliography's text is the user's: as given


def test_listing_latex_is_a_character_in_bibtex_not_escaped_source(tmp_path: Path):
    listing = tmp_path / "feed.txt"
    listing.write_text(FEED, encoding="utf-8")
    result = export(str(listing), "-o", str(tmp_path / "out.bib"))
    bib = (tmp_path / "out.bib").read_text(encoding="utf-8")
    assert r"4{$\sim$}14" in bib
    assert r"{$\sigma$}Reparam" in bib
    assert "textbackslash" not in bib and "textbrace" not in bib and r"{\$}" not in bib
    # the leftover of an \href: dropped, and said where
    assert (
        f"{listing}:1: warning: abstract: stray markup dropped: leftover link syntax in "
        in result.stderr
    )
