"""Citation keys: JabRef key patterns, and unique keys for a whole list of records.

A :class:`KeyStyle` makes the *base key* of one record; :func:`assign_keys` makes the keys of
a list unique by adding ``a``, ``b``, ... ``z``, ``aa``, ... to repeated base keys.

:class:`PatternKeyStyle` understands JabRef's citation key patterns
(https://docs.jabref.org/setup/citationkeypatterns): literal text plus ``[marker:modifier...]``
fields. :class:`DefaultKeyStyle` is the pattern ``[auth:lower][year][veryshorttitle:lower]``,
which gives keys like ``xing2026lumos``.

Decisions (where JabRef is silent, or where citetools differs from it on purpose):

* Keys only ever contain ``[A-Za-z0-9_:-]``. Letters are transliterated with ``anyascii``, never
  dropped (``Müller`` -> ``Muller``, ``张伟`` -> ``ZhangWei``); every other character (spaces,
  apostrophes, ``.``, ``+``) is removed. So ``[auth.etal]`` gives ``Newtonetal`` and the ``+``
  of ``[authshort]`` and ``[authorsAlpha]`` disappears.
* Particles: like JabRef, ``[auth]`` and the other author markers use the family name
  *without* the particle (``Ludwig van Beethoven`` -> ``Beethoven``, so the default key is
  ``beethoven...``); ``[authFirstFull]`` gives particle and family name (``vanBeethoven``).
  Suffixes (``Jr.``) are never used.
* Corporate authors (``Person.literal``) use their whole name with the spaces removed
  (``Inferix Team`` -> ``InferixTeam``); JabRef would abbreviate some of them, citetools does not.
  A person with only a given name (a mononym) uses that name as the family name.
* A truncated author list (``Record.authors_truncated``, the listing said "et al.") counts as
  having more authors than listed, as BibTeX's ``and others`` does in JabRef: ``[authEtAl]``
  gives ``XingEtAl`` even for one listed author, and ``[authors]`` ends in ``EtAl``.
* Title words are split at every character that is not an ASCII letter or digit after
  transliteration (``Lumos-Nexus`` is two words), apostrophes are dropped first
  (``Don't`` -> ``Dont``). Function words (:data:`FUNCTION_WORDS`: JabRef's list plus
  ``towards``, ``via``, ``as``, ``vs`` and ``versus``) are skipped by ``[shorttitle]`` and
  ``[veryshorttitle]``; if a title has only function words, its first words are used.
* Missing data: without authors the author markers read ``Anon`` (``anon`` in the default
  style) unless the field has an explicit ``(fallback)`` modifier; without a date the date
  markers are empty; without a title the title markers read the first three significant words
  of the abstract (skipping, beyond the function words, phrases like "we propose a novel").
  When no marker of the pattern finds any data in the record, or the key would be empty, the
  base key is ``untitled``.
* ``[month]`` is the English month name (``March``), as JabRef documents; ``[day]`` has no
  leading zero; ``[entrytype]`` uses JabRef's spelling (``InProceedings``).
* Marker and modifier names are matched case-insensitively (``[TITLE]``, ``[Year]``).
  ``pure`` variants (``[pureauth]``) are accepted and equal the plain ones, since records have
  no editors. Not supported: editor, page, keyword and raw field markers, ``:regex(...)``, and
  patterns inside ``(fallback)`` text; an unknown marker or modifier raises
  :class:`~citetools.errors.CitationKeyError` when the style is made, listing the known ones.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from anyascii import anyascii

from citetools.errors import CitationKeyError
from citetools.model import Person, Record

DEFAULT_PATTERN = "[auth:lower][year][veryshorttitle:lower]"


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FUNCTION_WORDS: frozenset[str] = frozenset(
    # JabRef's documented list of function words ...
    _split(
        "a an the above about across against along among around at before behind below beneath "
        "beside between beyond by down during except for from in inside into like near of off on "
        "onto since to toward through under until up upon with within without and but nor or so "
        "yet"
    )
    # ... plus a few more that start titles but never say what a paper is about.
    + _split("towards via as vs versus")
)
"""Words that ``[shorttitle]``, ``[veryshorttitle]``, ``[title]`` and ``:titlecase`` skip or
keep lowercase."""

_ABSTRACT_SKIP: frozenset[str] = FUNCTION_WORDS | frozenset(
    _split(
        "i we our us you it its this that these those here there is are was were be been being has "
        "have had do does can could may might will would should which who what how when where not "
        "no such also both each all some many most more paper article work study propose proposes "
        "proposed present presents presented introduce introduces introduced novel new show shows "
        "describe describes report reports investigate investigates recent recently however while "
        "although first focus focuses aim aims goal develop developing explore explores"
    )
)
_ABSTRACT_WORDS = 3
_ABSTRACT_PREFIX = 600

_UNTITLED = "untitled"
_ILLEGAL = re.compile(r"[^A-Za-z0-9_:-]+")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_WORD = re.compile(r"[A-Za-z0-9]+")
_VALID_KEY = re.compile(r"[A-Za-z0-9_:-]+")

_MONTHS = _split(
    "January February March April May June July August September October November December"
)
_ENTRY_TYPES = {
    name.lower(): name
    for name in _split(
        "Article Book Booklet Conference Dataset InBook InCollection InProceedings Manual "
        "MastersThesis Misc Online PhdThesis Proceedings Report Software TechReport Thesis "
        "Unpublished"
    )
}


class KeyStyle(Protocol):
    """Makes the base key of one record; :func:`assign_keys` makes the keys unique."""

    name: str
    description: str

    def base_key(self, record: Record) -> str:
        """A non-empty key of ``[A-Za-z0-9_:-]``, before collisions are resolved."""
        ...


def sanitize_key(text: str) -> str:
    """Transliterate ``text`` to ASCII, then keep only ``[A-Za-z0-9_:-]``."""
    return _ILLEGAL.sub("", _ascii(text))


def assign_keys(
    records: Iterable[Record], style: KeyStyle, *, taken: Collection[str] = ()
) -> list[Record]:
    """Give every record a unique key (a new record, in input order).

    Keys are always computed from ``style``, also for records that already have one (keeping
    hand-made keys is a separate concern). Keys are compared case-insensitively, as BibTeX and
    biber do. The first record with a base key keeps it; later ones get ``a``, ``b``, ...,
    ``z``, ``aa``, ``ab``, ... -- skipping any suffixed key that equals another record's base
    key, a key given earlier, or a key in ``taken`` (keys already in use, say in a .bib file).
    Runs in time linear in the number of records. A base key that is empty or has characters
    outside ``[A-Za-z0-9_:-]`` (a broken plugin style) raises :class:`CitationKeyError`.
    """
    items = list(records)
    bases = [_checked_base_key(style, record) for record in items]
    reserved = {base.casefold() for base in bases}
    used = {key.casefold() for key in taken}
    next_index: dict[str, int] = {}
    result: list[Record] = []
    for record, base in zip(items, bases, strict=True):
        folded = base.casefold()
        key = base
        if folded in used:
            suffix, next_index[folded] = _free_suffix(
                folded, next_index.get(folded, 0), used, reserved
            )
            key, folded = base + suffix, folded + suffix
        used.add(folded)
        result.append(dataclasses.replace(record, key=key))
    return result


def _checked_base_key(style: KeyStyle, record: Record) -> str:
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


# --- text helpers -------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return text if text.isascii() else anyascii(text)


def _token(text: str) -> str:
    """``text`` as one ASCII word: ``O'Brien`` -> ``OBrien``, ``Ann Li`` -> ``AnnLi``."""
    return _NOT_ALNUM.sub("", _ascii(text))


