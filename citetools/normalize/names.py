"""Person names: parsing listing names and .bib author fields, and writing BibTeX names.

Splitting follows BibTeX's own rules (first / von / last / jr) through bibtexparser's name
parser; on top of it we recognise corporate authors (``Inferix Team``), which must never be split,
suffixes written last in listings (``John Smith Jr.``), and ``et al.`` / ``others``, which mark a
truncated list rather than a person.
"""

from __future__ import annotations

import re

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


def is_corporate(name: str) -> bool:
    """A team, lab, consortium...: its last word (or any word) names an organisation."""
    words = name.lower().split()
    return len(words) > 1 and any(w in _CORPORATE_WORDS for w in words)


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
        if raw.startswith("{") and raw.endswith("}") and _balanced_inner(raw):
            persons.append(Person(family=decode(raw[1:-1]), literal=True))
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        persons.append(
            Person(
                given=decode(" ".join(parts.first)),
                particle=decode(" ".join(parts.von)),
                family=decode(" ".join(parts.last)),
                suffix=decode(" ".join(parts.jr)),
            )
        )
    return tuple(persons), truncated


def _balanced_inner(text: str) -> bool:
    """True when the outer braces of ``{...}`` enclose the whole text as one group."""
    depth = 0
    for i, c in enumerate(text):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _part(text: str) -> str:
    latex = escape(text)
    # A bare " and " or a comma inside a part would split the name: brace the part.
    if re.search(r"\sand\s|,", text, re.IGNORECASE):
        return "{" + latex + "}"
    return latex


def format_bibtex_name(person: Person) -> str:
    """``van Beethoven, Jr., Ludwig``; corporate names as one braced group."""
    if person.literal:
        return "{" + escape(person.family) + "}"
    family = _part(person.family)
    words = person.family.split()
    lower = any(w[:1].islower() for w in words)
    if lower and family != "{" + escape(person.family) + "}":  # not braced whole already
        # 'van Gogh' or 'Garcia y Lopez' held as the family name itself: braced, or BibTeX
        # reads the lower-case words (and what comes before them) as a particle
        family = "{" + family + "}"
    last = " ".join(p for p in (_part(person.particle), family) if p)
    if not person.given and not person.suffix:
        return last
    pieces = [last]
    if person.suffix:
        pieces.append(_part(person.suffix))
    pieces.append(_part(person.given))
    return ", ".join(pieces)


def format_bibtex_authors(authors: tuple[Person, ...], truncated: bool) -> str:
    names = [format_bibtex_name(p) for p in authors if p.display()]
    if truncated:
        names.append("others")
    return " and ".join(names)
