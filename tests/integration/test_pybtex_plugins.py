"""citetools inside pybtex, through pybtex's own plugin lookup (find_plugin), its Python API and
its command-line tools (pybtex-convert, pybtex), run as subprocesses."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pybtex
import pybtex.database
import pybtex.errors
import pytest
from pybtex.exceptions import PybtexError
from pybtex.plugin import enumerate_plugin_names, find_plugin

from citetools.exporters import to_string
from citetools.exporters.bibtex import BibtexExporter
from citetools.exporters.csljson import CslJsonExporter
from citetools.integrations.pybtex_plugins import (
    CitetoolsLabelStyle,
    CslJsonWriter,
    ListingParser,
    to_pybtex,
)
from citetools.keys import DefaultKeyStyle, PatternKeyStyle, assign_keys
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader
from tests.helpers import normalized, seed

AS_OF = "2026-11-24"


def citetools_records(*paths: Path, as_of: date = date(2026, 11, 24)):
    """What ``citetools export`` makes of the same listings."""
    done = normalized([str(p) for p in paths], as_of=as_of)
    return assign_keys(done.records, DefaultKeyStyle())


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


@pytest.mark.parametrize(
    ("group", "name", "filename", "cls"),
    [
        ("pybtex.database.input", "citetools-listing", "listing.txt", ListingParser),
        ("pybtex.database.output", "citetools-csljson", "refs.json", CslJsonWriter),
        ("pybtex.style.labels", "citetools", None, CitetoolsLabelStyle),
    ],
    ids=["input", "output", "labels"],
)
def test_pybtex_finds_the_plugins_by_name_and_suffix(group, name, filename, cls):
    assert find_plugin(group, name) is cls
    if filename:
        assert find_plugin(group, filename=filename) is cls
    assert name in set(enumerate_plugin_names(group))


def test_pybtex_keeps_its_own_plugins():
    assert find_plugin("pybtex.database.input", filename="refs.bib").__module__.endswith("bibtex")
    assert find_plugin("pybtex.database.input").__module__.endswith("bibtex")  # the default


def test_parse_file_reads_a_listing_as_citetools_would():
    path = seed("003")
    data = pybtex.database.parse_file(str(path), bib_format="citetools-listing", as_of=AS_OF)
    records = citetools_records(path)
    assert list(data.entries) == [r.key for r in records]
    assert data.entries == to_pybtex(records).entries
    first = data.entries[records[0].key]
    assert first.fields["title"] == records[0].title
    assert str(first.persons["author"][-1]) == "others"  # et al., as BibTeX spells it


def test_parse_file_finds_the_format_by_the_txt_suffix():
    data = pybtex.database.parse_file(str(seed("000")), as_of=AS_OF)
    assert next(iter(data.entries)) == "xing2026lumos"


def test_several_listings_get_keys_unique_across_files():
    parser = ListingParser(as_of=AS_OF)
    data = parser.parse_files([str(seed("000")), str(seed("001")), str(seed("003"))])
    keys = list(data.entries)
    assert len(keys) == len({k.lower() for k in keys}) > 100


def test_warnings_are_logged_and_kept_not_raised_in_strict_mode(caplog):
    assert pybtex.errors.strict  # pybtex's Python API default
    parser = ListingParser(as_of=AS_OF)
    with caplog.at_level(logging.WARNING, logger="citetools"):
        data = parser.parse_file(str(seed("002")))  # the abstracts layout: incomplete entries
    assert data.entries
    assert parser.problems and all(p.severity == "warning" for p in parser.problems)
    assert any("incomplete" in r.getMessage() for r in caplog.records)


def test_not_a_listing_is_a_pybtex_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing like a listing\n", encoding="utf-8")
    with pytest.raises(PybtexError, match="not a listing in any known layout"):
        pybtex.database.parse_file(str(path))
    with pytest.raises(PybtexError, match="not a date"):
        ListingParser(as_of="29 May")


def test_the_listing_parser_takes_a_key_pattern():
    data = pybtex.database.parse_file(
        str(seed("000")), as_of=AS_OF, key_pattern="[auth:upper]-[year]"
    )
    assert next(iter(data.entries)) == "XING-2026"


def test_pybtex_convert_reads_a_listing(tmp_path):
    out = tmp_path / "out.bib"
    done = run(tool("pybtex-convert"), str(seed("003")), str(out))
    assert done.returncode == 0, done.stderr
    data = pybtex.database.parse_file(str(out))
    records = citetools_records(seed("003"), as_of=date.today())
    assert list(data.entries) == [r.key for r in records]


def test_pybtex_convert_writes_citetools_csl_json(tmp_path):
    bib = tmp_path / "refs.bib"
    records = citetools_records(seed("003"))
    bib.write_text(to_string(BibtexExporter(), records), encoding="utf-8")
    out = tmp_path / "refs.json"
    done = run(tool("pybtex-convert"), str(bib), str(out))
    assert done.returncode == 0, done.stderr
    # What citetools itself makes of the same .bib file:
    expected = read_string(BibtexReader(), bib.read_text(encoding="utf-8"), str(bib)).records
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        to_string(CslJsonExporter(), expected)
    )
    named = tmp_path / "named.out"
    done = run(tool("pybtex-convert"), "-t", "citetools-csljson", str(bib), str(named))
    assert done.returncode == 0, done.stderr
    assert named.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_pybtex_convert_reports_an_unusable_listing(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n", encoding="utf-8")
    done = run(tool("pybtex-convert"), str(path), str(tmp_path / "out.bib"))
    assert done.returncode != 0
    assert "not a listing in any known layout" in done.stdout + done.stderr
    assert not (tmp_path / "out.bib").exists()


def test_the_label_style_gives_citetools_keys_over_the_sorted_list():
    records = citetools_records(seed("003"))
    twin = records[0]
    data = to_pybtex([*records, dataclasses.replace(twin, key="twin")])
    style = find_plugin("pybtex.style.formatting", "unsrt")(label_style="citetools")
    labels = [entry.label for entry in style.format_bibliography(data)]
    assert labels[:-1] == [r.key for r in records]
    assert labels[-1] == records[0].key + "a"  # the same paper again: de-duplicated
    assert next(iter(data.entries)) == records[0].key  # the entries' own keys are untouched


def test_a_label_style_subclass_takes_a_key_pattern():
    class Upper(CitetoolsLabelStyle):
        key_pattern = "[auth:upper][year]"

    records = citetools_records(seed("000"))[:3]
    labels = list(Upper().format_labels(to_pybtex(records).entries.values()))
    assert labels == [r.key for r in assign_keys(records, PatternKeyStyle("[auth:upper][year]"))]


def test_pybtex_format_reads_a_listing_and_labels_it_with_citetools_keys(tmp_path):
    listing = tmp_path / "papers.txt"
    listing.write_bytes(seed("003").read_bytes())
    done = run(
        tool("pybtex-format"),
        "--label-style",
        "citetools",
        "--style",
        "unsrt",
        "--output-backend",
        "plaintext",
        "papers.txt",
        "papers.out",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    labels = re.findall(r"^\[([^\]]+)\] ", (tmp_path / "papers.out").read_text(), re.MULTILINE)
    assert labels == [r.key for r in citetools_records(listing, as_of=date.today())]


def test_pybtex_formats_a_listing_through_its_python_api():
    text = pybtex.format_from_file(
        str(seed("000")),
        style="unsrt",
        bib_format="citetools-listing",
        label_style="citetools",
        output_backend="text",
    )
    assert text.startswith("[xing2026lumos] Jiazheng Xing, Hangjie Yuan, Lingling Cai, and others.")
