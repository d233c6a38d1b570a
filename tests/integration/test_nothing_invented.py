"""Nothing is invented (issue 15): a listing that gives no date (the daily and abstracts
layouts) gives no year, month or date, whatever day the export runs; one warning per file says
so; such entries get keys without a year; resolving through arXiv fills the date and never
rejects the paper for a year the listing did not give. An entry with neither title nor author
is never an empty line of a formatted list: it is left out, with a warning naming it."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from typer.testing import CliRunner

from citetools.cli import app
from tests.helpers import seed

runner = CliRunner()
UNDATED = (str(seed("002")), str(seed("004")))  # abstracts, daily: 10 + 72 entries
NO_DATE = "no date in the listing: written without year/month/date; --resolve fills them from arXiv"


def export(*args: str):
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 0, result.output
    return result


def bib_entries(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert library.failed_blocks == []
    return {e.key: {k: str(f.value) for k, f in e.fields_dict.items()} for e in library.entries}


@pytest.mark.parametrize("name", ["refs.bib", "refs.json", "refs.ris", "refs.jsonl", "blx.bib"])
def test_undated_listings_give_the_same_bytes_whatever_the_reference_date(tmp_path, name):
    written = []
    for as_of in ("2026-12-07", "2027-06-01"):
        out = tmp_path / as_of / name
        out.parent.mkdir()
        to = ["--to", "biblatex"] if name == "blx.bib" else []
        export(*UNDATED, "-o", str(out), "--as-of", as_of, *to, "-q")
        written.append(out.read_bytes())
    assert written[0] == written[1]
    text = written[0].decode()
    if name.endswith(".bib"):
        entries = bib_entries(tmp_path / "2026-12-07" / name)
        assert len(entries) == 82
        assert all(not {"year", "month", "date"} & set(f) for f in entries.values())
    elif name == "refs.json":
        assert len(json.loads(text)) == 82 and '"issued"' not in text
    elif name == "refs.ris":
        assert text.count("TY  - ") == 82
        assert not any(line[:2] in ("PY", "DA", "Y1") for line in text.splitlines())
    else:
        assert all(json.loads(line).get("date") is None for line in text.splitlines())


def test_one_warning_per_file_whose_entries_have_no_date(tmp_path):
    done = export(
        str(seed("000")), *UNDATED, "-o", str(tmp_path / "refs.bib"), "--as-of", "2026-12-07"
    )
    assert [line for line in done.stderr.splitlines() if "no date" in line] == [
        f"{seed('002')}: warning: 10 entries have {NO_DATE}",
        f"{seed('004')}: warning: 72 entries have {NO_DATE}",
    ]


def test_undated_entries_get_keys_without_a_year(tmp_path):
    out = tmp_path / "refs.bib"
    export(*UNDATED, "-o", str(out), "--as-of", "2026-12-07", "-q")
    entries = bib_entries(out)
    assert not [key for key in entries if any(c.isdigit() for c in key)]
    assert entries["anonlayer"]["title"] == "Layer Normalization"
    assert "anonparameter" in entries  # no title: the abstract's first significant word


def test_resolving_an_undated_entry_fills_its_date_and_never_rejects_it_for_the_year(
    arxiv_server, tmp_path
):
    """'Layer Normalization' is a 2016 paper: a listing read in 2026 must not make it 2026 (a
    later resolve then rejected the right paper: "year differs by 10")."""
    out = tmp_path / "refs.bib"
    export(str(seed("004")), "-o", str(out), "--as-of", "2026-12-07", "-q")
    resolve = ["--arxiv-url", arxiv_server.url, "--delay", "0", "--no-cache"]
    done = runner.invoke(app, ["resolve", str(out), *resolve])
    assert done.exit_code == 0, done.output
    assert "year differs" not in done.stderr
    layer = bib_entries(out)["anonlayer"]  # keys never move
    assert layer["eprint"] == "1607.08156"
    assert (layer["year"], layer["month"], layer["date"]) == ("2016", "jul", "2016-07-26")
    # The same through `export --resolve`: the date comes from arXiv, and says so.
    jsonl = tmp_path / "refs.jsonl"
    export(str(seed("004")), "-o", str(jsonl), "--as-of", "2026-12-07", "--resolve", *resolve)
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    (layer,) = [r for r in records if r["title"] == "Layer Normalization"]
    assert layer["date"] == {"year": 2016, "month": 7, "day": 26}
    assert layer["sources"]["date"].startswith("arxiv ")


@pytest.mark.parametrize("style", ["apa", "ieee", "pybtex:alpha"])
def test_an_entry_with_neither_title_nor_author_is_left_out_of_a_formatted_list(tmp_path, style):
    """The abstracts listing's 10 entries have neither: each is named in a warning and left out
    of the list (never an empty line, a bare "[3]" or "(n.d.-a)."); the .bib keeps them."""
    listing = tmp_path / "refs.txt"
    done = export(*UNDATED, "-o", str(listing), "--style", style, "--as-of", "2026-12-07")
    lines = listing.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 72
    assert all(any(c.isalpha() for c in line.split("]")[-1]) for line in lines)  # not "[3]"
    left_out = [line for line in done.stderr.splitlines() if "left out" in line]
    assert len(left_out) == 10
    assert left_out[0] == (
        f"{seed('002')}:2: warning: left out of the reference list: anonparameter ('This work "
        "focuses on developing parameter-efficient and l...'): it has neither title nor author "
        "to print"
    )
    bib = tmp_path / "refs.bib"
    export(*UNDATED, "-o", str(bib), "-q")
    assert bib_entries(bib)["anonparameter"]["key"] == "anonparameter"  # a sort key for styles
