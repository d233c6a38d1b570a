"""The targets of issue 7 next to what was measured: a row each, with whether it is met."""

from __future__ import annotations

import math
import statistics

from bench.cells import fmt_seconds, per_entry_us, size_label, startup_baseline
from bench.results import (
    ARXIV_SPACING,
    LARGE,
    TARGET_APA_10K,
    TARGET_BIBTEXPARSER_RATIO,
    TARGET_FLAT,
    TARGET_HELP,
    TARGET_ONE_ENTRY,
    TARGET_REQUESTS,
    Report,
    ResolverResult,
    Series,
    SizeResult,
)

Row = tuple[str, str, bool | None]  # a target, what was measured, whether it is met (None: not run)


def targets(report: Report) -> list[Row]:
    """(target, measurement, met) rows; met is None when the run did not measure it."""
    return [
        _target_100k(report),
        *_targets_bibtexparser(report),
        *_targets_growth(report),
        *_targets_startup(report),
        *_targets_resolver(report.resolver),
        _target_apa(report),
    ]


def _timed(series: Series) -> str:
    """The median wall time, and the median CPU time when it was measured."""
    cpu, wall = series.cpu_median, f"{fmt_seconds(series.median)} s"
    return wall if math.isnan(cpu) else f"{wall} (CPU {fmt_seconds(cpu)} s)"


def _biggest(report: Report) -> SizeResult | None:
    return max(report.sizes, key=lambda r: r.size) if report.sizes else None


def _target_100k(report: Report) -> Row:
    """The 100k export to BibTeX: the feed layout's time and the slowest layout's."""
    target = "100k entries to BibTeX < 10 s"
    large = {r.size: r for r in report.sizes}.get(LARGE)
    if not (large and large.export_bib):
        return (target, "not run (no 100k size)", None)
    exports = large.export_bib
    worst = max(exports, key=lambda layout: exports[layout].median)
    measured = f"worst {_timed(exports[worst])} ({worst})"
    feed = exports.get("feed")
    if feed is not None:
        measured = f"feed {_timed(feed)}; " + measured
    return (target, measured, exports[worst].median < 10)


def _targets_bibtexparser(report: Report) -> list[Row]:
    """The ratio to bibtexparser at the biggest size, if it ran there."""
    biggest = _biggest(report)
    if not (biggest and biggest.ratio_export_btp):
        return []
    ratio = statistics.median(biggest.ratio_export_btp)
    back = statistics.median(biggest.ratio_back_btp)
    return [
        (
            "within 2x of bibtexparser 2 parse+write",
            f"{ratio:.2f}x export, {back:.2f}x read back ({size_label(biggest.size)})",
            ratio <= TARGET_BIBTEXPARSER_RATIO,
        )
    ]


def _targets_growth(report: Report) -> list[Row]:
    """Time per entry and memory from the smallest size to the biggest (two sizes or more)."""
    if len(report.sizes) < 2:
        return []
    small, big = min(report.sizes, key=lambda r: r.size), _biggest(report)
    assert big is not None
    layouts = [layout for layout in big.export_bib if layout in small.export_bib]
    return [
        _target_flat(small, big, layouts, startup_baseline(report)),
        _target_memory(small, big, layouts),
    ]


def _target_flat(small: SizeResult, big: SizeResult, layouts: list[str], baseline: float) -> Row:
    parts, worst_ratio = [], 0.0
    for layout in layouts:
        a = per_entry_us(small.export_bib[layout].median, small.size, baseline)
        b = per_entry_us(big.export_bib[layout].median, big.size, baseline)
        ratio = b / a if a else float("inf")
        worst_ratio = max(worst_ratio, ratio)
        parts.append(f"{layout} {a:.0f}→{b:.0f} µs ({ratio:.2f}x)")
    return (
        f"time per entry flat from {size_label(small.size)} to "
        f"{size_label(big.size)} (≤ {TARGET_FLAT}x)",
        "; ".join(parts),
        worst_ratio <= TARGET_FLAT,
    )


def _target_memory(small: SizeResult, big: SizeResult, layouts: list[str]) -> Row:
    growth = []
    grows_ok = True
    for layout in layouts:
        d_rss = big.export_bib[layout].rss - small.export_bib[layout].rss
        d_out = big.bib_mib[layout] - small.bib_mib[layout]
        factor = d_rss / d_out if d_out > 0 else float("inf")
        grows_ok = grows_ok and factor <= 1.0
        growth.append(f"{layout} {factor:.1f}")
    return (
        "memory grows no faster than the output (ΔRSS / Δ.bib size ≤ 1)",
        ", ".join(growth),
        grows_ok,
    )


def _targets_startup(report: Report) -> list[Row]:
    if not report.help.runs:
        return []
    return [
        (
            "`citetools --help` < 0.3 s",
            f"median {report.help.median:.3f} s",
            report.help.median < TARGET_HELP,
        ),
        (
            "one-entry export < 0.5 s",
            f"median {report.one_entry.median:.3f} s",
            report.one_entry.median < TARGET_ONE_ENTRY,
        ),
    ]


def _targets_resolver(res: ResolverResult) -> list[Row]:
    """The cold run's requests and the warm run's, for those that were counted."""
    rows: list[Row] = []
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
                f"{res.warm_requests} requests, {fmt_seconds(res.warm_seconds or 0)} s",
                res.warm_requests == 0,
            )
        )
    return rows


def _target_apa(report: Report) -> Row:
    return (
        "APA list of 10k entries < 10 s",
        fmt_seconds(report.apa_seconds) + " s"
        if report.apa_seconds is not None
        else report.apa_note.split(":", 1)[0] or "skipped",
        None if report.apa_seconds is None else report.apa_seconds < TARGET_APA_10K,
    )
