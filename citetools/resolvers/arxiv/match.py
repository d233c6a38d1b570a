"""Deciding which arXiv entry, if any, is the paper a record describes. Pure and explainable.

Every candidate gets a :class:`Score` with its parts (title, abstract, first author, author
overlap, year, category). A record is ``resolved`` only when its best candidate passes every
hard test that the record's own data allows and leads the runner-up by a clear margin;
otherwise it is ``ambiguous`` or ``not-found``, with the reason. Wrong is worse than unresolved:
a paper absent from arXiv must never receive another paper's id, so the tests are strict —
the title must match almost exactly, the abstract (when the record has one) must agree, and
the first author (when the record names one) must be the same person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from anyascii import anyascii
from rapidfuzz import fuzz

from citetools.model import Record
from citetools.resolvers.arxiv.atom import Entry

Status = Literal["resolved", "ambiguous", "not-found"]

TITLE_MIN = 0.95  # folded titles nearly identical: a changed word gives about 0.90
ABSTRACT_MIN = 0.80  # listing abstracts are copies; a different paper's shares far less
ABSTRACT_ONLY_MIN = 0.95  # with no title to go on, the abstract must be a near-verbatim copy
MARGIN = 0.10
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def words(text: str) -> str:
    """Folded for comparison: ASCII, lower case, punctuation as single spaces."""
    return _NON_WORD.sub(" ", anyascii(text).lower()).strip()


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(words(a), words(b)) / 100.0


def _family(name: str) -> str:
    """Family name of an arXiv author string (``Jiazheng Xing`` -> ``xing``)."""
    parts = words(name).split()
    return parts[-1] if parts else ""


@dataclass(frozen=True, slots=True)
class Score:
    entry: Entry
    title: float | None  # None: the record has no title to compare
    abstract: float | None
    first_author: bool | None
    author_overlap: float | None
    year_distance: int | None
    category: bool | None

    @property
    def total(self) -> float:
        """A single number for ranking candidates (the hard tests are in :func:`failures`)."""
        parts: list[tuple[float, float]] = []
        if self.title is not None:
            parts.append((self.title, 4.0))
        if self.abstract is not None:
            parts.append((self.abstract, 3.0))
        if self.first_author is not None:
            parts.append((1.0 if self.first_author else 0.0, 2.0))
        if self.author_overlap is not None:
            parts.append((self.author_overlap, 1.0))
        if self.year_distance is not None:
            parts.append((max(0.0, 1.0 - self.year_distance / 3), 0.5))
        if self.category is not None:
            parts.append((1.0 if self.category else 0.0, 0.5))
        weight = sum(w for _, w in parts)
        return sum(v * w for v, w in parts) / weight if weight else 0.0

    def explain(self) -> str:
        shown = [f"{self.entry.arxiv_id}: total {self.total:.2f}"]
        if self.title is not None:
            shown.append(f"title {self.title:.2f}")
        if self.abstract is not None:
            shown.append(f"abstract {self.abstract:.2f}")
        if self.first_author is not None:
            shown.append(f"first author {'same' if self.first_author else 'different'}")
        if self.author_overlap is not None:
            shown.append(f"authors {self.author_overlap:.0%}")
        if self.year_distance is not None:
            shown.append(f"year ±{self.year_distance}")
        if self.category is not None:
            shown.append(f"category {'same' if self.category else 'different'}")
        return ", ".join(shown)


def score(record: Record, entry: Entry) -> Score:
    """Compare a record with one candidate. A record without a year is judged without one:
    neither scored nor rejected for it."""
    families = [_family(a.name) for a in entry.authors]
    listed = [words(p.family).replace(" ", "") for p in record.authors if p.family]
    compact = [f.replace(" ", "") for f in families]
    first = None
    overlap = None
    if listed:
        first = bool(compact) and (listed[0] == compact[0] or listed[0].endswith(compact[0]))
        overlap = sum(1 for name in listed if name in compact) / len(listed)
    year = None
    if record.date is not None and record.date.year and entry.published:
        year = abs(record.date.year - entry.published.year)
    category = None
    if record.primary_class and entry.categories:
        category = record.primary_class in entry.categories
    return Score(
        entry=entry,
        title=_similarity(record.title, entry.title) if record.title else None,
        abstract=_similarity(record.abstract, entry.summary) if record.abstract else None,
        first_author=first,
        author_overlap=overlap,
        year_distance=year,
        category=category,
    )


def failures(candidate: Score) -> list[str]:
    """The hard tests this candidate fails (empty: it may be the paper)."""
    failed: list[str] = []
    if candidate.title is not None and candidate.title < TITLE_MIN:
        failed.append(f"title similarity {candidate.title:.2f} < {TITLE_MIN}")
    if candidate.title is None:
        if candidate.abstract is None or candidate.abstract < ABSTRACT_ONLY_MIN:
            failed.append(f"abstract similarity below {ABSTRACT_ONLY_MIN} with no title")
    elif candidate.abstract is not None and candidate.abstract < ABSTRACT_MIN:
        failed.append(f"abstract similarity {candidate.abstract:.2f} < {ABSTRACT_MIN}")
    if candidate.first_author is False:
        failed.append("first author differs")
    if candidate.year_distance is not None and candidate.year_distance > 2:
        failed.append(f"year differs by {candidate.year_distance}")
    return failed


@dataclass(frozen=True, slots=True)
class Decision:
    status: Status
    best: Score | None
    reason: str
    scores: tuple[Score, ...]  # every candidate considered, best first


def decide(record: Record, entries: Sequence[Entry]) -> Decision:
    """Pick the entry that is this record's paper, or say why none is."""
    scores = tuple(
        sorted(
            (score(record, e) for e in {e.arxiv_id: e for e in entries}.values()),
            key=lambda s: (-s.total, s.entry.arxiv_id),
        )
    )
    passing = [s for s in scores if not failures(s)]
    if not passing:
        if not scores:
            return Decision("not-found", None, "no candidate returned by arXiv", scores)
        why = "; ".join(failures(scores[0]))
        return Decision("not-found", None, f"best candidate rejected: {why}", scores)
    best = passing[0]
    runner_up = next((s for s in scores if s is not best), None)
    if len(passing) > 1 or (runner_up is not None and best.total - runner_up.total < MARGIN):
        rival = passing[1] if len(passing) > 1 else runner_up
        assert rival is not None
        return Decision(
            "ambiguous",
            None,
            f"{best.entry.arxiv_id} and {rival.entry.arxiv_id} both fit "
            f"(scores {best.total:.2f} and {rival.total:.2f})",
            scores,
        )
    return Decision("resolved", best, f"matched {best.entry.arxiv_id} ({best.total:.2f})", scores)
