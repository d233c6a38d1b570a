"""The Markdown table: the machine's facts, a section per measurement, and the targets of
issue 7 next to what was measured."""

from __future__ import annotations

import contextlib
import math
import os
import platform
import statistics
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.results import (
    ARXIV_SPACING,
    LARGE,
    REPO_ROOT,
    TARGET_APA_10K,
    TARGET_BIBTEXPARSER_RATIO,
    TARGET_FLAT,
    TARGET_HELP,
    TARGET_ONE_ENTRY,
    TARGET_REQUESTS,
    Report,
    Series,
    load_average,
)


def _timed(series: Series) -> str:
    """The median wall time, and the median CPU time when it was measured."""
    cpu = series.cpu_median
    return f"{_fmt(series.median)} s" + ("" if math.isnan(cpu) else f" (CPU {_fmt(cpu)} s)")


def _fmt(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def _ok(met: bool | None) -> str:
    return "n/a" if met is None else ("yes" if met else "**no**")


def _size_label(size: int) -> str:
    if size % 1000 == 0 and size >= 1000:
        return f"{size // 1000}k"
    return str(size)


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
        f"{_size_label(LARGE)} entries and more); startup: {report.startup_runs} runs",
    ]


def _per_entry_us(seconds: float, size: int, baseline: float) -> float:
    return max(seconds - baseline, 0.0) / size * 1e6


