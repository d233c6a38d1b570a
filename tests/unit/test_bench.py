"""The benchmark script (issue 7, ``bench/`` at the repository root, not installed) runs as
``python -m bench`` and writes its table; its generated listings are what they claim to be. No
timing is asserted: these machines are shared and noisy."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib

import pytest
import setuptools

import bench
import citetools
from bench.bibfields import read_bib
from bench.roundtrip import CONCAT, MERGED_AWAY, compare
from bench.texlive import measure_file
from tests.helpers import ROOT, SEEDS, run_ok


@pytest.fixture(scope="module")
def pool():
    return bench.load_seeds(SEEDS)


@pytest.mark.parametrize("layout", bench.LAYOUTS)
def test_generated_listing_reads_back_as_that_many_distinct_entries(pool, tmp_path, layout):
    path = bench.write_listing(pool, layout, 60, tmp_path / f"{layout}.txt", seed=3)
    problems = []
    records = citetools.read([path], raw=True, on_problem=problems.append)
    assert len(records) == 60
    assert {p.layout for r in records for p in r.provenance} == {layout}
    assert not [p for p in problems if "could not tell" in p.message]
    if layout == "abstracts":
        assert len({r.abstract for r in records}) == 60
    else:
        assert len({r.title for r in records}) == 60
    if layout in ("feed", "profile"):
        assert all(r.authors for r in records)
        assert len({r.date for r in records}) > 10


def test_generation_is_deterministic(pool, tmp_path):
    one = bench.write_listing(pool, "feed", 30, tmp_path / "one.txt", seed=5)
    two = bench.write_listing(pool, "feed", 30, tmp_path / "two.txt", seed=5)
    other = bench.write_listing(pool, "feed", 30, tmp_path / "other.txt", seed=6)
    assert one.read_bytes() == two.read_bytes() != other.read_bytes()


def test_coined_names_are_distinct():
    names = [bench.coined(i).lower() for i in range(10_000)]
    assert len(set(names)) == len(names)


def test_sizes_accept_k_suffixes():
    assert bench.build_parser().parse_args(["--sizes", "1k,250,0.1m"]).sizes == (
        1000,
        250,
        100_000,
    )


def test_bench_runs_and_writes_a_results_table(tmp_path):
    out = tmp_path / "results.md"
    done = run_ok(
        [
            sys.executable,
            "-m",
            "bench",
            "--sizes",
            "12,24",
            "--repeat",
            "1",
            "--startup-runs",
            "1",
            "--workdir",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        timeout=300,
    )
    table = out.read_text(encoding="utf-8")
    assert table == done.stdout
    assert "- command: `python -m bench --sizes 12,24 " in table
    for heading in ("## Export, per layout", "## Reference points", "## Startup", "## Resolver"):
        assert heading in table
    for layout in bench.LAYOUTS:
        assert f"| 12 | {layout} |" in table and f"| 24 | {layout} |" in table
    assert "| `citetools --help` | 1 |" in table
    assert "- CPUs: " in table and "- Python " in table and "- date: " in table
    # the resolver ran against the local server: a request count, then none when warm
    assert "| cold | " in table and "| warm (cached) | 0 |" in table
    assert "| target | measured | met |" in table
    bib = (tmp_path / "work" / "n24" / "feed.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@(?!comment)", bib, re.M)) == 24  # the entries, not the checksum


def _runs(*seconds):
    return bench.Series([bench.Measured(s, 50.0 + s, 0, "") for s in seconds])


def test_reexport_table_shows_both_times_and_the_median_ratio():
    small = bench.SizeResult(1000)
    small.reexport = bench.ReexportResult(
        layout="feed",
        fresh=_runs(1.0, 1.2, 1.1),
        again=_runs(0.5, 0.7, 0.6),
        ratios=[0.5, 0.6, 0.55],
    )
    big = bench.SizeResult(10_000)
    big.reexport = bench.ReexportResult(
        layout="feed", fresh=_runs(12.0), again=_runs(3.0), ratios=[0.25], same_bytes=False
    )
    unmeasured = bench.SizeResult(24)  # a size that failed before its re-export: no row
    report = bench.Report(sizes=[small, big, unmeasured])
    lines = bench.reexport_lines(report)
    assert lines[1] == "## Re-export onto its own output"
    header = next(i for i, line in enumerate(lines) if line.startswith("| N |"))
    assert lines[header + 2 :] == [
        "| 1k | feed | 1.100 | 51 | 0.600 | 51 | 0.55 | yes |",
        "| 10k | feed | 12.0 | 62 | 3.000 | 53 | 0.25 | **no** |",
    ]
    assert "\n".join(lines) in bench.render(report)
    assert bench.reexport_lines(bench.Report(sizes=[unmeasured])) == []
    assert "Re-export" not in bench.render(bench.Report())


def test_the_100k_target_shows_wall_and_cpu_medians():
    large = bench.SizeResult(100_000)
    large.export_bib = {
        layout: bench.Series([bench.Measured(s, 150.0, 0, "", s - 0.5) for s in times])
        for layout, times in {"feed": (9.0, 11.0, 9.5), "daily": (6.0, 6.5, 6.2)}.items()
    }
    (row,) = [t for t in bench.targets(bench.Report(sizes=[large])) if t[0].startswith("100k")]
    assert row == (
        "100k entries to BibTeX < 10 s",
        "feed 9.500 s (CPU 9.000 s); worst 9.500 s (CPU 9.000 s) (feed)",
        True,
    )
    large.export_bib["feed"] = _runs(10.5)  # (no CPU time measured: none shown)
    (row,) = [t for t in bench.targets(bench.Report(sizes=[large])) if t[0].startswith("100k")]
    assert row[1:] == ("feed 10.5 s; worst 10.5 s (feed)", False)


def _size(size, times, *, read_back=("feed",), reference=True, notes=()):
    """A size's results: each layout's times as runs (``times``: layout -> (seconds, ...))."""
    res = bench.SizeResult(size, notes=list(notes))
    for k, (layout, seconds) in enumerate(times.items()):
        res.export_bib[layout] = bench.Series(
            [bench.Measured(s, 40.0 + size / 2000 + k, 0, "", s * 0.9) for s in seconds]
        )
        res.export_json[layout] = _runs(*(s * 1.3 for s in seconds))
        if layout in read_back:
            res.read_back[layout] = _runs(*(s * 0.7 for s in seconds))
        res.listing_mib[layout] = size / 900 + k
        res.bib_mib[layout] = size / 1100 + k / 2
        res.json_mib[layout] = size / 800 + k
    if reference:
        res.bibtexparser = _runs(*(s * 0.6 for s in times["feed"]))
        res.pybtex = _runs(*(s * 0.8 for s in times["feed"]))
        res.ratio_export_btp = [1.5, 1.7, 1.6][: len(times["feed"])]
        res.ratio_back_btp = [1.1, 1.2, 1.0][: len(times["feed"])]
        res.ratio_export_pybtex = [0.9, 1.0, 0.8][: len(times["feed"])]
        res.ratio_back_pybtex = [0.5, 0.6, 0.7][: len(times["feed"])]
    return res


def _full_report():
    """Every part measured, at three sizes (1k, 10k, 100k entries; the abstracts layout at
    100k only)."""
    layouts = {"feed": (0.8, 0.9, 0.85), "profile": (0.7, 0.75, 0.72), "daily": (0.6, 0.6, 0.61)}
    small = _size(1000, layouts, read_back=("feed", "daily"), notes=["a note on 1k"])
    small.reexport = bench.ReexportResult(
        layout="feed", fresh=_runs(0.8, 0.9), again=_runs(0.4, 0.5), ratios=[0.5, 0.55]
    )
    middle = _size(10_000, {k: tuple(s * 8 for s in v) for k, v in layouts.items()})
    large = _size(100_000, {k: (v[0] * 11,) for k, v in {**layouts, "abstracts": (1.0,)}.items()})
    large.bib_mib["daily"] = small.bib_mib["daily"]  # no growth of the output: ratio inf
    return bench.Report(
        sizes=[small, middle, large],
        help=_runs(0.21, 0.25, 0.2),
        one_entry=_runs(0.41, 0.45, 0.4),
        resolver=bench.ResolverResult(
            cold_requests=9,
            server_requests=9,
            cold_seconds=1.25,
            summary="203 resolved",
            warm_requests=0,
            warm_seconds=0.5,
        ),
        apa_seconds=8.25,
        failures=["n=24: citetools export failed"],
        note="pinned",
    )


def _partial_report():
    """One size only (100k, no feed layout, no reference points), the resolver without a
    request count, the APA list not run."""
    large = _size(100_000, {"daily": (12.5,), "profile": (9.5,)}, read_back=(), reference=False)
    return bench.Report(
        sizes=[large],
        help=_runs(0.35),
        one_entry=_runs(0.0),
        resolver=bench.ResolverResult(cold_seconds=2.0, summary="unreachable", warm_requests=3),
        apa_note="no exporter: text is not installed",
    )


def _skipped_report():
    return bench.Report(resolver=bench.ResolverResult(note="skipped (--no-resolver)"), apa_note="")


@pytest.mark.parametrize(
    "name",
    ["full", "partial", "skipped"],
    ids=["every-part", "one-size-nothing-resolved", "nothing-measured"],
)
def test_the_table_is_rendered_as_pinned(monkeypatch, name):
    """The whole table for fixed results, byte for byte (the machine's lines aside, which
    describe the machine the test runs on): tests/fixtures/bench/report-<name>.md."""
    monkeypatch.setattr(bench.report, "machine_lines", lambda report: ["- (the machine)"])
    report = {"full": _full_report, "partial": _partial_report, "skipped": _skipped_report}[name]()
    pinned = ROOT / "tests" / "fixtures" / "bench" / f"report-{name}.md"
    assert bench.render(report) == pinned.read_text(encoding="utf-8")


def test_bench_uses_only_citetools_public_api():
    """citetools.pipeline and citetools.cli are being rewritten: the benchmark leans on the
    public API (``citetools.<name>`` of ``__all__``) and on the ``citetools`` command only."""
    used = set()
    for path in sorted((ROOT / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                used |= {a.name for a in node.names if a.name.split(".")[0] == "citetools"}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("citetools"):
                used |= {f"{node.module}.{a.name}" for a in node.names}
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "citetools"
            ):
                assert node.attr in citetools.__all__, f"{path.name}: citetools.{node.attr}"
    assert used == {"citetools"}


def test_the_wheel_leaves_bench_out():
    """The packages setuptools finds with pyproject.toml's rule: citetools and its subpackages,
    no bench (nor tests)."""
    rule = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = setuptools.find_packages(str(ROOT), **rule["tool"]["setuptools"]["packages"]["find"])
    assert "citetools" in found and "citetools.exporters" in found
    assert all(name == "citetools" or name.startswith("citetools.") for name in found)


# bench.texlive (issue 15): two hand-made files, an input and what an export of it could have
# written; every expected count below was worked out by reading them, not by running the tool.
ROUND_TRIP_IN = """\
@string{acm = "ACM"}
Free text between blocks.
@comment{kept by hand}

