"""citetools: paper listings in, clean bibliographies out.

The Python API in four calls::

    import citetools

    records = citetools.read(["seeds/"], as_of=date(2026, 11, 24))  # normalized, de-duplicated
    records = citetools.resolve(records)                             # optional: arXiv
    citetools.export(records, "references.bib")                      # keyed, written atomically

- :func:`read` reads files, folders and ``-`` (every layout and format citetools knows) and
  returns normalized, de-duplicated :class:`Record` values (``raw=True``: as the readers made
  them). An input that cannot be read at all raises :class:`ReadError`. Per-entry problems
  (warnings, entries that could not be read) go to ``on_problem`` -- by default the
  ``citetools`` logger -- and ``strict=True`` raises :class:`RecordParseError` at the first
  entry that could not be read.
- :func:`normalize_records` is the normalizer alone, for records made some other way (not
  ``normalize``: that name is the subpackage :mod:`citetools.normalize`).
- :func:`resolve` enriches records through a resolver (the arXiv API by default, with the
  command line's defaults: polite, cached); records it cannot resolve are reported through
  ``on_problem`` and kept as they were.
- :func:`export` assigns citation keys (``style``: a key style or its plugin name;
  ``key_pattern``: JabRef syntax; ``style=None`` keeps the records' keys) and writes them
  in the format ``to`` (an exporter name; default: the exporter of the path's suffix, BibTeX
  for a stream or a path without one) to a path (atomically) or an open text stream. It
  returns the keyed records.

Everything raised is a :class:`CitetoolsError`; the tree is drawn in :mod:`citetools.errors`.
Heavy libraries (requests, bibtexparser, pybtex, rapidfuzz) load only when a call needs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from datetime import date
from os import PathLike
from typing import TYPE_CHECKING, TextIO

from citetools.errors import (
    BadResponse,
    CitationKeyError,
    CitetoolsError,
    ExportError,
    KeyCollisionError,
    NormalizeError,
    NotFound,
    PluginError,
    PluginLoadError,
    PluginNotFound,
    Problem,
    RateLimited,
    ReadError,
    RecordParseError,
    ResolveError,
    ResolverHTTPError,
    ServiceUnreachable,
)
from citetools.exporters import Exporter
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.readers import Reader, ReadResult
from citetools.resolvers import Resolution, Resolver
from citetools.version import __version__ as __version__

if TYPE_CHECKING:
    from citetools.keys import DefaultKeyStyle, KeyStyle, PatternKeyStyle, assign_keys
    from citetools.resolvers.arxiv.setup import CachePath

# Loaded on first use, to keep ``import citetools`` light (the key machinery has big tables).
_LAZY = {
    "DefaultKeyStyle": "citetools.keys",
    "KeyStyle": "citetools.keys",
    "PatternKeyStyle": "citetools.keys",
    "assign_keys": "citetools.keys",
}


__all__ = [
    "BadResponse",
    "CitationKeyError",
    "CitetoolsError",
    "DefaultKeyStyle",
    "ExportError",
    "Exporter",
    "Ids",
    "KeyCollisionError",
    "KeyStyle",
    "NormalizeError",
    "NotFound",
    "PartialDate",
    "PatternKeyStyle",
    "Person",
    "PluginError",
    "PluginLoadError",
    "PluginNotFound",
    "Problem",
    "Provenance",
    "RateLimited",
    "ReadError",
    "ReadResult",
    "Reader",
    "Record",
    "RecordParseError",
    "Resolution",
    "ResolveError",
    "Resolver",
    "ResolverHTTPError",
    "ServiceUnreachable",
    "assign_keys",
    "export",
    "normalize_records",
    "read",
    "resolve",
]

ProblemHandler = Callable[[Problem], object]
StrPath = str | PathLike[str]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citetools' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def _log_problem(problem: Problem) -> None:
    import logging

    logging.getLogger("citetools").warning("%s", problem)


def _paths(inputs: StrPath | Iterable[StrPath]) -> list[str]:
    if isinstance(inputs, str | PathLike):
        return [os.fspath(inputs)]
    return [os.fspath(item) for item in inputs]


def read(
    inputs: StrPath | Iterable[StrPath],
    *,
    as_of: date | None = None,
    raw: bool = False,
    strict: bool = False,
    on_problem: ProblemHandler | None = None,
) -> list[Record]:
    """Records from files, folders (their non-hidden files, in name order) or ``-`` (stdin).

    Normalized and de-duplicated (``as_of``: reference date for ``May 29``, default today)
    unless ``raw``. Raises :class:`ReadError` for an input that cannot be read at all; each
    per-entry problem goes to ``on_problem`` (default: the ``citetools`` logger), and with
    ``strict`` the first entry that could not be read raises :class:`RecordParseError`.
    """
    from citetools import pipeline

    report = on_problem or _log_problem
    records: list[Record] = []
    problems: list[Problem] = []
    try:
        paths = pipeline.expand_inputs(_paths(inputs))
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc), source=exc.filename) from exc
    for path in paths:
        source = "<stdin>" if path == "-" else path
        try:
            reader, given = pipeline.open_input(path)
            result = pipeline.read_with(reader, given)
        except CitetoolsError:
            raise
        except Exception as exc:  # a reader's bug must still name the input
            raise ReadError(f"could not read: {type(exc).__name__}: {exc}", source=source) from exc
        for problem in result.problems:
            if strict and problem.severity == "error":
                raise RecordParseError(problem.message, source=problem.source, line=problem.line)
        records.extend(result.records)
        problems.extend(result.problems)
    if not raw:
        records = normalize_records(records, as_of=as_of, on_problem=problems.append)
    for problem in problems:
        report(problem)
    return records


def normalize_records(
    records: Iterable[Record],
    *,
    as_of: date | None = None,
    on_problem: ProblemHandler | None = None,
) -> list[Record]:
    """Canonical records, duplicates merged (``as_of``: reference date, default today)."""
    from citetools import pipeline

    outcome = pipeline.normalize(records, as_of=as_of or date.today())
    for problem in outcome.problems:
        (on_problem or _log_problem)(problem)
    return outcome.records


def resolve(
    records: Sequence[Record],
    *,
    resolver: Resolver | None = None,
    arxiv_url: str | None = None,
    cache: CachePath = True,
    delay: float = 3.0,
    retries: int = 4,
    timeout: float = 60.0,
    offline: bool = False,
    on_problem: ProblemHandler | None = None,
) -> list[Record]:
    """Records enriched through ``resolver`` (default: the arXiv API), duplicates merged.

    The arXiv defaults are the command line's: ``arxiv_url`` (default ``CITETOOLS_ARXIV_URL`` or
    the public API), ``cache`` (``True``: ``arxiv.sqlite`` in the user cache folder; ``False``:
    none; or a file), at least ``delay`` seconds between requests, ``retries``, ``timeout``,
    ``offline`` (answer from the cache only). A record that is not resolved is kept as it was
    and reported to ``on_problem``. Raises :class:`ServiceUnreachable` when the arXiv API could
    not be reached at all.
    """
    from citetools import pipeline
    from citetools.resolvers.arxiv.setup import arxiv_resolver

    report = on_problem or _log_problem
    with ExitStack() as stack:
        chosen = resolver
        if chosen is None:
            chosen = stack.enter_context(
                arxiv_resolver(
                    arxiv_url=arxiv_url,
                    cache=cache,
                    delay=delay,
                    retries=retries,
                    timeout=timeout,
                    offline=offline,
                )
            )
        outcome, resolutions = pipeline.resolve(list(records), chosen)
        stats = getattr(getattr(chosen, "client", None), "stats", None)
        if (
            resolver is None
            and stats is not None
            and stats.requests > 0
            and stats.unreachable == stats.requests
            and not any(r.resolved for r in resolutions)
        ):
            url = getattr(getattr(chosen, "client", None), "base_url", None)
            raise ServiceUnreachable("the arXiv API could not be reached", url=url)
    for res in resolutions:
        if not res.resolved:
            where = res.record.provenance[0] if res.record.provenance else None
            report(
                Problem(
                    f"{res.status}: {res.record.title or res.record.key or 'entry'}: {res.reason}",
                    where.source if where else None,
                    where.line if where else None,
                )
            )
    for problem in outcome.problems:
        report(problem)
    return outcome.records


def _exporter_for(target: StrPath | TextIO, to: str | None) -> str:
    from citetools import plugins

    if to:
        return to
    if not isinstance(target, str | PathLike) or os.fspath(target) == "-":
        return "bibtex"
    suffix = os.path.splitext(os.fspath(target))[1].lower()
    if not suffix:
        return "bibtex"
    if name := plugins.by_suffix("exporter", suffix):
        return name
    known = sorted(
        {s for n in plugins.names("exporter") for s in plugins.load("exporter", n).suffixes}
    )
    raise PluginNotFound(
        f"no exporter writes {suffix!r} files; pass to=<exporter name>, or use one of the "
        f"suffixes {', '.join(known)}"
    )


def _keyed(
    records: Iterable[Record], style: KeyStyle | str | None, pattern: str | None
) -> list[Record]:
    from citetools import plugins
    from citetools.keys import DefaultKeyStyle, PatternKeyStyle, assign_keys

    if pattern is not None:
        return assign_keys(records, PatternKeyStyle(pattern))
    if isinstance(style, str):
        return assign_keys(records, plugins.keystyle(style))
    if style is not None:
        return assign_keys(records, style)
    items = list(records)
    taken = [r.key for r in items if r.key]
    fresh = iter(assign_keys([r for r in items if not r.key], DefaultKeyStyle(), taken=taken))
    return [r if r.key else next(fresh) for r in items]


def export(
    records: Iterable[Record],
    target: StrPath | TextIO,
    *,
    to: str | None = None,
    style: KeyStyle | str | None = "default",
    key_pattern: str | None = None,
    **options: object,
) -> list[Record]:
    """Assign keys, then write ``records`` to ``target``: a path (atomically: a temporary file
    in the same folder, then a rename) or an open text stream; ``-`` is standard output.

    ``to`` names the exporter (default: from the path's suffix; BibTeX for a stream);
    ``options`` go to its constructor (``arxiv_note=True`` for ``bibtex``). Keys come from
    ``key_pattern`` (JabRef syntax) if given, else ``style`` (a key style or a key-style plugin
    name); ``style=None`` keeps the records' keys and gives the others default ones. Returns
    the keyed records. Raises :class:`ExportError` when the output cannot be written.
    """
    from citetools import plugins
    from citetools.files import atomic_writer

    exporter = plugins.exporter(_exporter_for(target, to), **options)
    keyed = _keyed(records, style, key_pattern)
    where = os.fspath(target) if isinstance(target, str | PathLike) else None
    try:
        if where is None or where == "-":
            exporter.write(keyed, sys.stdout if where == "-" else target)  # type: ignore[arg-type]
        else:
            with atomic_writer(where) as out:
                exporter.write(keyed, out)
    except CitetoolsError:
        raise
    except OSError as exc:
        raise ExportError(f"could not write: {exc.strerror or exc}", source=where) from exc
    except Exception as exc:  # a closed stream, or an exporter's own bug: still say which
        raise ExportError(
            f"exporter {exporter.name!r} failed: {type(exc).__name__}: {exc}", source=where
        ) from exc
    return keyed
