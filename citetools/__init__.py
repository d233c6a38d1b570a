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
The functions live in :mod:`citetools.api`, thin calls into :mod:`citetools.pipeline`, which the
command line runs too. Heavy modules load only when a call needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    RefusedOverwrite,
    ResolveError,
    ResolverHTTPError,
    ServiceUnreachable,
)
from citetools.exporters import Exporter
from citetools.files import Source
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.readers import Reader, ReadResult
from citetools.resolvers import Resolution, Resolver
from citetools.version import __version__ as __version__

if TYPE_CHECKING:
    from citetools.api import export, normalize_records, read, resolve
    from citetools.keys import DefaultKeyStyle, KeyStyle, PatternKeyStyle, assign_keys

# Loaded on first use, to keep ``import citetools`` (and ``citetools --help``) light.
_LAZY = {
    "DefaultKeyStyle": "citetools.keys",
    "KeyStyle": "citetools.keys",
    "PatternKeyStyle": "citetools.keys",
    "assign_keys": "citetools.keys",
    "export": "citetools.api",
    "normalize_records": "citetools.api",
    "read": "citetools.api",
    "resolve": "citetools.api",
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
    "RefusedOverwrite",
    "Resolution",
    "ResolveError",
    "Resolver",
    "ResolverHTTPError",
    "ServiceUnreachable",
    "Source",
    "assign_keys",
    "export",
    "normalize_records",
    "read",
    "resolve",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citetools' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
