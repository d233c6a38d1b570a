"""The Python API: thin calls into :mod:`citetools.pipeline`, the same stages the CLI runs.

- :func:`read`: files, folders and ``-`` to normalized, de-duplicated records;
- :func:`normalize_records`: the normalizer (and de-duplication) alone;
- :func:`resolve`: records enriched through a resolver (the arXiv API by default);
- :func:`export`: keys assigned, then written: to a path atomically, with the same key lock,
  ``merge`` and refusal to replace an edited .bib as ``citetools export``.

Problems (warnings, entries that could not be read) go to ``on_problem``, by default the
``citetools`` logger. Everything raised is a :class:`~citetools.errors.CitetoolsError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from datetime import date
from os import PathLike
from typing import TYPE_CHECKING, TextIO

from citetools import pipeline
from citetools.errors import Problem, ReadError, ServiceUnreachable
from citetools.model import Record
from citetools.resolvers import Resolver
from citetools.resolvers.arxiv.setup import DEFAULTS, ArxivSettings, CachePath, arxiv_resolver

if TYPE_CHECKING:
    from citetools.keys import KeyStyle

ProblemHandler = Callable[[Problem], object]
StrPath = str | PathLike[str]


def _log_problem(problem: Problem) -> None:
    import logging

    logging.getLogger("citetools").warning("%s", problem)


def _paths(inputs: StrPath | Iterable[StrPath]) -> list[str]:
    if isinstance(inputs, str | PathLike):
        return [os.fspath(inputs)]
    return [os.fspath(item) for item in inputs]


def _report(problems: Iterable[Problem], on_problem: ProblemHandler | None) -> None:
    for problem in problems:
        (on_problem or _log_problem)(problem)


def read(
    inputs: StrPath | Iterable[StrPath],
    *,
    as_of: date | None = None,
    raw: bool = False,
    strict: bool = False,
    dedupe: bool = False,
    encoding: str | None = None,
    on_problem: ProblemHandler | None = None,
) -> list[Record]:
    """Records from files, folders (their non-hidden files, in name order) or ``-`` (stdin).

    Normalized and de-duplicated (``as_of``: reference date for ``May 29``, default today)
    unless ``raw``; entries of bibliographies with different keys are merged only with
    ``dedupe`` (else reported as likely duplicates). Raises :class:`ReadError` for an input
    that cannot be read at all; each per-entry problem goes to ``on_problem`` (default: the
    ``citetools`` logger), and with ``strict`` the first entry that could not be read raises
    :class:`RecordParseError`. Inputs that are not UTF-8 are decoded in the encoding
    charset-normalizer finds, with a warning; ``encoding`` (a Python codec name) forces one
    for every input.
    """
    problems: list[Problem] = []
    try:
        paths = _paths(inputs)
    except OSError as exc:  # (an os.fspath of something that is no path)
        raise ReadError(exc.strerror or str(exc), source=exc.filename) from exc
    if raw:
        records = list(pipeline.read(paths, problems, strict=strict, encoding=encoding))
    else:
        records = pipeline.records_of(
            paths,
            problems,
            as_of=as_of or date.today(),
            strict=strict,
            dedupe=dedupe,
            encoding=encoding,
        )
        problems.extend(pipeline.undated(records))
    _report(problems, on_problem)
    return records


def normalize_records(
    records: Iterable[Record],
    *,
    as_of: date | None = None,
    on_problem: ProblemHandler | None = None,
) -> list[Record]:
    """Canonical records, duplicates merged (``as_of``: reference date, default today)."""
    checked: list[Problem] = []
    merged: list[Problem] = []
    normalized = pipeline.normalize(records, checked, as_of=as_of or date.today())
    slots = pipeline.deduplicate(normalized, merged, into=pipeline.slots())
    _report(checked + merged, on_problem)
    return pipeline.present(slots)


def resolve(
    records: Sequence[Record],
    *,
    resolver: Resolver | None = None,
    arxiv_url: str | None = DEFAULTS.arxiv_url,
    cache: CachePath = DEFAULTS.cache,
    delay: float = DEFAULTS.delay,
    retries: int = DEFAULTS.retries,
    timeout: float = DEFAULTS.timeout,
    offline: bool = DEFAULTS.offline,
    on_problem: ProblemHandler | None = None,
) -> list[Record]:
    """Records enriched through ``resolver`` (default: the arXiv API), duplicates merged.

    The arXiv defaults are the command line's: ``arxiv_url`` (default ``CITETOOLS_ARXIV_URL`` or
    the public API), ``cache`` (``True``: ``arxiv.sqlite`` in the user cache folder; ``False``:
    none; or a file), at least ``delay`` seconds between requests, ``retries``, ``timeout``,
    ``offline`` (answer from the cache only). A record that is not resolved is kept as it was
    and reported to ``on_problem``. Raises :class:`ServiceUnreachable` when the service could
    not be reached at all (the command line writes the records as they were and exits 3).
    """
    settings = ArxivSettings(arxiv_url, cache, delay, retries, timeout, offline)
    problems: list[Problem] = []
    with ExitStack() as stack:
        chosen = resolver or stack.enter_context(arxiv_resolver(settings))
        done = pipeline.resolve(list(records), chosen, problems)
        url = getattr(getattr(chosen, "client", None), "base_url", None)
    if done.unreachable:
        raise ServiceUnreachable("the arXiv API could not be reached", url=url)
    _report(problems, on_problem)
    return done.records


def export(
    records: Iterable[Record],
    target: StrPath | TextIO,
    *,
    to: str | None = None,
    style: KeyStyle | str | None = "default",
    key_pattern: str | None = None,
    rekey: bool = False,
    merge: bool = False,
    force: bool = False,
    on_problem: ProblemHandler | None = None,
    **options: object,
) -> list[Record]:
    """Assign keys, then write ``records`` to ``target``: a path (atomically: a temporary file
    in the same folder, then a rename) or an open text stream; ``-`` is standard output.

    ``to`` names the exporter (default: from the path's suffix; BibTeX for a stream; an
    unknown suffix raises :class:`PluginNotFound`); ``options`` go to its constructor
    (``arxiv_note=True`` for ``bibtex``). Records read from a bibliography keep their own
    keys (unless ``rekey``); the others get keys from ``key_pattern`` (JabRef syntax) if
    given, else ``style`` (a key style or a key-style plugin name; ``None``: the default). A
    key two records share stays with the first; the other gets a suffix, reported to
    ``on_problem``. Onto an existing output, exactly as
    ``citetools export``: papers already there keep their keys; a .bib someone edited is
    replaced only with ``merge`` (keep its entries, add the new ones) or ``force``, else
    :class:`RefusedOverwrite`. A record the format cannot show (a formatted reference list:
    one with neither title nor author) is left out, reported to ``on_problem`` (default: the
    ``citetools`` logger). Returns the keyed records. Raises :class:`ExportError` when the
    output cannot be written.
    """
    where = os.fspath(target) if isinstance(target, str | PathLike) else target
    output = pipeline.plan(
        where,
        to=to,
        key_style=style,
        key_pattern=key_pattern,
        rekey=rekey,
        merge=merge,
        force=force,
        options=options,
    )
    problems: list[Problem] = []
    keyed, _ = pipeline.export(list(records), output, problems)
    _report(problems, on_problem)
    return list(keyed)
