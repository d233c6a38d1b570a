"""The arXiv API client: polite, cached, retrying, and never raising a lower-layer exception.

- Politeness: at least ``delay`` seconds between requests and one request at a time, across
  every citetools process on the machine: the time of the last request lives in a lock file
  (``fcntl.flock``) in the cache folder, and the lock is held for the whole request.
- Cache: requests-cache on SQLite; only real result feeds are stored (never ``Rate exceeded.``,
  an error entry or a broken body), for one day, since arXiv changes only at its nightly update.
  A cached answer needs neither the lock nor the wait. ``offline`` answers from the cache only.
- Faults: timeouts, refused connections, HTTP 429/5xx (honouring ``Retry-After``), the
  ``Rate exceeded.`` body whatever its status, malformed XML and an unexpectedly empty feed are
  retried with exponential backoff and jitter; then :class:`~citetools.errors.ResolveError`
  (with the URL and the number of tries) is raised.
"""

from __future__ import annotations

import contextlib
import fcntl
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests

from citetools.errors import (
    BadResponse,
    RateLimited,
    ResolveError,
    ResolverHTTPError,
    ServiceUnreachable,
)
from citetools.resolvers.arxiv.atom import AtomError, Feed, parse_feed
from citetools.version import __version__

DEFAULT_URL = "http://export.arxiv.org/api/query"
USER_AGENT = f"citetools/{__version__} (bibliography enrichment; 1 request per 3 s)"
MAX_GET_URL = 1500  # longer queries go by POST (long GET URLs fail with HTTP 414)
CACHE_TTL = 24 * 3600
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(slots=True)
class Stats:
    requests: int = 0  # sent over the network, retries included
    cache_hits: int = 0
    retries: int = 0
    unreachable: int = 0  # requests that never got an HTTP answer


