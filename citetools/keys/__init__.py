"""Citation keys: JabRef key patterns, and unique keys for a whole list of records.

A :class:`KeyStyle` makes the *base key* of one record; :func:`assign_keys` makes the keys of
a list unique by adding ``a``, ``b``, ... ``z``, ``aa``, ... to repeated base keys.

:class:`PatternKeyStyle` fills in a JabRef citation key pattern
(https://docs.jabref.org/setup/citationkeypatterns): literal text plus ``[marker:modifier...]``
fields. :class:`DefaultKeyStyle` is the pattern ``[auth:lower][year][veryshorttitle:lower]``,
which gives keys like ``xing2026lumos``. The pattern syntax, the markers and modifiers citetools
understands (:data:`KNOWN_MARKERS`, :data:`KNOWN_MODIFIERS`) and where it differs from JabRef
are documented in :mod:`citetools.keys.pattern`.

Keys only ever contain ``[A-Za-z0-9_:-]`` (:func:`sanitize_key`): letters are transliterated
with ``anyascii``, never dropped (``Müller`` -> ``Muller``); every other character is removed.
When no marker of the pattern finds any data in the record, or the key would be empty, the base
key is ``untitled``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Protocol

from citetools.errors import CitationKeyError, Problem
from citetools.keys.markers import FUNCTION_WORDS as FUNCTION_WORDS
from citetools.keys.markers import reads_title, to_ascii
from citetools.keys.pattern import KNOWN_MARKERS as KNOWN_MARKERS
from citetools.keys.pattern import KNOWN_MODIFIERS as KNOWN_MODIFIERS
from citetools.keys.pattern import Field, parse_pattern
from citetools.model import Record, evolve

DEFAULT_PATTERN = "[auth:lower][year][veryshorttitle:lower]"

_UNTITLED = "untitled"
_ILLEGAL = re.compile(r"[^A-Za-z0-9_:-]+")
_VALID_KEY = re.compile(r"[A-Za-z0-9_:-]+")


class KeyStyle(Protocol):
    """Makes the base key of one record; :func:`assign_keys` makes the keys unique."""

    name: str
    description: str

    def base_key(self, record: Record) -> str:
        """A non-empty key of ``[A-Za-z0-9_:-]``, before collisions are resolved."""
        ...


def sanitize_key(text: str) -> str:
    """Transliterate ``text`` to ASCII, then keep only ``[A-Za-z0-9_:-]``."""
    return _ILLEGAL.sub("", to_ascii(text))


def assign_keys(
    records: Iterable[Record],
    style: KeyStyle,
    *,
    taken: Collection[str] = (),
    keep_existing: bool = False,
) -> list[Record]:
    """Give every record a unique key (a new record, in input order): see :func:`make_keys`."""
    items = list(records)
    keys = make_keys(items, style, taken=taken, keep_existing=keep_existing)
    return list(map(_keyed, items, keys))


def make_keys(
    records: Iterable[Record],
    style: KeyStyle,
    *,
    taken: Collection[str] = (),
    keep_existing: bool = False,
) -> list[str]:
    """The unique key of each record, in order.

    Keys are computed from ``style``, also for records that already have one, unless
    ``keep_existing`` (see :func:`kept_keys`). Keys are compared case-insensitively, as BibTeX
    and biber do. The first record with a base key keeps it; later ones get ``a``, ``b``, ...,
    ``z``, ``aa``, ``ab``, ... -- skipping any suffixed key that equals another record's base
    key, a key given earlier, or a key in ``taken`` (keys already in use, say in a .bib file).
    Runs in time linear in the number of records. A base key that is empty or has characters
    outside ``[A-Za-z0-9_:-]`` (a broken plugin style) raises :class:`CitationKeyError`.
    """
    if keep_existing:
        return kept_keys(records, style, taken=taken)[0]
    return unique_keys((checked_base_key(style, r) for r in records), taken=taken)


def kept_keys(
    records: Iterable[Record],
    style: KeyStyle,
    *,
    taken: Collection[str] = (),
    reserved: Collection[str] = (),
) -> tuple[list[str], list[Problem]]:
    """Each record's own key, kept; records without one get a key from ``style`` that collides
    with none. A key given twice (two different papers under one key) stays with the first; a
    later one gets a suffix, with a warning naming it (``\\cite`` of that key meant the first
    one to BibTeX anyway). Keys ``reserved`` (retired: once given to another paper) are never
    made, though a record's own key may be one. One pass over ``records``: a store's records
    are never all held."""
    own: list[str | None] = []
    bases: list[str] = []
    seen = {key.casefold() for key in taken}
    kept: list[str] = []
    renamed: list[tuple[int, Record]] = []
    for position, record in enumerate(records):
        key = record.key
        if key and key.casefold() not in seen:
            seen.add(key.casefold())
            kept.append(key)
            own.append(key)
            continue
        own.append(None)
        if key:  # a key given before: its own key is the base of a suffixed one
            renamed.append((position, evolve(record, abstract=None)))
            bases.append(key)
        else:
            bases.append(checked_base_key(style, record))
    fresh = iter(unique_keys(bases, taken=[*taken, *kept, *reserved]))
    keys = [key or next(fresh) for key in own]
    return keys, [_renamed(record, keys[position]) for position, record in renamed]


def _renamed(record: Record, key: str) -> Problem:
    where = record.provenance[0] if record.provenance else None
    return Problem(
        f"key {record.key} is already an earlier entry's: written as {key}",
        where.source if where else None,
        where.line if where else None,
    )


def _keyed(record: Record, key: str) -> Record:
    return evolve(record, key=key)


def unique_keys(bases: Iterable[str], *, taken: Collection[str] = ()) -> list[str]:
    """The keys :func:`assign_keys` gives records with these base keys, in order."""
    bases = list(bases)
    reserved = {base.casefold() for base in bases}
    used = {key.casefold() for key in taken}
    next_index: dict[str, int] = {}
    keys: list[str] = []
    for base in bases:
        folded = base.casefold()
        key = base
        if folded in used:
            suffix, next_index[folded] = _free_suffix(
                folded, next_index.get(folded, 0), used, reserved
            )
            key, folded = base + suffix, folded + suffix
        used.add(folded)
        keys.append(key)
    return keys


def checked_base_key(style: KeyStyle, record: Record) -> str:
    """``style``'s base key of ``record``; :class:`CitationKeyError` when it is not a key."""
    key = style.base_key(record)
    if not _VALID_KEY.fullmatch(key):
        where = record.provenance[0] if record.provenance else None
        raise CitationKeyError(
            f"key style {style.name!r} made the invalid key {key!r}",
            source=where.source if where else None,
            line=where.line if where else None,
        )
    return key


