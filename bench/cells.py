"""How the table writes a measurement: seconds, a number of entries, the time per entry."""

from __future__ import annotations

from bench.results import Report


def fmt_seconds(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def size_label(size: int) -> str:
    if size % 1000 == 0 and size >= 1000:
        return f"{size // 1000}k"
    return str(size)


def per_entry_us(seconds: float, size: int, baseline: float) -> float:
    return max(seconds - baseline, 0.0) / size * 1e6


def startup_baseline(report: Report) -> float:
    """The fastest one-entry export: the process start-up, taken off the time per entry."""
    return report.one_entry.minimum if report.one_entry.runs else 0.0
