"""``citetools check`` (the CI linter) and ``citetools keys`` on real files: the oracle's
hand-made samples (tests/fixtures/oracle-samples, copied from ../shared/oracle/samples) and our
own output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from citetools.cli import app
from tests.helpers import ROOT, seed

SAMPLES = ROOT / "tests" / "fixtures" / "oracle-samples"
runner = CliRunner()


def check(path: Path, *args: str):
    result = runner.invoke(app, ["check", str(path), "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def codes(findings) -> set[tuple[str | None, str]]:
    return {(f["key"], f["code"]) for f in findings}


def test_bad_bib_findings():
    code, findings = check(SAMPLES / "bad.bib")
    assert code == 1
    assert {
        ("smith2020", "parse-error"),  # the repeated key
        ("Smith2020", "duplicate-key"),  # differs only in case
        ("smith2020", "missing-field"),  # an article without a journal
        ("smith2020", "unescaped-special"),  # a bare &
    } <= codes(findings)
    broken = [f for f in findings if f["code"] == "parse-error" and f["key"] is None]
    assert {f["line"] for f in broken} == {23, 32}
    assert any("Expected comma after entry key" in f["message"] for f in broken)


def test_subtle_bib_depends_on_the_target():
    _, bibtex = check(SAMPLES / "subtle.bib")
    assert codes(bibtex) == {
        ("garcia2020dotless", "unescaped-special"),
        ("garcia2020dotless", "month-text"),
        ("doe2021site", "missing-field"),
        ("doe2021site", "unknown-type"),
        ("kaiser2017one", "eprint-dropped"),
    }
    _, biblatex = check(SAMPLES / "subtle.bib", "--target", "biblatex")
    assert codes(biblatex) == {
        ("garcia2020dotless", "unescaped-special"),
        ("garcia2020dotless", "month-text"),
        ("garcia2020dotless", "dotless-i-accent"),
    }


def test_csl_json_findings_and_a_clean_file():
    code, findings = check(SAMPLES / "bad.json")
    assert code == 1
    assert {f["code"] for f in findings} >= {"bad-item", "bad-value", "duplicate-key"}
    assert check(SAMPLES / "good.json") == (0, [])


def test_our_own_output_only_lacks_what_the_listing_lacks(tmp_path):
    out = tmp_path / "refs.bib"
    assert (
        runner.invoke(
            app,
            ["export", str(seed("002")), str(seed("000")), "-o", str(out), "--as-of", "2026-11-24"],
        ).exit_code
        == 0
    )
    code, findings = check(out)
    assert code == 1
    assert {f["code"] for f in findings} == {"missing-field"}
    # the abstracts listing gives neither title nor date (and no date is invented)
    assert (
        sorted(f["message"] for f in findings)
        == ["bibtex needs title"] * 10 + ["bibtex needs year"] * 10
    )
    text_result = runner.invoke(app, ["check", str(out)])
    assert text_result.stdout.count("missing-field") == 20


def test_duplicate_papers_under_different_keys(tmp_path):
    bib = tmp_path / "dup.bib"
    bib.write_text(
        "@misc{a,\n  title = {Same Paper},\n  author = {Xing, Jiazheng},\n  year = {2026}\n}\n\n"
        "@misc{b,\n  title = {Same paper!},\n  author = {Xing, J.},\n  year = {2026}\n}\n",
        encoding="utf-8",
    )
    _, findings = check(bib)
    assert ("b", "duplicate-paper") in codes(findings)


def test_keys_lists_and_diffs_against_the_output(tmp_path):
    out = tmp_path / "refs.bib"
    listed = runner.invoke(app, ["keys", str(seed("000")), "--as-of", "2026-11-24"])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].startswith("xing2026lumos\tLumos-Nexus")
    assert (
        runner.invoke(
            app, ["export", str(seed("000")), "-o", str(out), "--as-of", "2026-11-24"]
        ).exit_code
        == 0
    )
    same = runner.invoke(app, ["keys", str(seed("000")), "-o", str(out), "--diff"])
    assert same.exit_code == 0 and same.stdout == ""
    more = runner.invoke(
        app,
        [
            "keys",
            str(seed("003")),
            str(seed("000")),
            "-o",
            str(out),
            "--diff",
            "--as-of",
            "2026-11-24",
        ],
    )
    lines = more.stdout.splitlines()
    assert len(lines) == 50 and all(line.startswith("+ ") for line in lines)
    fewer = runner.invoke(app, ["keys", str(seed("003")), "-o", str(out), "--diff"])
    assert sum(line.startswith("- ") for line in fewer.stdout.splitlines()) == 21


def test_a_bib_that_is_not_utf8_is_a_finding_unless_its_encoding_is_named(tmp_path):
    bib = tmp_path / "latin1.bib"
    entry = "@misc{gross1990,\n  title = {\u00dcber T\u00e4uschung},\n  author = {J\u00fcrgen Gro\u00df},\n"
    bib.write_bytes((entry + "  year = {1990}\n}\n").encode("latin-1"))
    code, findings = check(bib)
    assert code == 1
    (first,) = [f for f in findings if f["code"] == "not-utf8"]
    assert first["line"] == 2 and "decoded as cp1252" in first["message"]
    code, findings = check(bib, "--encoding", "latin-1")
    assert (code, findings) == (0, [])
    keys = runner.invoke(app, ["keys", str(bib), "--encoding", "latin-1"])
    assert keys.exit_code == 0 and keys.stdout == "gross1990\t\u00dcber T\u00e4uschung\n"  # its own