def _free_suffix(
    folded: str, index: int, used: Collection[str], reserved: Collection[str]
) -> tuple[str, int]:
    """The first free suffix for ``folded`` from ``index`` on, and the index after it."""
    while True:
        suffix = _suffix(index)
        index += 1
        candidate = folded + suffix
        if candidate not in used and candidate not in reserved:
            return suffix, index


def _suffix(index: int) -> str:
    """``a`` .. ``z``, ``aa`` .. ``zz``, ``aaa`` ... for 0, 1, 2, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# --- styles -------------------------------------------------------------------------------


class PatternKeyStyle:
    """Keys from a JabRef key pattern."""

    __slots__ = ("_has_fields", "_pattern", "_segments")

    name = "jabref"
    description = "keys from a JabRef citation key pattern, e.g. [auth][year]"

    def __init__(self, pattern: str = DEFAULT_PATTERN) -> None:
        self._pattern = pattern
        self._segments = parse_pattern(pattern)
        self._has_fields = any(isinstance(segment, Field) for segment in self._segments)

    @property
    def pattern(self) -> str:
        return self._pattern

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._pattern!r})"

    def base_key(self, record: Record) -> str:
        """The pattern filled in for ``record``, reduced to ``[A-Za-z0-9_:-]``."""
        parts: list[str] = []
        found = False
        for segment in self._segments:
            if isinstance(segment, str):
                parts.append(segment)
                continue
            text, hit = segment.render(record)
            parts.append(text)
            found = found or hit
        key = sanitize_key("".join(parts))
        if not key or (self._has_fields and not found):
            return _UNTITLED
        return key

    def reads_abstract(self, record: Record) -> bool:
        """Whether the key of ``record`` may depend on its abstract: only a record whose
        title has no word has its key made from the abstract."""
        return not reads_title(record)


class DefaultKeyStyle(PatternKeyStyle):
    """<first author family><year><first significant title word>, lowercase ASCII: xing2026lumos."""

    __slots__ = ()

    name = "default"
    description = "first author's family name, year and first significant title word: xing2026lumos"

    def __init__(self) -> None:
        super().__init__(DEFAULT_PATTERN)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# Fields that name other entries by key: BibTeX's crossref, biblatex's xref, xdata, related
# and entry sets. (``ids`` names the entry's own other keys: never another entry's.)
REFERENCE_FIELDS = ("crossref", "xref", "xdata", "related", "entryset", "set")


def renamed_keys(records: Iterable[Record], keys: Iterable[str]) -> dict[str, str]:
    """Old key -> new key, by lower case, of each record whose key ``keys`` changes (the first
    record with an old key, as BibTeX resolves a key given twice)."""
    renamed: dict[str, str] = {}
    for record, key in zip(records, keys, strict=True):
        if record.key and record.key != key:
            renamed.setdefault(record.key.lower(), key)
    return renamed


def repoint(record: Record, renamed: dict[str, str]) -> Record:
    """The record with each key its :data:`REFERENCE_FIELDS` name that ``renamed`` renames
    replaced by the new one, so that a crossref still reaches its entry after ``--rekey``."""
    if not renamed or not record.extra:
        return record
    changes = {}
    for name in record.extra:  # (the names only: a value may be decoded when read)
        if name.lower() in REFERENCE_FIELDS:
            keys = [key.strip() for key in record.extra[name].split(",")]
            new = ",".join(renamed.get(key.lower(), key) for key in keys)
            if new != ",".join(keys):
                changes[name] = new
    return evolve(record, extra={**record.extra, **changes}) if changes else record
