"""What each marker of a JabRef citation key pattern reads from a record.

Serves :mod:`citetools.keys.pattern`, which parses patterns, applies modifiers and documents
the markers and the decisions behind them. :func:`expander` gives the marker of a name: what its
text is for a record; :func:`citetools.keys.sanitize_key` reduces the finished key to
``[A-Za-z0-9_:-]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import islice
from typing import NamedTuple

from anyascii import anyascii

from citetools.model import Person, Record
from citetools.normalize.terms import ascii_words


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

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")

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


# --- text helpers -------------------------------------------------------------------------


def to_ascii(text: str) -> str:
    return text if text.isascii() else anyascii(text)


def _token(text: str) -> str:
    """``text`` as one ASCII word: ``O'Brien`` -> ``OBrien``, ``Ann Li`` -> ``AnnLi``."""
    return _NOT_ALNUM.sub("", to_ascii(text))


def _words(text: str) -> list[str]:
    """ASCII words of ``text``, split at anything but letters and digits; apostrophes vanish."""
    return ascii_words(to_ascii(text), drop=b"'")


def _significant(words: Sequence[str], skip: frozenset[str] = FUNCTION_WORDS) -> list[str]:
    """The words not in ``skip``; all of them if every word is in ``skip``."""
    return [word for word in words if word.lower() not in skip] or list(words)


def title_case(text: str) -> str:
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


class _Text(NamedTuple):
    """The ASCII title (or abstract words standing in for it) and its words. (A named tuple:
    one is made for each record's key, in a third of a frozen dataclass's time.)"""

    text: str
    words: tuple[str, ...]


_TitleFn = Callable[[_Text], str]


def reads_title(record: Record) -> bool:
    """Whether the title markers make ``record``'s key from its title: else (a title without
    a word, or none) from its abstract (see :func:`_title_source`)."""
    return bool(record.title and _words(record.title))


def _title_source(record: Record) -> _Text | None:
    """The title; without one, the first significant words of the abstract; else ``None``."""
    if record.title:
        text = to_ascii(record.title)
        words = _words(text)
        if words:
            return _Text(text, tuple(words))
    if record.abstract:
        words = _words(record.abstract[:_ABSTRACT_PREFIX])
        if len(record.abstract) > _ABSTRACT_PREFIX:
            words = words[:-1]  # may be cut in the middle
        kept = (word for word in words if word.lower() not in _ABSTRACT_SKIP)
        picked = list(islice(kept, _ABSTRACT_WORDS))
        if picked:
            return _Text(" ".join(picked), tuple(picked))
    return None


def _title(title: _Text) -> str:
    return title_case(" ".join(word.capitalize() for word in title.words))


def _shorttitle(title: _Text) -> str:
    return " ".join(word.capitalize() for word in _significant(title.words)[:3])


def _shorttitle_ini(title: _Text) -> str:
    return "".join(word[:1].upper() for word in _significant(title.words)[:3])


def _veryshorttitle(title: _Text) -> str:
    words = title.words  # (the first of _significant, without listing them all)
    return next((w for w in words if w.lower() not in FUNCTION_WORDS), words[0]).capitalize()


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


# --- the markers by name ------------------------------------------------------------------

Expand = Callable[[Record, bool], tuple[str, bool]]
"""A marker's reading of a record: (record, anon) -> (text, whether the record had data for it);
``anon``: without authors, author markers read ``Anon``."""


def _by_authors(fn: _AuthorFn) -> Expand:
    def expand(record: Record, anon: bool) -> tuple[str, bool]:
        if record.authors:
            text = fn(record.authors, record.authors_truncated)
            return text, bool(text)
        return (fn(_ANON, False) if anon else ""), False

    return expand


def _by_title(fn: _TitleFn) -> Expand:
    def expand(record: Record, anon: bool) -> tuple[str, bool]:
        source = _title_source(record)
        text = fn(source) if source else ""
        return text, bool(text)

    return expand


def _by_record(fn: _RecordFn) -> Expand:
    def expand(record: Record, anon: bool) -> tuple[str, bool]:
        text = fn(record)
        return text, bool(text)

    return expand


_MARKERS: dict[str, Expand] = {
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


def expander(key: str) -> Expand | None:
    """The marker called ``key`` (lower case, without ``pure``: ``auth3_2``), or None."""
    if key in _MARKERS:
        return _MARKERS[key]
    for regex, factory in _NUMBERED_MARKERS:
        if numbers := regex.fullmatch(key):
            return _by_authors(factory(*map(int, numbers.groups())))
    return None
