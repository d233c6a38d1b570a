"""Person names: parsing listing names and .bib author fields, and writing BibTeX names.

Splitting follows BibTeX's own rules (first / von / last / jr) through bibtexparser's name
parser; on top of it we recognise corporate authors (``Inferix Team``), which must never be split,
suffixes written last in listings (``John Smith Jr.``), and ``et al.`` / ``others``, which mark a
truncated list rather than a person.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from citetools.model import Person
from citetools.normalize.latex import decode, escape

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}
_CORPORATE_WORDS = {
    "alliance",
    "association",
    "authors",
    "center",
    "centre",
    "collaboration",
    "committee",
    "community",
    "consortium",
    "contributors",
    "corporation",
    "council",
    "foundation",
    "group",
    "inc",
    "inc.",
    "initiative",
    "institute",
    "lab",
    "laboratory",
    "labs",
    "llc",
    "ltd",
    "ltd.",
    "network",
    "organisation",
    "organization",
    "project",
    "society",
    "team",
    "university",
}
_ET_AL = re.compile(r"^(?:et\.?\s*al\.?|others)$", re.IGNORECASE)


def is_et_al(text: str) -> bool:
    """``et al.``, ``et al``, ``others``: a truncation mark, never a person."""
    return bool(_ET_AL.match(text.strip()))


def is_et_al_person(person: Person) -> bool:
    return not person.given and not person.particle and is_et_al(person.family)


def is_corporate(name: str) -> bool:
    """A team, lab, consortium...: its last word (or any word) names an organisation."""
    words = name.lower().split()
    return len(words) > 1 and any(w in _CORPORATE_WORDS for w in words)


# Parsing a name takes bibtexparser some 20 us, and the same authors recur across a listing:
# the parsers below are pure, so their results are cached (Person is immutable), bounded so a
# huge input cannot grow the cache without limit.
_NAME_CACHE_SIZE = 1 << 15


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def parse_name(text: str) -> Person:
    """A plain-text name as a listing writes it (``Graham W. Taylor``) -> Person."""
    text = " ".join(text.split())
    if is_corporate(text):
        return Person(family=text, literal=True)
    words = text.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop()
        text = " ".join(words)
    parts = parse_single_name_into_parts(text, strict=False)
    return Person(
        given=" ".join(parts.first),
        particle=" ".join(parts.von),
        family=" ".join(parts.last),
        suffix=suffix or " ".join(parts.jr),
    )


def parse_bibtex_names(field: str) -> tuple[tuple[Person, ...], bool]:
    """A .bib ``author`` field (LaTeX) -> (persons, truncated by ``and others``)."""
    persons: list[Person] = []
    truncated = False
    for raw in split_multiple_persons_names(field):
        raw = raw.strip()
        if not raw:
            continue
        if is_et_al(raw):
            truncated = True
            continue
        persons.append(_parse_bibtex_name(raw))
    return tuple(persons), truncated


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def _parse_bibtex_name(raw: str) -> Person:
    """One name of a .bib ``author`` field (stripped, not empty, not ``others``) -> Person."""
    if raw.startswith("{") and raw.endswith("}") and _balanced_inner(raw):
        return Person(family=decode(raw[1:-1]), literal=True)
    parts = parse_single_name_into_parts(raw, strict=False)
    return Person(
        given=decode(" ".join(parts.first)),
        particle=decode(" ".join(parts.von)),
        family=decode(" ".join(parts.last)),
        suffix=decode(" ".join(parts.jr)),
    )


def _balanced_inner(text: str) -> bool:
    """True when the outer braces of ``{...}`` enclose the whole text as one group."""
    depth = 0
    for i, c in enumerate(text):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


# A comma or the word "and" (in any case, as BibTeX reads it) would split the name: a part
# that holds one is braced. "and" at a part's edge counts too: it meets the space that joins
# the parts (``Smith, And A`` is two names to BibTeX).
_SPLITS_NAME = re.compile(r"(?<!\S)and(?!\S)|,", re.IGNORECASE)
# A word starting with an ASCII lower-case letter (for ASCII text; see _has_lowercase_word).
_ASCII_LOWERCASE_WORD = re.compile(r"(?<!\S)[a-z]")


def _part(text: str) -> str:
    if not text:
        return ""
    latex = escape(text)
    if _SPLITS_NAME.search(text):
        return "{" + latex + "}"
    return latex


def _has_lowercase_word(text: str) -> bool:
    """True when a word of ``text`` (split at white space) starts with a lower-case letter."""
    if text.isascii():
        return _ASCII_LOWERCASE_WORD.search(text) is not None
    return any(w[:1].islower() for w in text.split())


@lru_cache(maxsize=_NAME_CACHE_SIZE)
def format_bibtex_name(person: Person) -> str:
    """``van Beethoven, Jr., Ludwig``; corporate names as one braced group. Cached: a library
    names the same people again and again."""
    if person.literal:
        return "{" + escape(person.family) + "}"
    family = escape(person.family)
    # A family name braced as a whole: one that would split (see _part), and 'van Gogh' or
    # 'Garcia y Lopez' held as the family name itself, where BibTeX would read the lower-case
    # words (and what comes before them) as a particle.
    if _SPLITS_NAME.search(person.family) or _has_lowercase_word(person.family):
        family = "{" + family + "}"
    particle = _part(person.particle)
    last = f"{particle} {family}" if particle and family else particle or family
    if not person.given and not person.suffix:
        return last
    if person.suffix:
        return f"{last}, {_part(person.suffix)}, {_part(person.given)}"
    return f"{last}, {_part(person.given)}"


def format_bibtex_authors(authors: tuple[Person, ...], truncated: bool) -> str:
    # Persons whose display() is empty (no name part at all) are left out.
    names = [
        format_bibtex_name(p) for p in authors if p.given or p.particle or p.family or p.suffix
    ]
    if truncated:
        names.append("others")
    return " and ".join(names)
