"""The arXiv resolver built from plain keyword options, for the Python API and the middlewares.

The same defaults as the command line: the public API (or ``CITETOOLS_ARXIV_URL``), 3 s between
requests, 4 retries, answers cached for a day in ``arxiv.sqlite`` in the user cache folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citetools.resolvers.arxiv import ArxivResolver

CachePath = str | PathLike[str] | bool


def cache_path(cache: CachePath) -> Path | None:
    """``True``: the user cache folder's ``arxiv.sqlite``; ``False``: no cache; else that file."""
    if cache is False:
        return None
    if cache is True:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("citetools")) / "arxiv.sqlite"
    return Path(cache)


@contextmanager
def arxiv_resolver(
    *,
    arxiv_url: str | None = None,
    cache: CachePath = True,
    delay: float = 3.0,
    retries: int = 4,
    timeout: float = 60.0,
    offline: bool = False,
    refresh: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ArxivResolver]:
    """An :class:`~citetools.resolvers.arxiv.ArxivResolver` whose client is closed afterwards
    (the command line builds its resolver here too)."""
    from citetools.resolvers.arxiv import ArxivResolver
    from citetools.resolvers.arxiv.client import DEFAULT_URL, ArxivClient

    url = arxiv_url or os.environ.get("CITETOOLS_ARXIV_URL") or DEFAULT_URL
    client = ArxivClient(
        url,
        delay=delay,
        retries=retries,
        timeout=(min(10.0, timeout), timeout),
        cache_path=cache_path(cache),
        refresh=refresh,
        offline=offline,
    )
    with client:
        yield ArxivResolver(client, progress=progress)
