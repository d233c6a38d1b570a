"""The resolver's command-line options (shared by ``export --resolve`` and ``resolve``), and
turning a run's resolutions into messages, a summary line and an exit code."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from citetools.errors import Problem
from citetools.model import Record
from citetools.resolvers import Resolution

if TYPE_CHECKING:
    from citetools.resolvers.arxiv import ArxivResolver

ArxivUrl = Annotated[
    str | None,
    typer.Option(
        "--arxiv-url",
        help="arXiv API endpoint (tests, mirrors) [env CITETOOLS_ARXIV_URL; default: the public "
        "API http://export.arxiv.org/api/query]",
        show_default=False,
    ),
]
Delay = Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between requests to arXiv")]
Retries = Annotated[int, typer.Option("--retries", min=0, help="Retries of a failed request")]
Timeout = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds to wait for an answer from arXiv")
]
CachePath = Annotated[
    str | None,
    typer.Option(
        "--cache",
        help="HTTP cache file (SQLite) [default: arxiv.sqlite in the user cache folder]",
        show_default=False,
    ),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache")]
Refresh = Annotated[bool, typer.Option("--refresh", help="Ignore cached answers, store new ones")]
Offline = Annotated[bool, typer.Option("--offline", help="Answer from the cache only")]
Explain = Annotated[bool, typer.Option("--explain", help="Print the match scores per record")]


@dataclass(frozen=True, slots=True)
class ResolveOptions:
    arxiv_url: str | None
    delay: float
    retries: int
    timeout: float
    cache: str | None
    no_cache: bool
    refresh: bool
    offline: bool


@contextmanager
def open_resolver(options: ResolveOptions, total_steps: int) -> Iterator[ArxivResolver]:
    """The arXiv resolver configured from the options, with a progress bar on a terminal."""
    from citetools.resolvers.arxiv.setup import arxiv_resolver

    configured = partial(
        arxiv_resolver,
        arxiv_url=options.arxiv_url,
        cache=False if options.no_cache else (options.cache or True),
        delay=options.delay,
        retries=options.retries,
        timeout=options.timeout,
        offline=options.offline,
        refresh=options.refresh,
    )
    if not sys.stderr.isatty():
        with configured() as resolver:
            yield resolver
        return
    with (
        typer.progressbar(
            length=total_steps, label="resolving", file=sys.stderr, show_pos=True
        ) as bar,
        configured(progress=bar.update) as resolver,
    ):
        yield resolver


def report(
    resolutions: Sequence[Resolution], *, explain: bool, requests: int, cache_hits: int
) -> tuple[list[Problem], list[str], str]:
    """Per-record problems, the ``--explain`` lines, and the summary line."""
    problems: list[Problem] = []
    notes: list[str] = []
    for res in resolutions:
        where = res.record.provenance[0] if res.record.provenance else None
        source, line = (where.source, where.line) if where else (None, None)
        if res.status != "resolved":
            label = _label(res.record)
            problems.append(Problem(f"{res.status}: {label}: {res.reason}", source, line))
        if explain:
            notes.append(f"{res.record.where}: {res.status}: {_label(res.record)}: {res.reason}")
            notes.extend(f"    {text}" for text in res.explanation)
    counts = Counter(r.status for r in resolutions)
    summary = (
        f"resolved {counts['resolved']}, ambiguous {counts['ambiguous']}, "
        f"not found {counts['not-found']}, failed {counts['failed']}; "
        f"{requests} requests, {cache_hits} cache hits"
    )
    return problems, notes, summary


def _label(record: Record) -> str:
    text = record.title or record.abstract or record.key or "entry"
    return repr(text if len(text) <= 60 else text[:57] + "...")


def unreachable(resolutions: Sequence[Resolution], requests: int, failed_requests: int) -> bool:
    """The service could not be reached at all: every request went unanswered."""
    return requests > 0 and failed_requests == requests and not any(r.resolved for r in resolutions)
