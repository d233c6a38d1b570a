"""The Python API and the command line run one pipeline: the same inputs and options give the
same bytes and the same problems, and the same mistake is the same error (a usage error, exit
2, in the CLI)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from typer.testing import CliRunner

import citetools
from citetools import plugins
from citetools.cli import app
from tests.helpers import SEEDS, seed

AS_OF = "2026-11-24"


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def api(inputs, target, **options):
    """What ``citetools export INPUTS -o TARGET`` does, through the Python API: the problems
    as the CLI prints them, and the keyed records."""
    found: list[citetools.Problem] = []
    records = citetools.read(inputs, as_of=date.fromisoformat(AS_OF), on_problem=found.append)
    keyed = citetools.export(records, target, on_problem=found.append, **options)
    return [str(p) for p in found], keyed


CASES = {
    "bibtex": ("refs.bib", [], {}),
    "csljson": ("refs.json", [], {}),
    "ris": ("refs.ris", [], {}),
    "jsonl": ("refs.jsonl", [], {}),
    "biblatex": ("refs.bib", ["--to", "biblatex"], {"to": "biblatex"}),
    "pattern": (
        "refs.bib",
        ["--key-pattern", "[auth:upper][year]"],
        {"key_pattern": "[auth:upper][year]"},
    ),
    "arxiv-note": ("refs.bib", ["--arxiv-note"], {"arxiv_note": True}),
    "apa-markdown": ("refs.md", [], {}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_api_and_the_cli_write_the_same_bytes_and_problems(tmp_path, case):
    name, flags, options = CASES[case]
    inputs = [str(SEEDS)]
    by_cli, by_api = tmp_path / "cli" / name, tmp_path / "api" / name
    by_cli.parent.mkdir()
    by_api.parent.mkdir()
    done = cli("export", *inputs, "--as-of", AS_OF, "-o", str(by_cli), *flags)
    assert done.exit_code == 0, done.stderr
    problems, keyed = api(inputs, by_api, **options)
    assert by_api.read_bytes() == by_cli.read_bytes()
    printed = done.stderr.splitlines()
    assert printed[:-1] == problems
    summary = f"wrote {len(keyed)} entries to {by_cli} ({len(problems)} warnings, 0 errors)"
    assert printed[-1] == f"citetools: {summary}"


def test_an_unknown_output_suffix_is_a_usage_error_naming_the_known_formats(tmp_path):
    target = tmp_path / "refs.xyz"
    with pytest.raises(citetools.PluginNotFound, match=r"no exporter writes '\.xyz'.*\.bib.*\.ris"):
        citetools.export([], target)
    done = cli("export", str(seed("000")), "--as-of", AS_OF, "-o", str(target))
    assert done.exit_code == 2
    assert "no exporter writes '.xyz'" in done.stderr and ".bib" in done.stderr
    assert not target.exists()


def test_a_bad_key_pattern_is_the_same_error(tmp_path):
    with pytest.raises(citetools.CitationKeyError, match="auth"):
        citetools.export([], io.StringIO(), key_pattern="[auth")
    done = cli("export", str(seed("000")), "--key-pattern", "[auth")
    assert done.exit_code == 2 and "error:" in done.stderr


def test_a_missing_input_is_the_same_error(tmp_path):
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(citetools.ReadError, match="no such file or folder"):
        citetools.read([missing])
    done = cli("export", missing)
    assert done.exit_code == 2
    assert done.stderr.startswith(f"{missing}: error: no such file or folder")


def test_an_edited_bib_is_refused_by_both(tmp_path):
    target = tmp_path / "refs.bib"
    assert cli("export", str(seed("000")), "--as-of", AS_OF, "-o", str(target)).exit_code == 0
    target.write_text("% my note\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    edited = target.read_bytes()
    records = citetools.read(seed("003"), as_of=date.fromisoformat(AS_OF), on_problem=print)
    with pytest.raises(citetools.RefusedOverwrite, match="--merge") as caught:
        citetools.export(records, target)
    assert caught.value.source == str(target)
    done = cli("export", str(seed("003")), "--as-of", AS_OF, "-o", str(target))
    assert done.exit_code == 2 and "was edited since citetools wrote it" in done.stderr
    assert target.read_bytes() == edited


class Buggy:
    name = "buggy"
    description = "a reader with a bug"
    suffixes = (".buggy",)

    def read(self, source):
        raise ZeroDivisionError("division by zero")


def test_a_readers_bug_is_a_read_error_naming_the_input_in_both(tmp_path):
    path = tmp_path / "in.buggy"
    path.write_text("anything\n", encoding="utf-8")
    plugins.register("reader", "buggy", Buggy)
    try:
        with pytest.raises(citetools.ReadError, match="ZeroDivisionError") as caught:
            citetools.read([str(path)])
        done = cli("export", str(path))
    finally:
        plugins.unregister("reader", "buggy")
    assert caught.value.source == str(path)
    assert done.exit_code == 2
    assert done.stderr.startswith(f"{path}: error: could not read: ZeroDivisionError")
    assert "Traceback" not in done.stderr


def test_keys_are_locked_to_the_existing_output_by_both(tmp_path):
    """Re-exporting onto a generated file keeps its keys, through either door: a newcomer that
    collides gets the suffix, the papers already there keep theirs."""
    first, second = tmp_path / "cli.bib", tmp_path / "api.bib"
    for target in (first, second):
        assert cli("export", str(seed("000")), "--as-of", AS_OF, "-o", str(target)).exit_code == 0
    old = {r.key for r in citetools.read(first, raw=True)}
    both = [str(seed("003")), str(seed("000"))]  # the same papers after others
    done = cli("export", *both, "--as-of", AS_OF, "-o", str(first))
    assert done.exit_code == 0, done.stderr
    _, keyed = api(both, second)
    assert second.read_bytes() == first.read_bytes()
    assert len(old) == 21 and old <= {r.key for r in keyed}
