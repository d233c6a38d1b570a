"""The arXiv resolver built from plain keyword options, for the Python API and the middlewares.

The same defaults as the command line: the public API (or ``CITETOOLS_ARXIV_URL``), 3 s between
requests, 4 retries, answers cached for a day in ``arxiv.sqlite`` in the user cache folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citetools.resolvers.arxiv.resolver import ArxivResolver

CachePath = str | PathLike[str] | bool


def cache_path(cache: CachePath) -> Path | None:
    """``True``: the user cache folder's ``arxiv.sqlite``; ``False``: no cache; else that file."""
    if cache is False:
        return None
    if cache is True:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("citetools")) / "arxiv.sqlite"
    return Path(cache)


@dataclass(frozen=True)
class ArxivSettings:
    """How the arXiv API is reached: the one place of the defaults the Python API, the command
    line and the bibtexparser middleware share (read them off :data:`DEFAULTS`)."""

    arxiv_url: str | None = None  # default: CITETOOLS_ARXIV_URL, else the public API
    cache: CachePath = True  # True: arxiv.sqlite in the user cache folder; False: none
    delay: float = 3.0  # seconds between requests, at least
    retries: int = 4
    timeout: float = 60.0
    offline: bool = False  # answer from the cache only
    refresh: bool = False  # ignore cached answers, store new ones


DEFAULTS = ArxivSettings()


@contextmanager
def arxiv_resolver(
    settings: ArxivSettings = DEFAULTS, *, progress: Callable[[int], None] | None = None
) -> Iterator[ArxivResolver]:
    """An :class:`~citetools.resolvers.arxiv.resolver.ArxivResolver` whose client is closed
    afterwards."""
    from citetools.resolvers.arxiv.client import DEFAULT_URL, ArxivClient
    from citetools.resolvers.arxiv.resolver import ArxivResolver

    url = settings.arxiv_url or os.environ.get("CITETOOLS_ARXIV_URL") or DEFAULT_URL
    client = ArxivClient(
        url,
        delay=settings.delay,
        retries=settings.retries,
        timeout=(min(10.0, settings.timeout), settings.timeout),
        cache_path=cache_path(settings.cache),
        refresh=settings.refresh,
        offline=settings.offline,
    )
    with client:
        yield ArxivResolver(client, progress=progress)
