"""The one data type that flows through citetools: :class:`Record` and its parts.

Every stage (reader -> normalizer -> resolver -> key assignment -> exporter) takes and returns
``Record`` values. They are frozen; stages change them with :func:`dataclasses.replace` (or
:func:`evolve`, the same for per-record hot paths).
Text fields hold plain Unicode: LaTeX escaping and case protection belong to the exporters,
so normalizing twice gives the same record as normalizing once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from itertools import repeat
from operator import attrgetter, call


@dataclass(frozen=True, slots=True)
class Person:
    """One author, split the way BibTeX splits names (first / von / last / jr).

    ``literal`` marks a corporate or institutional author (``Inferix Team``): the whole name is
    in ``family`` and must never be split into given and family parts.
    """

    given: str = ""
    family: str = ""
    particle: str = ""
    suffix: str = ""
    literal: bool = False

    def display(self) -> str:
        """The name in reading order: ``Ludwig van Beethoven Jr.``."""
        parts = [self.given, self.particle, self.family, self.suffix]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date whose parts may be unknown: listings say ``May 29`` (no year) or only ``2023``.

    A year left ``None`` by a reader is filled in by the normalizer from a reference date.
    """

    year: int | None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """ISO 8601 with only the known parts: ``2026``, ``2026-05``, ``2026-05-29``."""
        if self.year is None:
            raise ValueError("a date without a year has no ISO form; normalize it first")
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class Ids:
    """External identifiers. ``arxiv`` is a bare id without version (``2605.31603``)."""

    arxiv: str | None = None
    arxiv_version: int | None = None
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: file (``-`` for stdin), 1-based line and reader/layout name."""

    source: str
    line: int
    layout: str


@dataclass(frozen=True, slots=True)
class Origin:
    """A .bib entry as its file holds it, so that a .bib written from it gives back, byte for
    byte, whatever no stage changed (:mod:`citetools.exporters.bibtex`).

    ``text``: the entry from its ``@`` to its closing brace; ``fields``: each field's name and
    value as written (``"The {\\TeX}book" # tug``), in order, repeats included; ``before``:
    what the file holds between the previous entry and this one (blank lines, ``@string``,
    ``@preamble``, ``@comment``, free text, entries that could not be read; for the first
    entry, the file's start); ``after``: the file's end, on its last entry only; ``read``: the
    record as read, which the writer compares the record with to see what changed; ``index``:
    the entry's place among the file's entries.
    """

    text: str
    fields: tuple[tuple[str, str], ...]
    read: Record
    before: str = ""
    after: str = ""
    index: int = 0  # the entry's place among its file's entries


@dataclass(frozen=True, slots=True)
class Record:
    """One bibliographic item.

    ``categories`` are arXiv category ids (``cs.CV``), primary first. ``has_code`` and ``orgs``
    are what listing pages show beside a paper (the ``Code`` marker, organisation tags).
    ``extra`` keeps any other field (for example a hand-added ``note`` in a .bib file), with
    plain-text values, so nothing a user wrote is lost on the way through. ``journal_ref`` and
    ``comment`` are arXiv's. ``sources`` says where a field's value came from when it is not
    the input itself: ``arxiv <UTC time>`` for a field filled by the resolver. ``origin`` is
    the entry as a .bib file wrote it, for records read from one.
    """

    entry_type: str = "misc"
    title: str | None = None
    authors: tuple[Person, ...] = ()
    authors_truncated: bool = False
    date: PartialDate | None = None
    venue: str | None = None
    abstract: str | None = None
    categories: tuple[str, ...] = ()
    ids: Ids = Ids()
    has_code: bool = False
    orgs: tuple[str, ...] = ()
    affiliation: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    key: str | None = None
    provenance: tuple[Provenance, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    # How a .bib wrote it (see Origin): not a fact of the paper, so not compared.
    origin: Origin | None = field(default=None, compare=False, repr=False)

    @property
    def primary_class(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def where(self) -> str:
        """``file:line`` of the first place this record was read from, for messages."""
        if not self.provenance:
            return "<unknown>"
        first = self.provenance[0]
        return f"{first.source}:{first.line}"


_FIELDS = frozenset(f.name for f in fields(Record))
_VALUES = attrgetter(*(f.name for f in fields(Record)))  # every field's value, in field order
_SET_SLOTS = tuple(getattr(Record, f.name).__set__ for f in fields(Record))  # in that order


def evolve(record: Record, **changes: object) -> Record:
    """``dataclasses.replace(record, **changes)`` for the paths every record takes a few times
    (reading, normalizing, key assignment, the record store): a copy slot by slot, about twice
    as fast, as it skips replace's look at the fields and the frozen ``__init__``'s
    ``object.__setattr__`` for each field. Record has no ``__post_init__``, so nothing replace
    would run is skipped. An unknown field raises TypeError, as with replace."""
    if not _FIELDS.issuperset(changes):
        unknown = ", ".join(sorted(set(changes) - _FIELDS))
        raise TypeError(f"Record has no field {unknown}")
    new = object.__new__(Record)
    # (each slot set in one C loop: any() runs the setters, which all return None)
    any(map(call, _SET_SLOTS, repeat(new), _VALUES(record)))
    for name, value in changes.items():
        object.__setattr__(new, name, value)  # (Record's own __setattr__ refuses: frozen)
    return new
