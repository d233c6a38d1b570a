"""Every error citetools raises, and the warnings it collects as data.

::

    CitetoolsError                  # .source/.line when known; picklable
    ├── ReadError → RecordParseError
    ├── NormalizeError
    ├── CitationKeyError → KeyCollisionError
    ├── ResolveError (.url, .retry, .retry_after) → ResolverHTTPError(.status), RateLimited,
    │                                               NotFound, ServiceUnreachable, BadResponse
    ├── ExportError → RefusedOverwrite
    └── PluginError → PluginNotFound, PluginLoadError

Lower-layer exceptions (``OSError``, ``UnicodeDecodeError``, bibtexparser's) are wrapped in one
of these before they leave citetools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


class CitetoolsError(Exception):
    """Base class. ``source`` and ``line`` say where, when known."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        return f"{_where(self.source, self.line)}{self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[CitetoolsError], message: str, state: dict[str, Any]) -> CitetoolsError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


def _where(source: str | None, line: int | None) -> str:
    if source is None:
        return ""
    return f"{source}:{line}: " if line is not None else f"{source}: "


class ReadError(CitetoolsError):
    """An input cannot be read at all: missing, empty, binary, or in no known layout."""


class RecordParseError(ReadError):
    """One entry of an input cannot be parsed (raised only in strict mode)."""


class NormalizeError(CitetoolsError):
    """A record cannot be made canonical."""


class CitationKeyError(CitetoolsError):
    """A key pattern is invalid or a key cannot be made."""


class KeyCollisionError(CitationKeyError):
    """Two records would get the same key and no suffix may be added."""


class ResolveError(CitetoolsError):
    """A resolver failed. ``url`` and ``retry`` say which request and which try."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        retry: int = 0,
        source: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, source=source, line=line)
        self.url = url
        self.retry = retry
        self.retry_after: float | None = None  # seconds the service asked us to wait


class ResolverHTTPError(ResolveError):
    def __init__(
        self, message: str, *, status: int, url: str | None = None, retry: int = 0
    ) -> None:
        super().__init__(message, url=url, retry=retry)
        self.status = status


class RateLimited(ResolveError):
    """The service asked us to slow down (HTTP 429/503 or ``Rate exceeded.``)."""


class NotFound(ResolveError):
    """The service has no such item."""


class ServiceUnreachable(ResolveError):
    """No HTTP answer at all (refused, timed out, dropped), after every retry."""


class BadResponse(ResolveError):
    """An answer that is not a usable result: malformed XML, or the API's error entry
    (``api_error`` true: the query itself was refused, so trying again will not help)."""

    def __init__(
        self, message: str, *, api_error: bool, url: str | None = None, retry: int = 0
    ) -> None:
        super().__init__(message, url=url, retry=retry)
        self.api_error = api_error


class ExportError(CitetoolsError):
    """Records cannot be written in the requested format."""


class RefusedOverwrite(ExportError):
    """The output exists and was not written by citetools as it stands now (someone edited
    it, or it was never citetools'): it is replaced only with ``merge`` or ``force``."""


class PluginError(CitetoolsError):
    """A plugin is missing or broken."""


class PluginNotFound(PluginError):
    """No plugin of that kind has that name; the message lists the known names."""


class PluginLoadError(PluginError):
    """A plugin's entry point failed to import or does not satisfy its protocol."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A warning or a per-entry error collected as data (the lenient path).

    Readers and stages return these instead of raising, so one bad entry never stops a run
    and nothing is dropped silently: each problem names the file and line it is about.
    """

    message: str
    source: str | None = None
    line: int | None = None
    severity: Literal["warning", "error"] = "warning"

    def __str__(self) -> str:
        return f"{_where(self.source, self.line)}{self.severity}: {self.message}"
