"""Nothing is invented (issue 15): an entry with neither title nor author is never an empty
line of a formatted list: it is left out, with a warning naming it."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from typer.testing import CliRunner

from citetools.cli import app
from tests.helpers import seed

runner = CliRunner()
UNDATED = (str(seed("002")), str(seed("004")))  # abstracts, daily: 10 + 72 entries


def export(*args: str):
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 0, result.output
    return result


def bib_entries(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert library.failed_blocks == []
    return {e.key: {k: str(f.value) for k, f in e.fields_dict.items()} for e in library.entries}


@pytest.mark.parametrize("style", ["apa", "ieee", "pybtex:alpha"])
def test_an_entry_with_neither_title_nor_author_is_left_out_of_a_formatted_list(tmp_path, style):
    """The abstracts listing's 10 entries have neither: each is named in a warning and left out
    of the list (never an empty line, a bare "[3]" or "(2026a, December 7)."); the .bib keeps
    them."""
    listing = tmp_path / "refs.txt"
    done = export(*UNDATED, "-o", str(listing), "--style", style, "--as-of", "2026-12-07")
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 72
    assert all(any(c.isalpha() for c in line.split("]")[-1]) for line in lines)  # not "[3]"
    left_out = [line for line in done.stderr.splitlines() if "left out" in line]
    assert len(left_out) == 10
    assert left_out[0] == (
        f"{seed('002')}:2: warning: left out of the reference list: anon2026parameter ('This work "
        "focuses on developing parameter-efficient and l...'): it has neither title nor author "
        "to print"
    )
    bib = tmp_path / "refs.bib"
    export(*UNDATED, "-o", str(bib), "-q")
    key = bib_entries(bib)["anon2026parameter"]["key"]
    assert key == "anon2026parameter"  # a sort key for styles