def _words(text: str) -> list[str]:
    """ASCII words of ``text``, split at anything but letters and digits; apostrophes vanish."""
    return _WORD.findall(_ascii(text).replace("'", ""))


def _significant(words: Sequence[str], skip: frozenset[str] = FUNCTION_WORDS) -> list[str]:
    """The words not in ``skip``; all of them if every word is in ``skip``."""
    return [word for word in words if word.lower() not in skip] or list(words)


def _capitalize_words(text: str) -> str:
    return re.sub(r"\S+", lambda match: match[0].capitalize(), text)


def _title_case(text: str) -> str:
    words = text.split(" ")
    return " ".join(
        word.lower() if index and word.lower() in FUNCTION_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


# --- author markers -----------------------------------------------------------------------

_AuthorFn = Callable[[Sequence[Person], bool], str]
_ANON = (Person(family="Anon", literal=True),)


def _last(person: Person) -> str:
    return _token(person.family or person.given)


def _von_last(person: Person) -> str:
    return _token(f"{person.particle}{person.family}") if person.family else _last(person)


def _fore_initial(person: Person) -> str:
    if person.literal or not person.family:
        return ""
    return _token(person.given)[:1]


def _initials(people: Sequence[Person]) -> str:
    return "".join(_last(person)[:1] for person in people)


def _auth(people: Sequence[Person], more: bool) -> str:
    return _last(people[0])


def _auth_first_full(people: Sequence[Person], more: bool) -> str:
    return _von_last(people[0])


def _auth_fore_ini(people: Sequence[Person], more: bool) -> str:
    return _fore_initial(people[0])


def _author_last(people: Sequence[Person], more: bool) -> str:
    return _last(people[-1])


def _author_last_fore_ini(people: Sequence[Person], more: bool) -> str:
    return _fore_initial(people[-1])


def _authors(people: Sequence[Person], more: bool) -> str:
    return "".join(map(_last, people)) + ("EtAl" if more else "")


def _authors_n(n: int) -> _AuthorFn:
    def authors_n(people: Sequence[Person], more: bool) -> str:
        return _authors(people[:n], more or len(people) > n)

    return authors_n


def _auth_etal(separator: str, etal: str) -> _AuthorFn:
    def auth_etal(people: Sequence[Person], more: bool) -> str:
        if more or len(people) > 2:
            return _last(people[0]) + etal
        return separator.join(map(_last, people))

    return auth_etal


def _auth_auth_ea(people: Sequence[Person], more: bool) -> str:
    ea = ".ea" if more or len(people) > 2 else ""
    return ".".join(map(_last, people[:2])) + ea


def _authshort(people: Sequence[Person], more: bool) -> str:
    if len(people) == 1 and not more:
        return _last(people[0])
    return _initials(people[:3]) + ("+" if more or len(people) > 3 else "")


def _authors_alpha(people: Sequence[Person], more: bool) -> str:
    if len(people) == 1 and not more:
        return _last(people[0])[:3]
    if len(people) <= 4 and not more:
        return _initials(people)
    return _initials(people[:3]) + "+"


def _author_ini(people: Sequence[Person], more: bool) -> str:
    return _last(people[0])[:5] + _initials(people[1:]) + ("+" if more else "")


def _auth_n(n: int) -> _AuthorFn:
    def auth_n(people: Sequence[Person], more: bool) -> str:
        return _last(people[0])[:n]

    return auth_n


def _auth_n_m(n: int, m: int) -> _AuthorFn:
    def auth_n_m(people: Sequence[Person], more: bool) -> str:
        return _last(people[m - 1])[:n] if m <= len(people) else ""

    return auth_n_m


def _auth_ini_n(n: int) -> _AuthorFn:
    """``n`` characters shared by the authors' names, the first author taking what is left.

    With more authors than fit, the last character is ``+`` (when ``n`` leaves room for it).
    """

    def auth_ini_n(people: Sequence[Person], more: bool) -> str:
        plus = (more or len(people) > n) and n > 1
        budget = n - 1 if plus else n
        shown = people[:budget]
        share, rest = divmod(budget, len(shown))
        parts = [_last(person)[:share] for person in shown]
        parts[0] = _last(shown[0])[: share + rest]
        return "".join(parts) + ("+" if plus else "")

    return auth_ini_n


# --- title markers ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    """The ASCII title (or abstract words standing in for it) and its words."""

    text: str
    words: tuple[str, ...]


_TitleFn = Callable[[_Text], str]


def _title_source(record: Record) -> _Text | None:
    """The title; without one, the first significant words of the abstract; else ``None``."""
    if record.title:
        text = _ascii(record.title)
        words = _words(text)
        if words:
            return _Text(text, tuple(words))
    if record.abstract:
        words = _words(record.abstract[:_ABSTRACT_PREFIX])
        if len(record.abstract) > _ABSTRACT_PREFIX:
            words = words[:-1]  # may be cut in the middle
        picked = [word for word in words if word.lower() not in _ABSTRACT_SKIP][:_ABSTRACT_WORDS]
        if picked:
            return _Text(" ".join(picked), tuple(picked))
    return None


def _title(title: _Text) -> str:
    return _title_case(" ".join(word.capitalize() for word in title.words))


def _shorttitle(title: _Text) -> str:
    return " ".join(word.capitalize() for word in _significant(title.words)[:3])


def _shorttitle_ini(title: _Text) -> str:
    return "".join(word[:1].upper() for word in _significant(title.words)[:3])


def _veryshorttitle(title: _Text) -> str:
    return _significant(title.words)[0].capitalize()


def _camel(title: _Text) -> str:
    return " ".join(word.capitalize() for word in title.words)


def _fulltitle(title: _Text) -> str:
    return title.text


# --- other markers ------------------------------------------------------------------------

_RecordFn = Callable[[Record], str]


def _year(record: Record) -> str:
    year = record.date.year if record.date else None
    return "" if year is None else str(year)


def _shortyear(record: Record) -> str:
    year = record.date.year if record.date else None
    return "" if year is None else f"{year % 100:02d}"


def _month(record: Record) -> str:
    month = record.date.month if record.date else None
    return _MONTHS[month - 1] if month and 1 <= month <= 12 else ""


def _day(record: Record) -> str:
    return str(record.date.day) if record.date and record.date.day else ""


def _date(record: Record) -> str:
    return record.date.iso() if record.date and record.date.year is not None else ""


def _entrytype(record: Record) -> str:
    kind = record.entry_type
    return _ENTRY_TYPES.get(kind.lower(), kind[:1].upper() + kind[1:])


# --- fields -------------------------------------------------------------------------------

# (record, anon) -> (text, whether the record had data for it)
_Expand = Callable[[Record, bool], tuple[str, bool]]


def _by_authors(fn: _AuthorFn) -> _Expand:
    def expand(record: Record, anon: bool) -> tuple[str, bool]:
        if record.authors:
            text = fn(record.authors, record.authors_truncated)
            return text, bool(text)
        return (fn(_ANON, False) if anon else ""), False

    return expand


def _by_title(fn: _TitleFn) -> _Expand:
    def expand(record: Record, anon: bool) -> tuple[str, bool]:
        source = _title_source(record)
        text = fn(source) if source else ""
        return text, bool(text)

    return expand


def _by_record(fn: _RecordFn) -> _Expand:
    def expand(record: Record, anon: bool) -> tuple[str, bool]:
        text = fn(record)
        return text, bool(text)

    return expand


_MARKERS: dict[str, _Expand] = {
    "auth": _by_authors(_auth),
    "authfirstfull": _by_authors(_auth_first_full),
    "authforeini": _by_authors(_auth_fore_ini),
    "authetal": _by_authors(_auth_etal("", "EtAl")),
    "auth.etal": _by_authors(_auth_etal(".", ".etal")),
    "auth.auth.ea": _by_authors(_auth_auth_ea),
    "authorini": _by_authors(_author_ini),
    "authorlast": _by_authors(_author_last),
    "authorlastforeini": _by_authors(_author_last_fore_ini),
    "authors": _by_authors(_authors),
    "authorsalpha": _by_authors(_authors_alpha),
    "authshort": _by_authors(_authshort),
    "title": _by_title(_title),
    "shorttitle": _by_title(_shorttitle),
    "shorttitleini": _by_title(_shorttitle_ini),
    "veryshorttitle": _by_title(_veryshorttitle),
    "camel": _by_title(_camel),
    "fulltitle": _by_title(_fulltitle),
    "year": _by_record(_year),
    "shortyear": _by_record(_shortyear),
    "month": _by_record(_month),
    "day": _by_record(_day),
    "date": _by_record(_date),
    "entrytype": _by_record(_entrytype),
}
_NUMBER = r"([1-9][0-9]{0,2})"
_NUMBERED_MARKERS: tuple[tuple[re.Pattern[str], Callable[..., _AuthorFn]], ...] = (
    (re.compile(f"auth{_NUMBER}"), _auth_n),
    (re.compile(f"auth{_NUMBER}_{_NUMBER}"), _auth_n_m),
    (re.compile(f"authini{_NUMBER}"), _auth_ini_n),
    (re.compile(f"authors{_NUMBER}"), _authors_n),
)
KNOWN_MARKERS: tuple[str, ...] = _split(
    "auth authN authN_M authFirstFull authForeIni authEtAl auth.etal auth.auth.ea authIniN "
    "authorIni authorLast authorLastForeIni authors authorsN authorsAlpha authshort "
    "title shorttitle shorttitleINI veryshorttitle camel fulltitle "
    "year shortyear month day date entrytype"
)
"""Every marker :class:`PatternKeyStyle` understands (``N``, ``M``: numbers from 1)."""

KNOWN_MODIFIERS: tuple[str, ...] = _split(
    "lower upper capitalize titlecase sentencecase abbr truncateN (fallback)"
)
"""Every modifier :class:`PatternKeyStyle` understands."""

_Modifier = Callable[[str], str]
_MODIFIERS: dict[str, _Modifier] = {
    "lower": str.lower,
    "upper": str.upper,
    "capitalize": _capitalize_words,
    "titlecase": _title_case,
    "sentencecase": lambda text: text[:1].upper() + text[1:].lower(),
    "abbr": lambda text: "".join(word[0] for word in text.split()),
}
_TRUNCATE = re.compile(r"truncate([0-9]+)")


@dataclass(frozen=True, slots=True)
class _Field:
    """One ``[marker:modifier...]`` of a pattern."""

    expand: _Expand
    modifiers: tuple[_Modifier, ...]
    anon: bool

    def render(self, record: Record) -> tuple[str, bool]:
        text, found = self.expand(record, self.anon)
        for modifier in self.modifiers:
            text = modifier(text)
        return text, found


_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"(?P<marker>[^:]*)(?P<modifiers>(?::(?:\([^()]*\)|[^:()]*))*)")
_MODIFIER = re.compile(r":(\([^()]*\)|[^:()]*)")


