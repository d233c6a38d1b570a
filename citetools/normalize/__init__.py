"""The normalizer: pure ``Record -> Record`` steps that make records canonical.

:func:`default_steps` gives the standard stack; :func:`normalize_record` applies it. Steps read
no clock and no configuration: the reference date for year-less dates comes in as an argument.
Checks that only warn live in :func:`check`, so steps stay pure and total.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache, partial
from operator import attrgetter

from citetools.errors import Problem
from citetools.model import PartialDate, Person, Record, evolve
from citetools.normalize.arxiv import ARXIV_SOURCE
from citetools.normalize.categories import normalize_category
from citetools.normalize.names import is_et_al
from citetools.normalize.repair import repair_markup
from citetools.normalize.scraped import decode_scraped

Step = Callable[[Record], Record]

# Zero-width and other invisible format characters that scraped text carries, and control
# characters that are not white space (white space, FF/VT/NEL included, is folded below).
_CONTROL_CODES = [c for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if not chr(c).isspace()]
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad" + "".join(map(chr, _CONTROL_CODES))
_INVISIBLE = str.maketrans("", "", _INVISIBLE_CHARS)
_INVISIBLE_FOUND = re.compile(f"[{re.escape(_INVISIBLE_CHARS)}]")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_DOUBLE_SPACE = re.compile("  ")  # (the pattern finds it in a long line faster than ``in``)


def clean_line(text: str) -> str:
    """Invisible and control characters removed, NFC, every run of white space (tabs, no-break
    and other Unicode spaces, line separators) one space, ends stripped. Idempotent."""
    # Fast paths (this runs on every line of every input): printable ASCII holds no control,
    # invisible or non-space white-space character and is already NFC, so only spaces may need
    # folding; other text is translated and normalized only when it needs to be.
    if text.isascii() and not text.encode().translate(None, _PRINTABLE_ASCII):
        if _DOUBLE_SPACE.search(text) is None and text[:1] != " " and text[-1:] != " ":
            return text
        return " ".join(text.split())
    if _INVISIBLE_FOUND.search(text):
        text = text.translate(_INVISIBLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # str.split() splits on exactly the characters ``\s`` matches (str.isspace).
    return " ".join(text.split())


def clean_text(text: str | None) -> str | None:
    """:func:`clean_line`; None for None and for text that is nothing but white space."""
    if text is None:
        return None
    return clean_line(text) or None


# LaTeX special characters cannot begin a word of a name, nor a piece of a hyphenated one:
# biber computes initials from the first character of each and writes a broken .bbl for
# ``\\``, braces, ``~`` and ``^`` (seen with biber 2.18: ``Eve-\\x``, ``Given }x``). No real
# name holds such a word; :func:`check` reports every name that holds any of them.
LATEX_SPECIALS = "\\{}$%#&_~^"
_SPECIAL_SET = frozenset(LATEX_SPECIALS)
_SPECIAL_FOUND = re.compile(f"[{re.escape(LATEX_SPECIALS)}]")
_SPECIALS_STARTING_A_WORD = re.compile(r"(^|[\s-])[" + re.escape(LATEX_SPECIALS) + r"]+")


def _name_part(text: str) -> str:
    part, before = clean_line(text), None
    if _SPECIAL_SET.isdisjoint(part):
        return part
    while part != before:  # removing ``\\`` from ``-\\-\\x`` starts another piece with one
        before, part = part, clean_line(_SPECIALS_STARTING_A_WORD.sub(r"\1", part))
    return part


# A name part made of printable ASCII words without LaTeX specials, one space apart: what
# cleaning leaves as it is (see _clean_person).
_PLAIN_CHARS = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in _SPECIAL_SET)
_PLAIN_CHAR = f"[{re.escape(_PLAIN_CHARS)}]"
_PLAIN_PART = f"{_PLAIN_CHAR}+(?: {_PLAIN_CHAR}+)*"
_PLAIN_PERSON = re.compile(f"(?:{_PLAIN_PART})?\n{_PLAIN_PART}(?:\n(?:{_PLAIN_PART})?){{2}}")


def _clean_person(person: Person) -> Person | None:
    """:func:`_cleaned_person`; a person whose parts are plain (most are) is given back at
    once, as that would give it back."""
    parts = f"{person.given}\n{person.family}\n{person.particle}\n{person.suffix}"
    if _PLAIN_PERSON.fullmatch(parts) and (
        person.given or person.particle or not is_et_al(person.family)
    ):
        return person
    return _cleaned_person(person)


@lru_cache(maxsize=65536)
def _cleaned_person(person: Person) -> Person | None:
    """Each part cleaned. A name left without a family part (``Eve }`` once the brace is gone)
    is a mononym: what is left becomes the family name, since ``, Eve`` (an empty last name)
    is not a BibTeX name, and crashes biber's parser. None for a truncation mark (``others``,
    ``et al.``, corporate or not): BibTeX and CSL read it as one, never as a name."""
    given, family, particle, suffix = (
        _name_part(part) for part in (person.given, person.family, person.particle, person.suffix)
    )
    if not given and not particle and is_et_al(family):
        return None
    if not family:
        family = " ".join(filter(None, (given, particle, suffix)))
        given = particle = suffix = ""
    cleaned = Person(given, family, particle, suffix, person.literal)
    return person if cleaned == person else cleaned


_TEXT_FIELDS = ("title", "abstract", "venue", "affiliation")
_text_values = attrgetter(*_TEXT_FIELDS)
_family = attrgetter("family")


def clean_fields(record: Record) -> Record:
    """Text fields, names and organisations through :func:`clean_line`; names left without a
    family part and empty organisations dropped. Most records are clean already: the same
    record comes back, not a copy."""
    changes = _cleaned(record)
    return evolve(record, **changes) if changes else record


def _cleaned(record: Record) -> dict[str, object]:
    """What :func:`clean_fields` changes."""
    changes: dict[str, object] = {}
    for name, value in zip(_TEXT_FIELDS, _text_values(record), strict=True):
        if value is not None and (cleaned := clean_text(value)) != value:
            changes[name] = cleaned
    if record.authors:
        changes.update(_cleaned_authors(record.authors))
    if record.orgs:
        orgs = tuple(o for o in map(clean_text, record.orgs) if o)
        if orgs != record.orgs:
            changes["orgs"] = orgs
    return changes


def _cleaned_authors(authors: tuple[Person, ...]) -> dict[str, object]:
    """What :func:`clean_fields` changes of the author list ``authors``."""
    persons = tuple(map(_clean_person, authors))
    # (a None, a truncation mark, is never equal to the person it was)
    if persons == authors and all(map(_family, persons)):
        return {}
    changes: dict[str, object] = {}
    if None in persons:  # "A and others" written as a person: the list is truncated
        changes["authors_truncated"] = True
    changes["authors"] = tuple(p for p in persons if p is not None and p.family)
    return changes


def latest_year(month: int, day: int | None, as_of: date) -> int:
    """The latest year in which ``month``/``day`` is not after ``as_of`` (29 February: the latest
    leap year). An impossible day (31 April) is judged by its month alone."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    for year in range(as_of.year, as_of.year - 9, -1):
        try:
            if date(year, month, day or 1) <= as_of:
                return year
        except ValueError:
            if day != 29:
                return latest_year(month, None, as_of)
    return as_of.year - 1


