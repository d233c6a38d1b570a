"""THE pipeline: inputs -> read -> normalize -> deduplicate -> [resolve] -> assign keys -> write.

Each stage is a plain function over records; problems (warnings, per-entry errors) are added
to a list the caller gives, never printed here. The Python API (:mod:`citetools.api`) and every
command of the CLI (:mod:`citetools.cli`) run these same functions; they differ only in how they
report problems and map errors to exit codes.

- :func:`read` (:mod:`.inputs`): files, folders and ``-`` to records, a record at a time;
- :func:`normalize`: each record through the default normalizer steps, then checked;
- :func:`deduplicate`: the same paper twice becomes one record, into a list or a
  :class:`~citetools.pipeline.store.RecordStore` (a big library's abstracts on disk);
- :func:`resolve`: records enriched through a resolver, what arXiv filled in decoded from its
  LaTeX as a listing's text is (:func:`decode_resolution`), then de-duplicated again;
- keys and writing (:mod:`.output`): :func:`~.output.plan` checks the options up front (a
  usage error before any work), :func:`~.output.export` assigns the keys -- once, after
  resolving, locked to what the output already holds -- and writes atomically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from typing import TypeVar, cast

from citetools.charsets import encoding_name
from citetools.errors import Problem
from citetools.files import Source
from citetools.lint import Finding, Target, check_file
from citetools.model import Record
from citetools.normalize import (
    LISTING_LAYOUTS,
    check,
    decode_resolved_text,
    markup_problems,
    normalize_default,
    resolved_markup_problems,
)
from citetools.normalize.dedup import Deduplicator, Slots
from citetools.pipeline.inputs import read
from citetools.pipeline.output import (
    Library,
    Output,
    check_all_read,
    export,
    key_changes,
    keyed,
    label,
    plan,
    rewrite,
    target_name,
)
from citetools.pipeline.store import RecordStore
from citetools.resolvers import Resolution, Resolver

__all__ = [
    "Library",
    "Output",
    "RecordStore",
    "Resolved",
    "check_all_read",
    "decode_resolution",
    "deduplicate",
    "export",
    "key_changes",
    "keyed",
    "label",
    "library",
    "lint",
    "normalize",
    "plan",
    "present",
    "read",
    "records_of",
    "resolve",
    "rewrite",
    "slots",
    "target_name",
    "undated",
    "unresolved",
]

# Records go through normalize and check a few thousand at a time, each step over all of them:
# as fast as a whole library a step at a time, in memory for a few thousand records.
BATCH = 4096

S = TypeVar("S", bound=Slots)


def normalize(
    records: Iterable[Record], problems: list[Problem], *, as_of: date
) -> Iterator[Record]:
    """Each record through the default normalizer steps (``as_of``: the reference date for
    dates without a year), then checked: warnings for stray markup dropped from a listing's
    text and for what still looks wrong."""
    given = iter(records)
    while batch := list(islice(given, BATCH)):
        normalized = [normalize_default(record, as_of=as_of) for record in batch]
        for record, result in zip(batch, normalized, strict=True):
            problems.extend(markup_problems(record) + check(result))
        del batch
        yield from normalized


def deduplicate(
    records: Iterable[Record], problems: list[Problem], *, into: S, dedupe: bool = False
) -> S:
    """Each record put in ``into`` (a list or a :class:`RecordStore`), or merged into the paper
    there (each merge reported); positions merged away hold ``None``. Entries of bibliographies
    with different keys are never merged, only reported as likely duplicates, unless
    ``dedupe`` (their keys then survive in ``ids``)."""
    merger = Deduplicator(into, merge_keyed=dedupe)
    for record in records:
        merger.add(record)
    problems.extend(merger.problems)
    return into


def library(
    inputs: Sequence[str],
    problems: list[Problem],
    *,
    as_of: date,
    into: S,
    strict: bool = False,
    dedupe: bool = False,
    encoding: str | None = None,
) -> S:
    """read -> normalize -> deduplicate, a record at a time, into ``into``. The problems come in
    stage order: the readers', the normalizer's, the merges'. ``encoding`` forces one for every
    input (see :func:`read`)."""
    read_problems: list[Problem] = []
    checked: list[Problem] = []
    merged: list[Problem] = []
    records = read(inputs, read_problems, strict=strict, encoding=encoding)
    deduplicate(normalize(records, checked, as_of=as_of), merged, into=into, dedupe=dedupe)
    problems.extend(read_problems + checked + merged)
    return into


def present(records: Iterable[Record | None]) -> list[Record]:
    """The records of a list :func:`deduplicate` filled, those merged away left out."""
    return [record for record in records if record is not None]


def slots() -> list[Record | None]:
    """An empty list for :func:`deduplicate` or :func:`library` to fill."""
    return []


def records_of(
    inputs: Sequence[str],
    problems: list[Problem],
    *,
    as_of: date,
    strict: bool = False,
    dedupe: bool = False,
    encoding: str | None = None,
) -> list[Record]:
    """:func:`library` into a list: the records, held whole."""
    held = library(
        inputs,
        problems,
        as_of=as_of,
        into=slots(),
        strict=strict,
        dedupe=dedupe,
        encoding=encoding,
    )
    return present(held)


@dataclass(frozen=True, slots=True)
class Resolved:
    """What :func:`resolve` did: the records (merged where they turned out to be one paper),
    each record's resolution, and the requests it took."""

    records: list[Record]
    resolutions: list[Resolution]
    requests: int
    cache_hits: int
    unreachable: bool  # every request went unanswered and nothing was resolved