@inproceedings{knuth84,
  author = {Donald E. Knuth},
  title = {Literate Programming},
  booktitle = "Proc. " # acm,
  year = 1984,
  crossref = {proc84},
}

@inproceedings{knuth84b,
  author = {Donald E. Knuth},
  title = {Literate Programming},
  booktitle = "Proc. " # acm,
  year = 1984,
  pages = {97--111},
}

@proceedings{proc84,
  title = {Proceedings},
  year = {1984},
}

@article{twice,
  title = {A},
  title = {B},
}
"""
ROUND_TRIP_OUT = """\
@inproceedings{knuth1984literate,
  author = {Knuth, Donald E.},
  title = {Literate {P}rogramming},
  booktitle = {"Proc. " {\\#} acm},
  year = {1984},
  pages = {97--111},
  date = {1984},
  crossref = {proc84},
}

@proceedings{anon1984proceedings,
  title = {Proceedings},
  year = {1984},
}

@comment{citetools: generated file, sha256 0123; edit it freely}
"""


def test_round_trip_counts_what_was_kept_lost_and_invented():
    source, written = read_bib(ROUND_TRIP_IN), read_bib(ROUND_TRIP_OUT)
    assert written.trailer
    # citetools' warning "in.bib:13: ... same paper as in.bib:5" (knuth84b into knuth84)
    trip = compare(source, written, [(13, 5)])
    assert (trip.entries_in, trip.unreadable_in, trip.entries_out) == (4, 1, 2)  # twice: unread
    assert (trip.merged, trip.merged_different, trip.merged_different_or_missing) == (1, 0, 1)
    assert (trip.keys_in, trip.keys_kept) == (3, 0)
    assert (trip.crossrefs_in, trip.crossrefs_in_resolved) == (1, 1)
    assert (trip.crossrefs_out, trip.crossrefs_out_resolved) == (1, 0)  # proc84 was renamed
    assert (trip.matched_by_key, trip.matched_by_position) == (0, 2)
    # knuth84's 5 fields and proc84's 2: only booktitle differs (the name order, the braces
    # around a letter and {1984} for 1984 are re-encodings)
    assert (trip.fields_compared, trip.fields_changed) == (7, 1)
    assert trip.categories == {CONCAT: 1, MERGED_AWAY: 1}
    assert (trip.merged_fields, trip.merged_fields_lost) == (5, 1)  # knuth84b's booktitle
    assert (trip.fields_added, trip.added_names) == (1, {"date": 1})  # pages came from knuth84b
    assert trip.blocks_in == {"string": 1, "comment": 1, "free_text": 1}
    assert sum(trip.blocks_out.values()) == 0  # the checksum comment is not counted


def test_texlive_measures_one_file_through_the_citetools_command(tmp_path):
    path = tmp_path / "in.bib"
    path.write_text(ROUND_TRIP_IN, encoding="utf-8")
    result = measure_file(path, tmp_path / "work")
    trip = result.roundtrip
    # the input side, as counted by hand above
    assert (trip.entries_in, trip.unreadable_in, trip.keys_in, trip.crossrefs_in) == (4, 1, 3, 1)
    assert trip.blocks_in == {"string": 1, "comment": 1, "free_text": 1}
    # the output side is whatever this citetools writes: counted from its file
    written = (tmp_path / "work" / "in.bib").read_text(encoding="utf-8")
    # (the entry bibtexparser cannot read is written back as it was: still not read)
    assert written.startswith(ROUND_TRIP_IN)
    entries = len(re.findall(r"^@(?!comment|string|preamble)", written, re.M))
    assert trip.entries_out == entries - trip.unreadable_in
    assert trip.fields_compared + trip.merged_fields == 5 + 5 + 2  # every readable field, once
    assert trip.merged == len(
        re.findall("merged into one entry", (tmp_path / "work" / "in.stderr.txt").read_text())
    )
    assert result.cpu_citetools > 0 and result.cpu_bibtexparser > 0
    assert result.bibtexparser_returncode == 0
    # the same as libraries, after their imports: less than the commands, still measured
    assert 0 < (result.cpu_citetools_library or 0) < result.cpu_citetools
    assert 0 < (result.cpu_bibtexparser_library or 0) < result.cpu_bibtexparser


def test_texlive_runs_on_a_corpus_and_writes_the_table_and_json(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "in.bib").write_text(ROUND_TRIP_IN, encoding="utf-8")
    (corpus / "latin1.bib").write_bytes("@book{b, title = {Stra\xdfe}}\n".encode("latin-1"))
    out, numbers = tmp_path / "t.md", tmp_path / "t.json"
    argv = ["--corpus", str(corpus), "--out", str(out), "--json", str(numbers), "--quiet"]
    done = run_ok(
        [sys.executable, "-m", "bench.texlive", *argv],
        cwd=ROOT,
        timeout=300,
    )
    table = out.read_text(encoding="utf-8")
    assert table == done.stdout
    assert "| what | measured |" in table and "| `sub/in.bib` |" in table
    assert "| speed as libraries (CPU after imports) | citetools " in table
    files = {f["name"]: f for f in json.loads(numbers.read_text(encoding="utf-8"))["files"]}
    assert files["latin1.bib"]["encoding"] == "latin-1"
    assert files["latin1.bib"]["roundtrip"]["entries_in"] == 1
    assert files["sub/in.bib"]["roundtrip"]["blocks_in"] == {
        "string": 1,
        "comment": 1,
        "free_text": 1,
    }
