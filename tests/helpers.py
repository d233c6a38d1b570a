"""Paths and pipeline shortcuts shared by the tests."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from citetools import pipeline
from citetools.errors import Problem
from citetools.model import Record

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def run_ok(
    argv: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``argv`` run to its end, its output captured as text; the test fails, showing the end of
    what it printed, unless it exits with 0."""
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def seed(prefix: str) -> Path:
    """The seed listing whose name starts with ``prefix`` (``000`` ... ``004``)."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@dataclass
class Outcome:
    """Records and the problems found making them."""

    records: list[Record]
    problems: list[Problem] = field(default_factory=list)


def read_raw(inputs: Sequence[str | Path]) -> Outcome:
    """The pipeline's read stage alone: the records as the readers made them."""
    problems: list[Problem] = []
    records = list(pipeline.read([str(i) for i in inputs], problems))
    return Outcome(records, problems)


def normalized(inputs: Sequence[str | Path], *, as_of: date) -> Outcome:
    """read -> normalize -> deduplicate, as the pipeline runs them."""
    problems: list[Problem] = []
    records = pipeline.records_of([str(i) for i in inputs], problems, as_of=as_of)
    return Outcome(records, problems)


def normalized_records(records: Iterable[Record], *, as_of: date) -> Outcome:
    """normalize -> deduplicate of records made some other way."""
    problems: list[Problem] = []
    slots = pipeline.deduplicate(
        pipeline.normalize(records, problems, as_of=as_of), problems, into=pipeline.slots()
    )
    return Outcome(pipeline.present(slots), problems)
