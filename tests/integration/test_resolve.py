"""``--resolve`` and ``citetools resolve`` against a real HTTP server on 127.0.0.1 that speaks
the arXiv API (tests/arxiv_server.py), serving the seed papers minus the absent ones
(tests/fixtures/arxiv/ABSENT.md) plus near-miss distractors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import bibtexparser
import pytest
from typer.testing import CliRunner

from citetools.cli import app
from citetools.normalize.latex import decode
from tests.arxiv_server import unused_url
from tests.helpers import ROOT, SEEDS, seed

CORPUS = json.loads((ROOT / "tests" / "fixtures" / "arxiv" / "corpus.json").read_text())
REAL = [p for p in CORPUS if not p.get("distractor")]
ABSENT_TITLES = {
    "City-Scale Multi-Camera Vehicle Tracking Guided by Crossroad Zones",
    "Structured Cooperative Learning with Graphical Model Priors",
    "Exclusive Self Attention",
    "Collegial Ensembles",
    "Pareto Domain Adaptation",
}
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def resolve_seeds(server, tmp: Path, *extra: str, inputs=(str(SEEDS),)):
    out = tmp / "refs.bib"
    result = run(
        "export",
        *inputs,
        "--resolve",
        "--arxiv-url",
        server.url,
        "--delay",
        "0",
        "--cache",
        str(tmp / "cache.sqlite"),
        "-o",
        str(out),
        "--as-of",
        "2026-11-24",
        *extra,
    )
    return result, out


def resolve_feed(server, out: Path, *extra: str):
    """The 21 entries of the feed listing 000, resolved without cache."""
    return run(
        "export",
        str(seed("000")),
        "--resolve",
        "--arxiv-url",
        server.url,
        "--delay",
        "0",
        "--no-cache",
        "-o",
        str(out),
        *extra,
    )


def entries(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert library.failed_blocks == []
    return {e.key: {k: str(f.value) for k, f in e.fields_dict.items()} for e in library.entries}


def fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def test_seeds_resolve_in_few_requests_to_the_right_papers(arxiv_server, tmp_path):
    result, out = resolve_seeds(arxiv_server, tmp_path)
    assert result.exit_code == 0, result.output
    assert 1 <= len(arxiv_server.log) <= 15
    assert all(r.user_agent and r.user_agent.startswith("citetools/") for r in arxiv_server.log)
    assert "resolved 195, ambiguous 0, not found 8, failed 0" in result.stderr
    by_title = {fold(p["title"]): p["id"] for p in REAL}
    by_abstract = {fold(p["summary"])[:200]: p["id"] for p in REAL}
    found = entries(out)
    assert len(found) == 203
    with_eprint = 0
    for fields in found.values():
        if "title" in fields and fold(decode(fields["title"])) in {fold(t) for t in ABSENT_TITLES}:
            assert "eprint" not in fields  # absent from arXiv: never another paper's id
        if "eprint" not in fields:
            continue
        with_eprint += 1
        title = fields.get("title")
        if title is not None:
            assert by_title[fold(decode(title))] == fields["eprint"], title
        assert fields["archivePrefix"] == "arXiv"
        assert fields["url"] == f"https://arxiv.org/abs/{fields['eprint']}"
        assert " and others" not in fields["author"]
    assert with_eprint == 195
    assert by_abstract  # abstracts-only papers got titles from arXiv:
    untitled = [f for f in found.values() if "title" not in f]
    assert len(untitled) == 1  # only the absent abstracts-only paper stays without a title


def test_second_run_is_served_from_the_cache_with_zero_requests(arxiv_server, tmp_path):
    first, out = resolve_seeds(arxiv_server, tmp_path)
    assert first.exit_code == 0
    text = out.read_bytes()
    arxiv_server.reset()
    second, out = resolve_seeds(arxiv_server, tmp_path)
    assert second.exit_code == 0
    assert arxiv_server.log == []
    assert "0 requests" in second.stderr
    assert out.read_bytes() == text
    arxiv_server.stop()  # offline: answers from the cache only, even with the server gone
    third, out = resolve_seeds(arxiv_server, tmp_path, "--offline")
    assert third.exit_code == 0 and out.read_bytes() == text


def test_requests_are_spaced_by_the_delay(arxiv_server, tmp_path):
    listing = str(seed("003"))
    out = tmp_path / "o.bib"
    result = run(
        "export",
        listing,
        "--resolve",
        "--arxiv-url",
        arxiv_server.url,
        "--delay",
        "0.3",
        "--no-cache",
        "-o",
        str(out),
        "--as-of",
        "2026-11-24",
    )
    assert result.exit_code == 0, result.output
    times = [r.time for r in arxiv_server.log]
    assert len(times) >= 2
    assert all(b - a >= 0.29 for a, b in pairwise(times))
    assert max(r.in_flight for r in arxiv_server.log) == 1


def test_spacing_holds_across_concurrent_processes(arxiv_server, tmp_path):
    cache = tmp_path / "shared" / "cache.sqlite"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "citetools",
                "export",
                str(seed(p)),
                "--resolve",
                "--arxiv-url",
                arxiv_server.url,
                "--delay",
                "0.4",
                "--cache",
                str(cache),
                "-o",
                str(tmp_path / f"{p}.bib"),
                "--as-of",
                "2026-11-24",
                "-q",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for p in ("000", "003", "004")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    times = sorted(r.time for r in arxiv_server.log)
    assert len(times) >= 4
    assert all(b - a >= 0.39 for a, b in pairwise(times))
    assert max(r.in_flight for r in arxiv_server.log) == 1


@pytest.mark.parametrize(
    "fault",
    [
        lambda f: f.status(429, headers={"Retry-After": "0"}),
        lambda f: f.status(503),
        lambda f: f.status(500),
        lambda f: f.rate_exceeded(status=200),
        lambda f: f.rate_exceeded(status=503),
        lambda f: f.malformed_xml(),
        lambda f: f.empty_feed(),
        lambda f: f.drop(),
        lambda f: f.delay(3),
    ],
    ids=[
        "429-retry-after",
        "503",
        "500",
        "rate-exceeded-200",
        "rate-exceeded-503",
        "malformed-xml",
        "empty-feed",
        "dropped",
        "read-timeout",
    ],
)
def test_transient_faults_are_retried_and_the_run_succeeds(arxiv_server, tmp_path, fault):
    fault(arxiv_server.faults)
    listing = str(seed("000"))
    out = tmp_path / "o.bib"
    result = run(
        "export",
        listing,
        "--resolve",
        "--arxiv-url",
        arxiv_server.url,
        "--delay",
        "0",
        "--no-cache",
        "-o",
        str(out),
        "--as-of",
        "2026-11-24",
        "--timeout",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert arxiv_server.faults.pending == 0
    assert "resolved 20, ambiguous 0, not found 1, failed 0" in result.stderr
    assert sum(1 for r in arxiv_server.log if r.fault) == 1


def test_persistent_faults_leave_records_unresolved_with_the_reason(arxiv_server, tmp_path):
    arxiv_server.faults.status(503, times=50)
    out = tmp_path / "o.bib"
    result = resolve_feed(arxiv_server, out, "--retries", "2", "--as-of", "2026-11-24")
    assert result.exit_code == 0, result.output  # reachable, cleanly failed: not an error
    assert "failed 21" in result.stderr
    assert len(arxiv_server.log) == 3  # one title batch, 1 + 2 tries; failed ones are not re-asked
    assert "Traceback" not in result.output
    assert len(entries(out)) == 21  # never a lost record
    strict = resolve_feed(arxiv_server, out, "--retries", "0", "--strict")
    assert strict.exit_code == 1


def test_error_entry_is_not_retried(arxiv_server, tmp_path):
    arxiv_server.faults.error_entry("malformed query")
    result = resolve_feed(arxiv_server, tmp_path / "o.bib")
    assert result.exit_code == 0
    assert "the API reported an error: malformed query" in result.stderr


def test_unreachable_service_exits_3_and_keeps_every_record(tmp_path):
    out = tmp_path / "o.bib"
    result = run(
        "export",
        str(seed("000")),
        "--resolve",
        "--arxiv-url",
        unused_url(),
        "--delay",
        "0",
        "--retries",
        "1",
        "--no-cache",
        "-o",
        str(out),
    )
    assert result.exit_code == 3
    assert "could not be reached" in result.stderr
    assert len(entries(out)) == 21


def test_resolve_command_enriches_a_hand_written_bib_in_place_changing_only_what_it_resolved(
    arxiv_server, tmp_path
):
    """Issue 15, point 7: on a hand-written file, only the fields resolved change (here the
    truncated author list is completed and the arXiv fields are added); every other byte --
    layout, a hand-set year, braces, a comment, an entry not found -- stays as it was; the file
    gets no generated-file trailer (it stays the user's). A second run changes nothing."""
    bib = tmp_path / "refs.bib"
    text = (
        "% mine\n"
        "@misc{mykey,\n  title = {{BOOT}: Data-free Distillation of Denoising Diffusion Models "
        "with Bootstrapping},\n  author = {Gu, Jiatao and others},\n  year = {2023},\n"
        "  note = {read this first}\n}\n\n"
        "@misc{unknown,   title = {A Paper No Server Knows},  year = 1999 }\n"
    )
    bib.write_text(text, encoding="utf-8")
    options = ("--arxiv-url", arxiv_server.url, "--delay", "0", "--no-cache")
    result = run("resolve", str(bib), *options)
    assert result.exit_code == 0, result.output
    after = bib.read_text(encoding="utf-8")
    old_lines, new_lines = text.splitlines(), after.splitlines()
    changed = [line for line in old_lines if line not in new_lines]
    added = [line for line in new_lines if line not in old_lines]
    assert changed == ["  author = {Gu, Jiatao and others},"]
    assert [line.split(" = ")[0].strip() for line in added] == [
        "organization",
        "eprint",
        "archivePrefix",
        "primaryClass",
        "doi",  # (arXiv's DOI, as arXiv's own BibTeX export writes it)
        "url",
        "keywords",
        "abstract",
        "author",  # (in the place of the one it replaces: the list in full)
    ]
    # (the remaining lines in their order: nothing moved)
    assert [line for line in new_lines if line in old_lines] == [
        line for line in old_lines if line not in changed
    ]
    assert "citetools: generated file" not in after
    fields = entries(bib)["mykey"]
    assert fields["year"] == "2023" and fields["note"] == "read this first"
    assert fields["title"].startswith("{BOOT}")
    assert not fields["author"].endswith("others")
    requests = len(arxiv_server.log)
    again = run("resolve", str(bib), *options)
    assert again.exit_code == 0, again.output
    assert bib.read_text(encoding="utf-8") == after
    assert len(arxiv_server.log) > requests  # (asked again: no cache) but nothing new to write


def test_explain_prints_the_scores_of_each_candidate(arxiv_server, tmp_path):
    result, _ = resolve_seeds(arxiv_server, tmp_path, "--explain", inputs=(str(seed("003")),))
    assert result.exit_code == 0
    lumos_lines = [
        line for line in result.stderr.splitlines() if "Exclusive Self Attention" in line
    ]
    assert lumos_lines and "not-found" in lumos_lines[0]
    scores = [line for line in result.stderr.splitlines() if line.startswith("    ")]
    assert scores and all(": total " in line and "title " in line for line in scores)


def test_jsonl_shows_where_each_field_came_from(arxiv_server, tmp_path):
    out = tmp_path / "refs.jsonl"
    result = resolve_feed(arxiv_server, out, "--as-of", "2026-11-24")
    assert result.exit_code == 0, result.output
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["ids"]["arxiv"] == "2605.31603"
    sources = first["sources"]
    for field in ("authors", "ids", "categories", "date"):
        assert re.fullmatch(r"arxiv \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", sources[field]), field
    assert "title" not in sources  # the listing's own title was kept
    assert first["provenance"][0]["layout"] == "feed"


def test_resolve_command_updates_csl_json_in_place(arxiv_server, tmp_path):
    csl = tmp_path / "refs.json"
    assert run("export", str(seed("000")), "-o", str(csl), "--as-of", "2026-11-24").exit_code == 0
    ids_before = [item["id"] for item in json.loads(csl.read_text())]
    result = run("resolve", str(csl), "--arxiv-url", arxiv_server.url, "--delay", "0", "--no-cache")
    assert result.exit_code == 0, result.output
    items = json.loads(csl.read_text())
    assert [item["id"] for item in items] == ids_before  # keys never move
    assert sum(1 for item in items if item.get("number", "").startswith("arXiv:")) == 20
    assert not any(a.get("family") == "others" for item in items for a in item.get("author", []))


def test_refresh_asks_again_and_offline_without_cache_fails_cleanly(arxiv_server, tmp_path):
    assert resolve_seeds(arxiv_server, tmp_path, inputs=(str(seed("000")),))[0].exit_code == 0
    asked = len(arxiv_server.log)
    again, _ = resolve_seeds(arxiv_server, tmp_path, "--refresh", inputs=(str(seed("000")),))
    assert again.exit_code == 0 and len(arxiv_server.log) == 2 * asked
    empty = tmp_path / "empty"
    empty.mkdir()
    offline = run(
        "export",
        str(seed("000")),
        "--resolve",
        "--offline",
        "--arxiv-url",
        arxiv_server.url,
        "--cache",
        str(empty / "c.sqlite"),
        "-o",
        str(tmp_path / "o.bib"),
    )
    assert offline.exit_code == 0
    assert "failed 21" in offline.stderr and "not in the cache" in offline.stderr
    assert len(arxiv_server.log) == 2 * asked  # offline never asks


def test_known_ids_go_in_id_list_batches_and_long_queries_by_post(arxiv_server, tmp_path):
    first, out = resolve_seeds(arxiv_server, tmp_path)
    assert first.exit_code == 0
    assert any(r.method == "POST" for r in arxiv_server.log)  # 30 quoted titles: too long a GET
    anonymous = {k for k in entries(out) if k.startswith("anon")}
    # Keys are computed after resolution: only the three author-less papers absent from arXiv
    # (one abstracts-only, two daily-papers entries) stay anonymous.
    assert anonymous == {"anonminimax", "anonpareto", "anondigestion"}  # undated: no year
    arxiv_server.reset()
    again = run("resolve", str(out), "--arxiv-url", arxiv_server.url, "--delay", "0", "--no-cache")
    assert again.exit_code == 0, again.output
    assert "resolved 195" in again.stderr
    id_requests = [r for r in arxiv_server.log if r.params.get("id_list")]
    assert len(id_requests) == 2  # 195 ids, 100 per batch
    assert sum(len(r.params["id_list"].split(",")) for r in id_requests) == 195


def test_endpoint_from_the_environment(arxiv_server, tmp_path, monkeypatch):
    monkeypatch.setenv("CITETOOLS_ARXIV_URL", arxiv_server.url)
    result = run(
        "export",
        str(seed("000")),
        "--resolve",
        "--delay",
        "0",
        "--no-cache",
        "-o",
        str(tmp_path / "o.bib"),
    )
    assert result.exit_code == 0 and "resolved 20" in result.stderr
    assert arxiv_server.log


def test_retry_after_is_honoured(arxiv_server, tmp_path):
    arxiv_server.faults.status(429, headers={"Retry-After": "1"})
    result = resolve_feed(arxiv_server, tmp_path / "o.bib")
    assert result.exit_code == 0
    first, second = arxiv_server.log[0], arxiv_server.log[1]
    assert first.status == 429 and second.status == 200
    assert second.time - first.time >= 0.99


def test_resolve_in_place_never_deletes_an_entry_it_could_not_read(arxiv_server, tmp_path):
    """A CSL-JSON file with an item citetools cannot read (no "type"): rewriting it in place
    would drop that item, so it is refused, naming it; --force rewrites it without."""
    csl = tmp_path / "refs.json"
    text = (
        '[{"id": "boot", "type": "article", "title": "BOOT: Data-free Distillation of '
        'Denoising Diffusion Models with Bootstrapping"},\n {"id": "broken", "title": "X"}]\n'
    )
    csl.write_text(text, encoding="utf-8")
    options = ("--arxiv-url", arxiv_server.url, "--delay", "0", "--no-cache")
    refused = run("resolve", str(csl), *options)
    assert refused.exit_code == 2
    assert 'item 1: no "type"; the item was skipped' in refused.stderr
    assert "1 entries of it could not be read" in refused.stderr
    assert csl.read_text(encoding="utf-8") == text
    assert not arxiv_server.log
    forced = run("resolve", str(csl), *options, "--force")
    assert forced.exit_code == 1  # written, with the error reported
    assert [item["id"] for item in json.loads(csl.read_text(encoding="utf-8"))] == ["boot"]


def test_abstract_arxiv_fills_in_arrives_as_text_and_the_users_own_latex_stays(
    arxiv_server, tmp_path
):
    """Issue 16, point 1: the recorded abstract of 2402.12780 holds ``4$\\sim$14`` (arXiv's
    LaTeX source); resolved from the local arXiv server into CSL-JSON it reads ``4∼14``, while
    the user's own title stays theirs (its math read as a .bib's LaTeX is read)."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{mine,\n  title = {Accelerating Parallel Sampling of Diffusion Models $\\alpha$},\n"
        "  eprint = {2402.12780},\n  archivePrefix = {arXiv}\n}\n",
        encoding="utf-8",
    )
    recorded = next(p for p in CORPUS if p["id"] == "2402.12780")["summary"]
    assert "4$\\sim$14" in recorded
    out = tmp_path / "refs.json"
    options = ("--arxiv-url", arxiv_server.url, "--delay", "0", "--no-cache")
    result = run("export", str(bib), "--resolve", *options, "-o", str(out))
    assert result.exit_code == 0, result.output
    (item,) = json.loads(out.read_text(encoding="utf-8"))
    assert "by a factor of 4∼14 times" in item["abstract"]
    assert "$" not in item["abstract"] and "\\" not in item["abstract"]
    assert item["title"] == "Accelerating Parallel Sampling of Diffusion Models α"
