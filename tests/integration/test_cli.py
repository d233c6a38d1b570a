"""``citetools export`` and ``citetools plugins`` end to end, on the real seed listings."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
from typer.testing import CliRunner

from citetools.cli import app
from tests.helpers import ROOT, SEEDS, run_ok, seed

AS_OF = "2026-11-24"
runner = CliRunner()


def export(*args: str, input: str | None = None):
    return runner.invoke(app, ["export", *args], input=input)


@pytest.fixture(scope="module")
def seeds_bib(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("export") / "references.bib"
    result = export(str(SEEDS), "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out, result.stderr


def test_all_203_seed_entries_are_written_once(seeds_bib):
    path, _ = seeds_bib
    text = path.read_text(encoding="utf-8")
    keys = re.findall(r"^@misc\{([^,]+),$", text, re.MULTILINE)
    assert len(keys) == 203
    assert len({k.lower() for k in keys}) == 203
    assert all(re.fullmatch(r"[a-z0-9_:-]+", k) for k in keys)
    assert "\n\n\n" not in text
    assert re.search(r"\}\n\n% citetools: generated file, [^\n]*\n\Z", text)  # the trailer
    assert keys[0] == "xing2026lumos"


def test_output_parses_in_bibtexparser_and_pybtex(seeds_bib):
    path, _ = seeds_bib
    library = bibtexparser.parse_file(str(path))
    assert len(library.entries) == 203
    assert library.failed_blocks == []
    data = pybtex.database.parse_file(str(path))  # strict: raises on a repeated key
    assert len(data.entries) == 203
    # "et al." is a truncation mark, never a person named "others" on its own
    assert all(
        p.last_names != ["others"] or i == len(e.persons["author"]) - 1
        for e in data.entries.values()
        for i, p in enumerate(e.persons.get("author", []))
    )


def test_every_seed_entry_has_the_fields_the_issue_requires(seeds_bib):
    path, _ = seeds_bib
    library = bibtexparser.parse_file(str(path))
    undated = 0
    for entry in library.entries:
        fields = entry.fields_dict
        assert "abstract" in fields, entry.key
        if "title" not in fields:
            assert "key" in fields and "author" not in fields, entry.key
        if not {"year", "month", "date"} & set(fields):
            undated += 1  # the daily and abstracts listings give no date, and none is invented
            continue
        assert {"year", "month", "date"} <= set(fields), entry.key
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["date"].value), entry.key
        assert fields["month"].value in {
            "jan",
            "feb",
            "mar",
            "apr",
            "may",
            "jun",
            "jul",
            "aug",
            "sep",
            "oct",
            "nov",
            "dec",
        }
    assert undated == 82
    by_key = {e.key: e.fields_dict for e in library.entries}
    lumos = by_key["xing2026lumos"]
    assert lumos["date"].value == "2026-05-29"
    assert lumos["primaryClass"].value == "cs.CV"
    assert lumos["author"].value.endswith(" and others")
    boot = next(f for f in by_key.values() if f.get("title") and "BOOT" in f["title"].value)
    assert boot["title"].value.startswith("{BOOT}: Data-free")
    dydit = next(f for f in by_key.values() if f.get("title") and "DyDiT" in f["title"].value)
    assert dydit["title"].value.startswith("{DyDiT}++:")
    inferix = next(f for f in by_key.values() if f.get("author") and "Inferix" in f["author"].value)
    assert inferix["author"].value.startswith("{Inferix Team} and ")
    quantum = next(
        f
        for f in by_key.values()
        if f.get("primaryClass") and f["primaryClass"].value == "quant-ph"
    )
    # no inherent capitals: nothing is braced, so styles may lower-case it
    assert quantum["title"].value == (
        "Optical Quantum Sensing for Agnostic Environments via Deep Learning"
    )


def test_warnings_name_file_and_line(seeds_bib):
    _, stderr = seeds_bib
    profile, abstracts, daily = seed("001").name, seed("002").name, seed("004").name
    assert re.search(rf"{profile}: warning: the profile claims 54 papers", stderr)
    assert len(re.findall(rf"{abstracts}:\d+: warning: incomplete", stderr)) == 10
    assert re.search(rf"{daily}: warning: 72 entries have no date in the listing: written", stderr)
    # the leftover of an \href in an abstract (JabRef refused the whole RIS file over it)
    link = "warning: abstract: stray markup dropped: leftover link syntax in"
    assert re.search(rf"{profile}:12: {link} '.*LPA3}}{{https", stderr)
    assert stderr.strip().splitlines()[-1].endswith("references.bib (14 warnings, 0 errors)")


def test_same_input_gives_identical_bytes_and_reexport_is_a_fixed_point(seeds_bib, tmp_path):
    path, _ = seeds_bib
    again = tmp_path / "again.bib"
    assert export(str(SEEDS), "-o", str(again), "--as-of", AS_OF).exit_code == 0
    assert again.read_bytes() == path.read_bytes()
    round_trip = tmp_path / "round.bib"
    result = export(str(path), "-o", str(round_trip), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert round_trip.read_bytes() == path.read_bytes()


def test_year_less_dates_follow_as_of(tmp_path):
    listing = tmp_path / "l.txt"
    listing.write_text("CVDec 15\nSome TitleAda Lovelace\nAbstract.\n", encoding="utf-8")
    early = export(str(listing), "--as-of", "2026-12-14", "-q")
    late = export(str(listing), "--as-of", "2026-12-15", "-q")
    assert "date = {2025-12-15}" in early.stdout
    assert "date = {2026-12-15}" in late.stdout


def test_stdin_to_stdout_and_explicit_stdout():
    text = seed("000").read_text(encoding="utf-8")
    result = export("-", "-o", "-", "--as-of", AS_OF, input=text)
    assert result.exit_code == 0
    assert result.stdout.count("\n@misc{") == 20 and result.stdout.startswith("@misc{")
    assert "<stdin>" not in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"just prose, no listing\n", "not a listing"),
        (b"CVMay 29\n" + bytes(range(128, 256)), "not valid UTF-8"),
    ],
    ids=["empty", "binary", "unknown-layout", "no-encoding"],
)
def test_unusable_input_exits_2_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out.bib"
    result = export(str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert str(bad) in result.stderr and message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_input_exits_2():
    result = export("no/such/file.txt")
    assert result.exit_code == 2
    assert "no/such/file.txt" in result.stderr


def test_strict_turns_warnings_into_exit_1(tmp_path):
    out = tmp_path / "o.bib"
    result = export(str(seed("002")), "-o", str(out), "--strict", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert out.exists()  # the output is still written; --strict only changes the exit code
    clean = tmp_path / "clean.txt"
    clean.write_text("CVMay 1, 2020\nA TitleAda Lovelace\nAbstract.\n", encoding="utf-8")
    assert export(str(clean), "-o", str(tmp_path / "new.bib"), "--strict").exit_code == 0
    # Onto the first output, its 10 entries are dropped: a warning, so exit 1 under --strict.
    assert export(str(clean), "-o", str(out), "--strict").exit_code == 1


def test_existing_output_is_left_intact_when_the_run_fails(tmp_path):
    out = tmp_path / "refs.bib"
    out.write_text("precious\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert export(str(bad), "-o", str(out)).exit_code == 2
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert {p.name for p in tmp_path.iterdir()} == {"refs.bib", "bad.txt"}  # no temp file left


def test_duplicates_across_files_are_merged_and_reported(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(seed("000").read_bytes())
    result = export(str(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stdout.count("@misc{") == 21
    assert len(re.findall(r"b\.txt:\d+: warning: same paper as .*a\.txt:\d+", result.stderr)) == 21


def test_key_pattern_option():
    result = export(
        str(seed("000")), "--as-of", AS_OF, "--key-pattern", "[auth:lower]:[year]", "-q"
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("@misc{xing:2026,")
    bad = export(str(seed("000")), "--key-pattern", "[nosuchmarker]")
    assert bad.exit_code == 2 and "nosuchmarker" in bad.stderr


def test_unknown_format_lists_known_exporters():
    result = export(str(seed("000")), "--to", "bib")
    assert result.exit_code == 2
    assert "unknown exporter 'bib'" in result.stderr and "bibtex" in result.stderr


def test_plugins_lists_builtins_with_kind_and_description():
    result = runner.invoke(app, ["plugins"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for kind, name in [
        ("reader", "listing"),
        ("reader", "bibtex"),
        ("exporter", "bibtex"),
        ("keystyle", "default"),
        ("keystyle", "jabref"),
    ]:
        assert any(line.split()[:2] == [kind, name] for line in lines), (kind, name)
    rows = json.loads(runner.invoke(app, ["plugins", "--json"]).stdout)
    assert {r["distribution"] for r in rows} == {"citetools"}
    assert all(r["description"] and r["broken"] is None for r in rows)


def test_installed_console_script_runs_the_readme_command(tmp_path):
    exe = shutil.which("citetools") or str(Path(sys.executable).with_name("citetools"))
    shutil.copytree(SEEDS, tmp_path / "seeds")
    run_ok(
        [exe, "export", "seeds/", "-o", "references.bib"],
        cwd=tmp_path,
        timeout=120,
    )
    assert (tmp_path / "references.bib").read_text(encoding="utf-8").count("\n@misc{") == 202
    assert ROOT.exists()


def test_style_and_sort_reach_the_reference_list_exporters():
    result = export(
        str(seed("000")),
        "--to",
        "text",
        "--style",
        "ieee",
        "--sort",
        "none",
        "--as-of",
        AS_OF,
        "-q",
    )
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("[1] J. Xing, H. Yuan, L. Cai, et al., “Lumos-Nexus")
    unknown = export(str(seed("000")), "--to", "text", "--style", "no-such-style")
    assert unknown.exit_code == 2 and "unknown citation style 'no-such-style'" in unknown.stderr
    misplaced = export(str(seed("000")), "--to", "bibtex", "--style", "apa")
    assert misplaced.exit_code == 2 and "takes no option style" in misplaced.stderr


def test_protected_terms_file_reaches_the_exporter(tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("# methods of ours\nMean Teacher\nIBN-Net\n", encoding="utf-8")
    out = tmp_path / "refs.bib"
    args = [str(SEEDS), "-o", str(out), "--as-of", AS_OF, "-q"]
    result = export(*args, "--protected-terms", str(terms))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "title = {Robust {Mean Teacher} for Continual" in text
    assert "Capacities via {IBN-Net}}" in text
    assert "title = {Adan: Adaptive {Nesterov} Momentum" in text  # the shipped list stays
    listed = export(*args[:1], "--to", "text", "--protected-terms", str(terms), "--as-of", AS_OF)
    assert "Robust Mean Teacher for continual and gradual test-time adaptation" in listed.stdout
    terms.write_text("Mean Teacher\nibn-net\n", encoding="utf-8")
    bad = export(*args, "--protected-terms", str(terms))
    assert bad.exit_code == 2
    assert f"{terms}:2: error: protected term 'ibn-net' has no capitalised word" in bad.stderr
    missing = export(*args, "--protected-terms", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2 and "none.txt" in missing.stderr


def test_export_pauses_the_cyclic_collector_only_while_it_runs(tmp_path):
    """The export runs with gc paused (records hold no cycles); afterwards, also after a
    failure, the collector is back as it was, for programs that run the CLI in-process."""
    import gc

    try:
        assert export(str(seed("000")), "-o", str(tmp_path / "a.bib")).exit_code == 0
        assert gc.isenabled()
        assert export(str(tmp_path / "missing.txt")).exit_code == 2
        assert gc.isenabled()
        gc.disable()
        assert export(str(seed("000")), "-o", str(tmp_path / "b.bib")).exit_code == 0
        assert not gc.isenabled()  # left disabled when it was
    finally:
        gc.enable()