def _looks_like_feed(response: requests.Response) -> bool:
    """Only genuine result feeds may be cached."""
    if response.status_code != 200 or not response.content:
        return False
    try:
        parse_feed(response.content)
    except AtomError:
        return False
    return True


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class ArxivClient:
    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        delay: float = 3.0,
        retries: int = 4,
        timeout: tuple[float, float] = (10.0, 60.0),
        cache_path: Path | None = None,
        refresh: bool = False,
        offline: bool = False,
        lock_path: Path | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = base_url
        self.delay = delay
        self.retries = retries
        self.timeout = timeout
        self.refresh = refresh
        self.offline = offline
        self.clock, self.sleep, self.jitter = clock, sleep, jitter
        self.stats = Stats()
        self.session: requests.Session
        if cache_path is not None:
            from requests_cache import CachedSession

            cache_path.parent.mkdir(parents=True, exist_ok=True)
            self.session = CachedSession(
                str(cache_path),
                backend="sqlite",
                expire_after=CACHE_TTL,
                allowable_methods=("GET", "POST"),
                filter_fn=_looks_like_feed,
            )
            lock_path = lock_path or cache_path.with_suffix(".lock")
        else:
            self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.lock_path = lock_path

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(
        self,
        *,
        search_query: str = "",
        id_list: tuple[str, ...] = (),
        start: int = 0,
        max_results: int = 100,
        expect_results: bool = False,
    ) -> Feed:
        """One API call (retried as needed). ``expect_results``: an empty feed is a fault."""
        params = {
            "search_query": search_query,
            "id_list": ",".join(id_list),
            "start": str(start),
            "max_results": str(max_results),
        }
        url = requests.Request("GET", self.base_url, params=params).prepare().url or self.base_url
        method = "GET" if len(url) <= MAX_GET_URL else "POST"
        last: ResolveError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.stats.retries += 1
                self._backoff(attempt, last)
            try:
                feed = self._fetch(method, url, params, attempt)
            except BadResponse as error:
                if error.api_error:
                    raise
                last = error
                continue
            except ResolverHTTPError as error:
                if error.status not in _RETRY_STATUS:
                    raise
                last = error
                continue
            except (RateLimited, ServiceUnreachable) as error:
                last = error
                continue
            if expect_results and not feed.entries and attempt < self.retries:
                last = ResolveError("empty feed for a query that should match", url=url)
                self._forget(method, params)
                continue
            return feed
        assert last is not None
        last.retry = self.retries
        raise last

    def _backoff(self, attempt: int, error: ResolveError | None) -> None:
        wait = self.delay * 2 ** (attempt - 1) * (1.0 + 0.5 * self.jitter())
        if error is not None and error.retry_after is not None:
            wait = max(wait, error.retry_after)
        self.sleep(wait)

    def _fetch(self, method: str, url: str, params: Mapping[str, str], attempt: int) -> Feed:
        kwargs: dict[str, object] = {"timeout": self.timeout}
        if method == "GET":
            kwargs["params"] = params
        else:
            kwargs["data"] = params
        cached = isinstance(self.session, _cached_session_type())
        if cached and not self.refresh:
            response = self._send(method, url, attempt, only_if_cached=True, **kwargs)
            if response.status_code != 504:
                self.stats.cache_hits += 1
                return self._parse(response, url, attempt)
        if self.offline:
            raise ResolveError("offline, and this query is not in the cache", url=url)
        with self._turn():
            extra = {"force_refresh": True} if cached else {}
            response = self._send(method, url, attempt, **extra, **kwargs)
        return self._parse(response, url, attempt)

    def _send(self, method: str, url: str, attempt: int, **kwargs: object) -> requests.Response:
        network = not kwargs.get("only_if_cached")
        if network:
            self.stats.requests += 1
        try:
            return self.session.request(method, self.base_url, **kwargs)  # type: ignore[arg-type]
        except requests.RequestException as exc:
            if network:
                self.stats.unreachable += 1
            raise ServiceUnreachable(
                f"no answer from {self.base_url}: {type(exc).__name__}: {exc}",
                url=url,
                retry=attempt,
            ) from None

    def _parse(self, response: requests.Response, url: str, attempt: int) -> Feed:
        body = response.content
        if body[:200].strip().lower().startswith(b"rate exceeded") or response.status_code == 429:
            limited = RateLimited(
                f"rate limited (HTTP {response.status_code})", url=url, retry=attempt
            )
            limited.retry_after = _retry_after(response)
            raise limited
        try:
            return parse_feed(body)
        except AtomError as exc:
            if response.status_code != 200 and exc.kind != "api-error":
                error = ResolverHTTPError(
                    f"HTTP {response.status_code}: {exc.message}",
                    status=response.status_code,
                    url=url,
                    retry=attempt,
                )
                error.retry_after = _retry_after(response)
                raise error from None
            raise BadResponse(
                exc.message, api_error=exc.kind == "api-error", url=url, retry=attempt
            ) from None

    def _forget(self, method: str, params: Mapping[str, str]) -> None:
        """Drop a cached answer that turned out to be a fault (an unexpected empty feed)."""
        cache = getattr(self.session, "cache", None)
        if cache is None:
            return
        kwargs = {"params": params} if method == "GET" else {"data": params}
        request = requests.Request(method, self.base_url, **kwargs).prepare()
        request.headers.update({k: str(v) for k, v in self.session.headers.items()})
        cache.delete(requests=[request])

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """Wait for our turn: ``delay`` seconds after the last request of any process."""
        if self.lock_path is None:
            self._wait_since(getattr(self, "_last", None))
            try:
                yield
            finally:
                self._last = self.clock()
            return
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+", encoding="ascii") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.seek(0)
                text = handle.read().strip()
                self._wait_since(float(text) if text else None)
                try:
                    yield
                finally:
                    handle.seek(0)
                    handle.truncate()
                    handle.write(repr(self.clock()))
                    handle.flush()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _wait_since(self, last: float | None) -> None:
        if last is None:
            return
        wait = last + self.delay - self.clock()
        if wait > 0:
            self.sleep(wait)


def _cached_session_type() -> type:
    try:
        from requests_cache import CachedSession
    except ImportError:  # pragma: no cover - requests-cache is a dependency
        return type(None)
    return CachedSession