def resolve_date(record: Record, *, as_of: date) -> Record:
    """Give a year-less date (``May 29``) the latest year that does not put it after ``as_of``."""
    dated = _resolved(record.date, as_of)
    return record if dated is record.date else evolve(record, date=dated)


def _resolved(found: PartialDate | None, as_of: date) -> PartialDate | None:
    """The date :func:`resolve_date` gives: ``found`` itself unless it has no year."""
    if found is None or found.year is not None:
        return found
    if found.month is None:
        return None
    return _with_year(found.month, found.day, as_of) or found


@lru_cache(maxsize=4096)
def _with_year(month: int, day: int | None, as_of: date) -> PartialDate | None:
    """The date with :func:`latest_year`; None when there is no such date (check() reports it).
    Cached: a library's many entries of one day share one (frozen) date."""
    try:
        return PartialDate(latest_year(month, day, as_of), month, day)
    except ValueError:
        return None


# The layouts of paper listings (citetools.readers.listing). An entry whose listing gives no
# date (daily, abstracts) stays undated: the day a listing was copied is not the paper's date.
LISTING_LAYOUTS = frozenset({"feed", "profile", "abstracts", "daily"})


def map_categories(record: Record) -> Record:
    """Listing codes -> arXiv ids (``CV`` -> ``cs.CV``); unknown codes are kept as written."""
    if not record.categories:
        return record
    categories = _mapped(record.categories)
    return record if categories == record.categories else evolve(record, categories=categories)


@lru_cache(maxsize=4096)
def _mapped(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_category(code) or code for code in codes))


def is_listed(record: Record) -> bool:
    """True for a record read from a paper listing only (its text was scraped from a page,
    not written by the user)."""
    layouts = [where.layout for where in record.provenance]
    return bool(layouts) and LISTING_LAYOUTS.issuperset(layouts)


_SCRAPED_FIELDS = ("title", "abstract")
_scraped_values = attrgetter(*_SCRAPED_FIELDS)


def decode_listing_text(record: Record) -> Record:
    """A listing's title and abstract: scraped LaTeX as text (:func:`.scraped.decode_scraped`),
    stray braces and link leftovers dropped (:func:`markup_problems` reports them). Records
    read from bibliographies are never changed: their text is the user's."""
    changes = _decoded(record)
    return evolve(record, **changes) if changes else record


def _decoded(record: Record) -> dict[str, object]:
    """What :func:`decode_listing_text` changes."""
    if not is_listed(record):
        return {}
    changes: dict[str, object] = {}
    for name, value in zip(_SCRAPED_FIELDS, _scraped_values(record), strict=True):
        if value is not None and (decoded := decode_scraped(value)) != value:
            changes[name] = decoded
    return changes