def resolve(
    records: Sequence[Record], resolver: Resolver, problems: list[Problem], *, dedupe: bool = False
) -> Resolved:
    """Records enriched through ``resolver``; papers that now turn out to be the same (their
    ids are known) merge, as :func:`deduplicate` merges. Each record not resolved is a warning
    naming it and why."""
    resolutions = []
    for record, resolution in zip(records, resolver.resolve(records), strict=True):
        decoded, found = decode_resolution(record, resolution)
        resolutions.append(decoded)
        problems.extend(found)
    problems.extend(unresolved(resolutions))
    merged = deduplicate((r.record for r in resolutions), problems, into=slots(), dedupe=dedupe)
    stats = getattr(getattr(resolver, "client", None), "stats", None)
    requests = getattr(stats, "requests", 0)
    failed = getattr(stats, "unreachable", 0)
    return Resolved(
        present(merged),
        resolutions,
        requests,
        getattr(stats, "cache_hits", 0),
        requests > 0 and failed == requests and not any(r.resolved for r in resolutions),
    )


def decode_resolution(record: Record, resolution: Resolution) -> tuple[Resolution, list[Problem]]:
    """``resolution`` (of ``record``) with the text arXiv filled in decoded as a listing's text
    is at normalization (:func:`~citetools.normalize.decode_resolved_text`), and a warning for
    each stray brace or link leftover dropped from it. What ``record`` held stays as it was."""
    if not resolution.resolved:
        return resolution, []
    found = resolved_markup_problems(record, resolution.record)
    decoded = decode_resolved_text(record, resolution.record)
    return replace(resolution, record=decoded), found


def unresolved(resolutions: Iterable[Resolution]) -> list[Problem]:
    """A warning for each record a resolver did not resolve, naming it and why."""
    problems = []
    for res in resolutions:
        if res.status != "resolved":
            where = res.record.provenance[0] if res.record.provenance else None
            problems.append(
                Problem(
                    f"{res.status}: {label(res.record)}: {res.reason}",
                    where.source if where else None,
                    where.line if where else None,
                )
            )
    return problems


def undated(records: Iterable[Record]) -> list[Problem]:
    """One warning per input file whose listing entries have no date: they are written without
    year, month or date (never the day the listing was read). Called once the records are
    final (after resolving, which fills them)."""
    counts: Counter[str] = Counter()
    for record in records:
        if record.date is None and record.provenance:
            where = record.provenance[0]
            if where.layout in LISTING_LAYOUTS:
                counts[where.source] += 1
    return [
        Problem(
            f"{count} {'entry has' if count == 1 else 'entries have'} no date in the listing: "
            "written without year/month/date; --resolve fills them from arXiv",
            source,
        )
        for source, count in counts.items()
    ]


def lint(path: str, *, target: str | None = None, encoding: str | None = None) -> list[Finding]:
    """``citetools check``: the findings in a .bib or CSL-JSON file, read as it is written; a
    file that is not UTF-8 (``encoding`` not given) is a finding of its own."""
    source = Source(path, encoding=encoding_name(encoding) if encoding is not None else None)
    decoding = source.decoding()
    findings = check_file(path, source.text(), target=cast("Target | None", target))
    if decoding is not None and (warning := decoding.warning()):
        findings.insert(0, Finding(path, decoding.line, None, "not-utf8", warning))
    return findings
