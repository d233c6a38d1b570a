"""What the benchmark measures against and what it keeps: the constants, the targets of
issue 7, and the records of the measurements that the table is rendered from."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

AS_OF = "2026-11-24"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
LARGE = 100_000
ARXIV_SPACING = 3.0  # seconds between requests, citetools' default --delay
APA_SIZE = 10_000

# Targets of issue 7.
TARGET_100K_BIB = 10.0
TARGET_BIBTEXPARSER_RATIO = 2.0
TARGET_FLAT = 1.5  # per-entry time, largest N over smallest N
TARGET_HELP = 0.3
TARGET_ONE_ENTRY = 0.5
TARGET_REQUESTS = 15
TARGET_APA_10K = 10.0

# The source checkout (the seeds, ``tests/arxiv_server.py`` and git live there).
REPO_ROOT = Path(__file__).resolve().parents[1]


def load_average() -> float:
    """The 1-minute load average (NaN where the system has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


@dataclass(frozen=True, slots=True)
class Measured:
    seconds: float
    peak_rss_mib: float
    returncode: int
    stderr: str
    cpu_seconds: float = float("nan")  # the child's user + system time (one core's work)


@dataclass(slots=True)
class Series:
    """Repeated measurements of one step."""

    runs: list[Measured] = field(default_factory=list)

    def add(self, result: Measured) -> None:
        self.runs.append(result)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def minimum(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.peak_rss_mib for r in self.runs)


@dataclass(slots=True)
class ReexportResult:
    """One layout's listing exported to a fresh .bib, then again onto that unchanged .bib
    (citetools then locks the keys to it); the ratio is taken per round."""

    layout: str = ""
    fresh: Series = field(default_factory=Series)
    again: Series = field(default_factory=Series)
    ratios: list[float] = field(default_factory=list)
    same_bytes: bool = True  # every re-export wrote what the fresh export had written


@dataclass(slots=True)
class SizeResult:
    size: int
    export_bib: dict[str, Series] = field(default_factory=dict)
    export_json: dict[str, Series] = field(default_factory=dict)
    read_back: dict[str, Series] = field(default_factory=dict)
    bib_mib: dict[str, float] = field(default_factory=dict)
    json_mib: dict[str, float] = field(default_factory=dict)
    listing_mib: dict[str, float] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    bibtexparser: Series = field(default_factory=Series)
    pybtex: Series = field(default_factory=Series)
    ratio_export_btp: list[float] = field(default_factory=list)
    ratio_back_btp: list[float] = field(default_factory=list)
    ratio_export_pybtex: list[float] = field(default_factory=list)
    ratio_back_pybtex: list[float] = field(default_factory=list)
    reexport: ReexportResult = field(default_factory=ReexportResult)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ResolverResult:
    cold_requests: int | None = None
    server_requests: int | None = None
    cold_seconds: float | None = None
    summary: str = ""
    warm_requests: int | None = None
    warm_seconds: float | None = None
    note: str = ""


@dataclass(slots=True)
class Report:
    sizes: list[SizeResult] = field(default_factory=list)
    help: Series = field(default_factory=Series)
    one_entry: Series = field(default_factory=Series)
    resolver: ResolverResult = field(default_factory=ResolverResult)
    apa_seconds: float | None = None
    apa_note: str = ""
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    command: str = ""
    note: str = ""
    failures: list[str] = field(default_factory=list)
    load_start: float = field(default_factory=load_average)
    repeat: int = 3
    repeat_large: int = 1
    startup_runs: int = 10