def reexport_lines(report: Report) -> list[str]:
    """The section of the re-export onto its own output (nothing when no size has it)."""
    rows = [
        f"| {_size_label(res.size)} | {again.layout} | {_fmt(again.fresh.median)} "
        f"| {again.fresh.rss:.0f} | {_fmt(again.again.median)} | {again.again.rss:.0f} "
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
    baseline = report.one_entry.minimum if report.one_entry.runs else 0.0
    lines = [
        "# citetools benchmark results",
        "",
        "Written by `python -m bench` (see `bench/README.md`). Times are medians of",
        "whole-process wall times in seconds; memory is the child process's peak resident set",
        "(RSS, MiB). µs/entry is the time per entry net of the fastest one-entry export (the",
        "process start-up, least disturbed by other load).",
        "",
        *machine_lines(report),
        "",
        "## Export, per layout",
        "",
        "| N | layout | listing MiB | → BibTeX s | µs/entry | RSS MiB | .bib MiB "
        "| → CSL-JSON s | RSS MiB | .json MiB | .bib read back s | RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in report.sizes:
        for layout, series in res.export_bib.items():
            js, back = res.export_json[layout], res.read_back.get(layout)
            read_back = f"{_fmt(back.median)} | {back.rss:.0f}" if back else "- | -"
            lines.append(
                f"| {_size_label(res.size)} | {layout} | {res.listing_mib[layout]:.1f} "
                f"| {_fmt(series.median)} | {_per_entry_us(series.median, res.size, baseline):.0f} "
                f"| {series.rss:.0f} | {res.bib_mib[layout]:.1f} "
                f"| {_fmt(js.median)} | {js.rss:.0f} | {res.json_mib[layout]:.1f} "
                f"| {read_back} |"
            )
    notes = [f"- {_size_label(r.size)}: {n}" for r in report.sizes for n in r.notes]
    if notes:
        lines += ["", *notes]
    lines += [
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
    ]
    for res in report.sizes:
        if not res.bibtexparser.runs:
            continue
        lines.append(
            f"| {_size_label(res.size)} | {_fmt(res.bibtexparser.median)} "
            f"| {res.bibtexparser.rss:.0f} | {_fmt(res.pybtex.median)} | {res.pybtex.rss:.0f} "
            f"| {statistics.median(res.ratio_export_btp):.2f} "
            f"| {statistics.median(res.ratio_back_btp):.2f} "
            f"| {statistics.median(res.ratio_export_pybtex):.2f} "
            f"| {statistics.median(res.ratio_back_pybtex):.2f} |"
        )
    lines += reexport_lines(report)
    lines += ["", "## Startup (whole processes)", ""]
    if report.help.runs:
        lines += [
            "| command | runs | min s | median s | peak RSS MiB |",
            "|---|---:|---:|---:|---:|",
            f"| `citetools --help` | {len(report.help.runs)} | {report.help.minimum:.3f} "
            f"| {report.help.median:.3f} | {report.help.rss:.0f} |",
            f"| `citetools export` one entry | {len(report.one_entry.runs)} "
            f"| {report.one_entry.minimum:.3f} | {report.one_entry.median:.3f} "
            f"| {report.one_entry.rss:.0f} |",
        ]
    else:
        lines.append("skipped")
    res_r = report.resolver
    lines += ["", "## Resolver (203 seed entries, local arXiv-like server, `--delay 0`)", ""]
    if res_r.note:
        lines.append(res_r.note)
    else:
        simulated = (
            f"{res_r.cold_requests * ARXIV_SPACING:.0f}" if res_r.cold_requests is not None else "?"
        )
        lines += [
            "| run | requests | time at 3 s spacing s | wall s (delay 0) | outcome |",
            "|---|---:|---:|---:|---|",
            f"| cold | {res_r.cold_requests} | {simulated} | {_fmt(res_r.cold_seconds or 0)} "
            f"| {res_r.summary} |",
            f"| warm (cached) | {res_r.warm_requests} | "
            f"{(res_r.warm_requests or 0) * ARXIV_SPACING:.0f} "
            f"| {_fmt(res_r.warm_seconds or 0)} | |",
        ]
        if res_r.server_requests is not None:
            lines += ["", f"The server logged {res_r.server_requests} requests on the cold run."]
    lines += ["", "## Formatted APA list (10k entries)", ""]
    if report.apa_seconds is None:
        lines.append(report.apa_note or "skipped")
    else:
        lines.append(f"`citetools export --to text`: {_fmt(report.apa_seconds)} s")
    if report.failures:
        lines += ["", "## Failed steps", "", *(f"- {failure}" for failure in report.failures)]
    lines += ["", "## Targets (issue 7)", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {_ok(ok)} |" for t, m, ok in targets(report)]
    return "\n".join(lines) + "\n"


def targets(report: Report) -> list[tuple[str, str, bool | None]]:
    """(target, measurement, met) rows; met is None when the run did not measure it."""
    rows: list[tuple[str, str, bool | None]] = []
    by_size = {r.size: r for r in report.sizes}
    large = by_size.get(LARGE)
    if large and large.export_bib:
        worst = max(large.export_bib, key=lambda layout: large.export_bib[layout].median)
        feed = large.export_bib.get("feed")
        measured = f"worst {_timed(large.export_bib[worst])} ({worst})"
        if feed is not None:
            measured = f"feed {_timed(feed)}; " + measured
        rows.append(
            ("100k entries to BibTeX < 10 s", measured, large.export_bib[worst].median < 10)
        )
    else:
        rows.append(("100k entries to BibTeX < 10 s", "not run (no 100k size)", None))
    biggest = max(report.sizes, key=lambda r: r.size) if report.sizes else None
    if biggest and biggest.ratio_export_btp:
        ratio = statistics.median(biggest.ratio_export_btp)
        back = statistics.median(biggest.ratio_back_btp)
        rows.append(
            (
                "within 2x of bibtexparser 2 parse+write",
                f"{ratio:.2f}x export, {back:.2f}x read back ({_size_label(biggest.size)})",
                ratio <= TARGET_BIBTEXPARSER_RATIO,
            )
        )
    baseline = report.one_entry.minimum if report.one_entry.runs else 0.0
    if len(report.sizes) >= 2:
        small, big = min(report.sizes, key=lambda r: r.size), biggest
        assert big is not None
        parts, worst_ratio = [], 0.0
        for layout in big.export_bib:
            if layout not in small.export_bib:
                continue
            a = _per_entry_us(small.export_bib[layout].median, small.size, baseline)
            b = _per_entry_us(big.export_bib[layout].median, big.size, baseline)
            ratio = b / a if a else float("inf")
            worst_ratio = max(worst_ratio, ratio)
            parts.append(f"{layout} {a:.0f}→{b:.0f} µs ({ratio:.2f}x)")
        rows.append(
            (
                f"time per entry flat from {_size_label(small.size)} to "
                f"{_size_label(big.size)} (≤ {TARGET_FLAT}x)",
                "; ".join(parts),
                worst_ratio <= TARGET_FLAT,
            )
        )
        growth = []
        grows_ok = True
        for layout in big.export_bib:
            if layout not in small.export_bib:
                continue
            d_rss = big.export_bib[layout].rss - small.export_bib[layout].rss
            d_out = big.bib_mib[layout] - small.bib_mib[layout]
            factor = d_rss / d_out if d_out > 0 else float("inf")
            grows_ok = grows_ok and factor <= 1.0
            growth.append(f"{layout} {factor:.1f}")
        rows.append(
            (
                "memory grows no faster than the output (ΔRSS / Δ.bib size ≤ 1)",
                ", ".join(growth),
                grows_ok,
            )
        )
    if report.help.runs:
        rows.append(
            (
                "`citetools --help` < 0.3 s",
                f"median {report.help.median:.3f} s",
                report.help.median < TARGET_HELP,
            )
        )
        rows.append(
            (
                "one-entry export < 0.5 s",
                f"median {report.one_entry.median:.3f} s",
                report.one_entry.median < TARGET_ONE_ENTRY,
            )
        )
    res = report.resolver
    if res.cold_requests is not None:
        rows.append(
            (
                "resolver ≤ 15 requests for the 203 seeds",
                f"{res.cold_requests} requests ({res.cold_requests * ARXIV_SPACING:.0f} s at 3 s)",
                res.cold_requests <= TARGET_REQUESTS,
            )
        )
    if res.warm_requests is not None:
        rows.append(
            (
                "warm rerun makes 0 requests",
                f"{res.warm_requests} requests, {_fmt(res.warm_seconds or 0)} s",
                res.warm_requests == 0,
            )
        )
    rows.append(
        (
            "APA list of 10k entries < 10 s",
            _fmt(report.apa_seconds) + " s"
            if report.apa_seconds is not None
            else report.apa_note.split(":", 1)[0] or "skipped",
            None if report.apa_seconds is None else report.apa_seconds < TARGET_APA_10K,
        )
    )
    return rows
