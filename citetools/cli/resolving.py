"""The resolver's command-line options (shared by ``export --resolve`` and ``resolve``), and
turning a run's resolutions into the ``--explain`` lines and a summary line."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from citetools.resolvers.arxiv.setup import ArxivSettings, arxiv_resolver

if TYPE_CHECKING:
    from citetools.pipeline import Resolved
    from citetools.resolvers.arxiv.resolver import ArxivResolver

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


def settings(
    arxiv_url: str | None,
    delay: float,
    retries: int,
    timeout: float,
    cache: str | None,
    no_cache: bool,
    refresh: bool,
    offline: bool,
) -> ArxivSettings:
    """The resolver options of a command as :class:`ArxivSettings`."""
    return ArxivSettings(
        arxiv_url, False if no_cache else (cache or True), delay, retries, timeout, offline, refresh
    )


@contextmanager
def open_resolver(options: ArxivSettings, total_steps: int) -> Iterator[ArxivResolver]:
    """The arXiv resolver configured from the options, with a progress bar on a terminal."""
    configured = partial(arxiv_resolver, options)
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


def report(resolved: Resolved, *, explain: bool) -> tuple[list[str], str]:
    """The ``--explain`` lines, and the summary line."""
    from citetools import pipeline

    notes: list[str] = []
    if explain:
        for res in resolved.resolutions:
            label = pipeline.label(res.record)
            notes.append(f"{res.record.where}: {res.status}: {label}: {res.reason}")
            notes.extend(f"    {text}" for text in res.explanation)
    counts = Counter(r.status for r in resolved.resolutions)
    summary = (
        f"resolved {counts['resolved']}, ambiguous {counts['ambiguous']}, "
        f"not found {counts['not-found']}, failed {counts['failed']}; "
        f"{resolved.requests} requests, {resolved.cache_hits} cache hits"
    )
    return notes, summary