def markup_problems(record: Record) -> list[Problem]:
    """A warning for each stray brace or link leftover :func:`decode_listing_text` drops from
    ``record`` (the record as read, before normalizing)."""
    if not is_listed(record):
        return []
    values = zip(_SCRAPED_FIELDS, _scraped_values(record), strict=True)
    return _markup_problems(record, [(name, value) for name, value in values if value])


def _markup_problems(record: Record, texts: Sequence[tuple[str, str]]) -> list[Problem]:
    """A warning naming the record's place for each thing :func:`.scraped.repair_markup` drops
    from each ``(field, text)`` of it."""
    where = record.provenance[0] if record.provenance else None
    source, line = (where.source, where.line) if where else (None, None)
    return [
        Problem(f"{name}: stray markup dropped: {note}", source, line)
        for name, text in texts
        for note in repair_markup(text).notes
    ]


# What the arXiv resolver fills is arXiv's LaTeX source, as the listings show it: its text,
# and its author names. (Ids, categories and dates are not text: never decoded.)
_RESOLVED_TEXT = ("title", "abstract", "journal_ref", "comment")
_RESOLVED_FIELDS = (*_RESOLVED_TEXT, "authors")


def _filled_by_arxiv(before: Record, after: Record) -> list[str]:
    """The fields of ``after`` that arXiv filled in (``after.sources`` says so) and that are
    not what ``before`` held."""
    return [
        name
        for name in _RESOLVED_FIELDS
        if (value := getattr(after, name))
        and value != getattr(before, name)
        and after.sources.get(name, "").partition(" ")[0] == ARXIV_SOURCE
    ]


_parts = attrgetter("given", "family", "particle", "suffix")


def _decoded_person(person: Person) -> Person:
    given, family, particle, suffix = map(decode_scraped, _parts(person))
    return Person(given, family, particle, suffix, person.literal)


def decode_resolved_text(before: Record, after: Record) -> Record:
    """``after`` (what a resolver made of ``before``) with what arXiv filled in decoded as a
    listing's text is (:func:`.scraped.decode_scraped`), then cleaned as :func:`clean_fields`
    cleans: title, abstract, journal ref, comment and author names that ``before`` lacked or
    that replaced its own. What ``before`` held is never changed: it is the user's."""
    changes: dict[str, object] = {}
    for name in _filled_by_arxiv(before, after):
        if name == "authors":
            persons = tuple(map(_decoded_person, after.authors))
            changes.update({"authors": persons, **_cleaned_authors(persons)})
        else:
            changes[name] = clean_text(decode_scraped(getattr(after, name)))
    return evolve(after, **changes) if changes else after


def resolved_markup_problems(before: Record, after: Record) -> list[Problem]:
    """A warning for each stray brace or link leftover :func:`decode_resolved_text` drops from
    what arXiv filled in, naming the record's place (``title (arXiv): ...``)."""
    texts: list[tuple[str, str]] = []
    for name in _filled_by_arxiv(before, after):
        if name == "authors":
            parts = [part for person in after.authors for part in _parts(person) if part]
            texts += [("author (arXiv)", part) for part in parts]
        else:
            texts.append((f"{name} (arXiv)", getattr(after, name)))
    return _markup_problems(after, texts)


def default_steps(*, as_of: date) -> list[Step]:
    return [
        decode_listing_text,
        clean_fields,
        partial(resolve_date, as_of=as_of),
        map_categories,
    ]


def normalize_record(record: Record, steps: Sequence[Step]) -> Record:
    for step in steps:
        record = step(record)
    return record


def normalize_default(record: Record, *, as_of: date) -> Record:
    """``normalize_record(record, default_steps(as_of=as_of))``, making one copy of the record
    at most (each step makes its own; two for a listing entry whose text held LaTeX): what a
    big library's every record goes through."""
    if decoded := _decoded(record):
        record = evolve(record, **decoded)
    changes = _cleaned(record)
    if (found := _resolved(record.date, as_of)) is not record.date:
        changes["date"] = found
    if record.categories and (categories := _mapped(record.categories)) != record.categories:
        changes["categories"] = categories
    return evolve(record, **changes) if changes else record


def _holds_specials(person: Person) -> bool:
    parts = person.given + person.family + person.particle + person.suffix
    return _SPECIAL_FOUND.search(parts) is not None


@lru_cache(maxsize=4096)
def _unknown_categories(codes: tuple[str, ...]) -> list[str]:
    return [code for code in codes if normalize_category(code) is None]


def check(record: Record) -> list[Problem]:
    """Warnings about a normalized record (nothing is changed)."""
    where = record.provenance[0] if record.provenance else None
    source, line = (where.source, where.line) if where else (None, None)
    problems = []
    for code in _unknown_categories(record.categories):
        problems.append(Problem(f"unknown arXiv category {code!r} kept as written", source, line))
    for person in record.authors:
        if _holds_specials(person):
            message = f"author name {person.display()!r} holds LaTeX special characters"
            problems.append(Problem(message, source, line))
    if record.date is not None and record.date.year is None:
        problems.append(Problem("date has no year", source, line))
    return problems
