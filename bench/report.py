"""The Markdown table: the machine's facts, a section per measurement, and the targets of
issue 7 next to what was measured (:mod:`bench.goals`)."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.cells import fmt_seconds, per_entry_us, size_label, startup_baseline
from bench.goals import targets
from bench.results import (
    ARXIV_SPACING,
    LARGE,
    REPO_ROOT,
    Report,
    ResolverResult,
    SizeResult,
    load_average,
)


def _ok(met: bool | None) -> str:
    return "n/a" if met is None else ("yes" if met else "**no**")


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO_ROOT), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _git_state() -> str:
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' with uncommitted changes' if dirty else ''}"


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine_lines(report: Report) -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return [
        f"- date: {report.started.isoformat(timespec='seconds')}",
        f"- command: `{report.command}`",
        f"- CPUs: {os.cpu_count()} ({affinity} usable), {_cpu_model()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        f"- citetools {_version('citetools')} (git {_git_state()}), bibtexparser "
        f"{_version('bibtexparser')}, pybtex {_version('pybtex')}",
        f"- load average (1 min) at start {report.load_start:.2f}, at end "
        f"{load_average():.2f}: other processes share these cores",
        *([f"- note: {report.note}"] if report.note else []),
        f"- repeats: median of {report.repeat} runs per step ({report.repeat_large} at "
        f"{size_label(LARGE)} entries and more); startup: {report.startup_runs} runs",
    ]


def reexport_lines(report: Report) -> list[str]:
    """The section of the re-export onto its own output (nothing when no size has it)."""
    rows = [
        f"| {size_label(res.size)} | {again.layout} | {fmt_seconds(again.fresh.median)} "
        f"| {again.fresh.rss:.0f} | {fmt_seconds(again.again.median)} | {again.again.rss:.0f} "
        f"| {statistics.median(again.ratios):.2f} | {_ok(again.same_bytes)} |"
        for res in report.sizes
        if (again := res.reexport).ratios
    ]
    if not rows:
        return []
    return [
        "",
        "## Re-export onto its own output",
        "",
        "`citetools export LISTING -o OUT.bib` into a fresh file (OUT absent), then again onto",
        "that unchanged OUT.bib (citetools locks the keys to it). The ratio is taken per round,",
        "then the median; *same output*: the re-export wrote the same bytes.",
        "",
        "| N | layout | fresh s | RSS MiB | onto its own output s | RSS MiB "
        "| re-export / fresh | same output |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
        *rows,
    ]


def render(report: Report) -> str:
    """The whole table: the machine, then a section per part of the run, then the targets."""
    lines = [
        *_head_lines(report),
        *_export_lines(report),
        *_reference_lines(report),
        *reexport_lines(report),
        *_startup_lines(report),
        *_resolver_lines(report.resolver),
        *_apa_lines(report),
        *_failure_lines(report),
        *_target_lines(report),
    ]
    return "\n".join(lines) + "\n"


def _head_lines(report: Report) -> list[str]:
    return [
        "# citetools benchmark results",
        "",
        "Written by `python -m bench` (see `bench/README.md`). Times are medians of",
        "whole-process wall times in seconds; memory is the child process's peak resident set",
        "(RSS, MiB). µs/entry is the time per entry net of the fastest one-entry export (the",
        "process start-up, least disturbed by other load).",
        "",
        *machine_lines(report),
    ]


def _export_lines(report: Report) -> list[str]:
    """The export times and sizes, a row per size and layout, then the sizes' notes."""
    baseline = startup_baseline(report)
    lines = [
        "",
        "## Export, per layout",
        "",
        "| N | layout | listing MiB | → BibTeX s | µs/entry | RSS MiB | .bib MiB "
        "| → CSL-JSON s | RSS MiB | .json MiB | .bib read back s | RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in report.sizes:
        lines += [_export_row(res, layout, baseline) for layout in res.export_bib]
    notes = [f"- {size_label(r.size)}: {n}" for r in report.sizes for n in r.notes]
    if notes:
        lines += ["", *notes]
    return lines


def _export_row(res: SizeResult, layout: str, baseline: float) -> str:
    series, js, back = res.export_bib[layout], res.export_json[layout], res.read_back.get(layout)
    read_back = f"{fmt_seconds(back.median)} | {back.rss:.0f}" if back else "- | -"
    return (
        f"| {size_label(res.size)} | {layout} | {res.listing_mib[layout]:.1f} "
        f"| {fmt_seconds(series.median)} | {per_entry_us(series.median, res.size, baseline):.0f} "
        f"| {series.rss:.0f} | {res.bib_mib[layout]:.1f} "
        f"| {fmt_seconds(js.median)} | {js.rss:.0f} | {res.json_mib[layout]:.1f} "
        f"| {read_back} |"
    )


def _reference_lines(report: Report) -> list[str]:
    """bibtexparser and pybtex on the feed layout's .bib, a row per size that ran them."""
    return [
        "",
        "## Reference points (the feed layout's .bib, run side by side in each round)",
        "",
        "Ratios are taken per round, then the median. *export* is citetools listing → .bib;",
        "*read back* is citetools .bib → .bib (it parses with bibtexparser itself).",
        "",
        "| N | bibtexparser 2 parse+write s | RSS MiB | pybtex parse s | RSS MiB "
        "| export / bibtexparser | read back / bibtexparser | export / pybtex "
        "| read back / pybtex |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_reference_row(res) for res in report.sizes if res.bibtexparser.runs),
    ]


def _reference_row(res: SizeResult) -> str:
    return (
        f"| {size_label(res.size)} | {fmt_seconds(res.bibtexparser.median)} "
        f"| {res.bibtexparser.rss:.0f} | {fmt_seconds(res.pybtex.median)} | {res.pybtex.rss:.0f} "
        f"| {statistics.median(res.ratio_export_btp):.2f} "
        f"| {statistics.median(res.ratio_back_btp):.2f} "
        f"| {statistics.median(res.ratio_export_pybtex):.2f} "
        f"| {statistics.median(res.ratio_back_pybtex):.2f} |"
    )


def _startup_lines(report: Report) -> list[str]:
    lines = ["", "## Startup (whole processes)", ""]
    if not report.help.runs:
        return [*lines, "skipped"]
    return [
        *lines,
        "| command | runs | min s | median s | peak RSS MiB |",
        "|---|---:|---:|---:|---:|",
        f"| `citetools --help` | {len(report.help.runs)} | {report.help.minimum:.3f} "
        f"| {report.help.median:.3f} | {report.help.rss:.0f} |",
        f"| `citetools export` one entry | {len(report.one_entry.runs)} "
        f"| {report.one_entry.minimum:.3f} | {report.one_entry.median:.3f} "
        f"| {report.one_entry.rss:.0f} |",
    ]


def _resolver_lines(res: ResolverResult) -> list[str]:
    """The cold and the warm run's requests, or why the resolver did not run."""
    lines = ["", "## Resolver (203 seed entries, local arXiv-like server, `--delay 0`)", ""]
    if res.note:
        return [*lines, res.note]
    simulated = f"{res.cold_requests * ARXIV_SPACING:.0f}" if res.cold_requests is not None else "?"
    lines += [
        "| run | requests | time at 3 s spacing s | wall s (delay 0) | outcome |",
        "|---|---:|---:|---:|---|",
        f"| cold | {res.cold_requests} | {simulated} | {fmt_seconds(res.cold_seconds or 0)} "
        f"| {res.summary} |",
        f"| warm (cached) | {res.warm_requests} | "
        f"{(res.warm_requests or 0) * ARXIV_SPACING:.0f} "
        f"| {fmt_seconds(res.warm_seconds or 0)} | |",
    ]
    if res.server_requests is not None:
        lines += ["", f"The server logged {res.server_requests} requests on the cold run."]
    return lines


def _apa_lines(report: Report) -> list[str]:
    lines = ["", "## Formatted APA list (10k entries)", ""]
    if report.apa_seconds is None:
        return [*lines, report.apa_note or "skipped"]
    return [*lines, f"`citetools export --to text`: {fmt_seconds(report.apa_seconds)} s"]


def _failure_lines(report: Report) -> list[str]:
    if not report.failures:
        return []
    return ["", "## Failed steps", "", *(f"- {failure}" for failure in report.failures)]


def _target_lines(report: Report) -> list[str]:
    return [
        "",
        "## Targets (issue 7)",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *(f"| {t} | {m} | {_ok(ok)} |" for t, m, ok in targets(report)),
    ]
