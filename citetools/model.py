"""The one data type that flows through citetools: :class:`Record` and its parts.

Every stage (reader -> normalizer -> resolver -> key assignment -> exporter) takes and returns
``Record`` values. They are frozen; stages change them with :func:`dataclasses.replace` (or
:func:`evolve`, its faster twin for per-record hot paths).
Text fields hold plain Unicode: LaTeX escaping and case protection belong to the exporters,
so normalizing twice gives the same record as normalizing once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields


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
class Record:
    """One bibliographic item.

    ``categories`` are arXiv category ids (``cs.CV``), primary first. ``has_code`` and ``orgs``
    are what listing pages show beside a paper (the ``Code`` marker, organisation tags).
    ``extra`` keeps any other field (for example a hand-added ``note`` in a .bib file), with
    plain-text values, so nothing a user wrote is lost on the way through. ``journal_ref`` and
    ``comment`` are arXiv's. ``sources`` says where a field's value came from when it is not
    the input itself: ``as-of`` for a date taken from the listing's date, ``arxiv <UTC time>``
    for a field filled by the resolver.
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


def _direct_init(cls: type) -> None:
    """Give a frozen, slotted dataclass an ``__init__`` that sets its slots directly, written
    out field by field as dataclasses writes its own, with the same parameters and defaults (a
    default factory called for each instance). Frozen, the dataclass's own goes through
    ``object.__setattr__`` for each field: twice the time, and every record read is made by
    it. Nothing else is skipped: these classes have no ``__post_init__``."""
    namespace: dict[str, object] = {"MISSING": MISSING}
    params, lines = [], []
    for item in fields(cls):
        if not item.init or item.kw_only or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__name__}: only plain fields can be set directly")
        name = item.name
        namespace[f"set_{name}"] = vars(cls)[name].__set__
        value = name
        if item.default is not MISSING:
            namespace[f"default_{name}"] = item.default
            params.append(f"{name}=default_{name}")
        elif item.default_factory is not MISSING:
            namespace[f"factory_{name}"] = item.default_factory
            params.append(f"{name}=MISSING")
            value = f"factory_{name}() if {name} is MISSING else {name}"
        else:
            params.append(name)
        lines.append(f"    set_{name}(self, {value})")
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(lines) + "\n"
    exec(source, namespace)  # our own classes' field names only: nothing from outside
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]


for _class in (Person, PartialDate, Ids, Provenance, Record):
    _direct_init(_class)

_RECORD_FIELDS = tuple(f.name for f in fields(Record))
# Each field's slot setter: what a frozen dataclass's __init__ reaches through
# object.__setattr__, taken once here.
_SETTERS = {name: vars(Record)[name].__set__ for name in _RECORD_FIELDS}


def _copier() -> Callable[[Record], Record]:
    """A function that copies a record slot by slot, written out field by field (as dataclasses
    writes ``__init__``): a loop over the fields costs twice as much."""
    lines = [f"    set_{name}(new, record.{name})" for name in _RECORD_FIELDS]
    source = (
        "def copy(record):\n    new = new_record(Record)\n"
        + "\n".join(lines)
        + "\n    return new\n"
    )
    namespace: dict[str, object] = {f"set_{name}": s for name, s in _SETTERS.items()}
    namespace.update(new_record=object.__new__, Record=Record)
    exec(source, namespace)  # our own field names only: nothing from outside
    return namespace["copy"]  # type: ignore[return-value]


_copy = _copier()


def evolve(record: Record, **changes: object) -> Record:
    """``dataclasses.replace(record, **changes)`` for the hot paths (every record of a big
    library goes through a few): about 5 times as fast, as it copies the slots without
    replace's per-call look at the fields and its call of ``__init__``. Record has no
    ``__post_init__``, so nothing replace would run is skipped. An unknown field raises
    TypeError, as with replace."""
    new = _copy(record)
    for name, value in changes.items():
        setter = _SETTERS.get(name)
        if setter is None:
            raise TypeError(f"Record has no field {name!r}")
        setter(new, value)
    return new