def _parse(pattern: str) -> tuple[str | _Field, ...]:
    """Literal text and fields of ``pattern``; :class:`CitationKeyError` if it is invalid."""
    if not pattern:
        raise CitationKeyError("the key pattern is empty")
    segments: list[str | _Field] = []
    position = 0
    for match in _BRACKETS.finditer(pattern):
        segments.append(_literal(pattern[position : match.start()], pattern))
        segments.append(_parse_field(match[1], pattern))
        position = match.end()
    segments.append(_literal(pattern[position:], pattern))
    return tuple(segment for segment in segments if segment)


def _literal(text: str, pattern: str) -> str:
    if "[" in text or "]" in text:
        raise CitationKeyError(f"unbalanced brackets in key pattern {pattern!r}")
    return text


def _parse_field(body: str, pattern: str) -> _Field:
    match = _FIELD.fullmatch(body)
    if match is None:
        raise CitationKeyError(f"cannot read the field [{body}] of key pattern {pattern!r}")
    names = _MODIFIER.findall(match["modifiers"])
    modifiers = tuple(_modifier(name, pattern) for name in names)
    fallback = any(name.startswith("(") for name in names)
    return _Field(_marker(match["marker"], pattern), modifiers, anon=not fallback)


def _marker(name: str, pattern: str) -> _Expand:
    key = name.lower()
    if key.startswith("pureauth"):
        key = key.removeprefix("pure")
    if key in _MARKERS:
        return _MARKERS[key]
    for regex, factory in _NUMBERED_MARKERS:
        if numbers := regex.fullmatch(key):
            return _by_authors(factory(*map(int, numbers.groups())))
    raise CitationKeyError(
        f"unknown marker [{name}] in key pattern {pattern!r}; "
        f"known markers: {', '.join(KNOWN_MARKERS)}"
    )


def _modifier(name: str, pattern: str) -> _Modifier:
    if name.startswith("("):
        fallback = name[1:-1]
        return lambda text: text or fallback
    key = name.lower()
    if key in _MODIFIERS:
        return _MODIFIERS[key]
    if truncate := _TRUNCATE.fullmatch(key):
        length = int(truncate[1])
        return lambda text: text[:length].rstrip()
    raise CitationKeyError(
        f"unknown modifier :{name} in key pattern {pattern!r}; "
        f"known modifiers: {', '.join(KNOWN_MODIFIERS)}"
    )


# --- styles -------------------------------------------------------------------------------


class PatternKeyStyle:
    """Keys from a JabRef key pattern."""

    __slots__ = ("_has_fields", "_pattern", "_segments")

    name = "jabref"
    description = "keys from a JabRef citation key pattern, e.g. [auth][year]"

    def __init__(self, pattern: str = DEFAULT_PATTERN) -> None:
        self._pattern = pattern
        self._segments = _parse(pattern)
        self._has_fields = any(isinstance(segment, _Field) for segment in self._segments)

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


class DefaultKeyStyle(PatternKeyStyle):
    """<first author family><year><first significant title word>, lowercase ASCII: xing2026lumos."""

    __slots__ = ()

    name = "default"
    description = "first author's family name, year and first significant title word: xing2026lumos"

    def __init__(self) -> None:
        super().__init__(DEFAULT_PATTERN)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
