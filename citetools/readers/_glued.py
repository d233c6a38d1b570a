"""Author lines of listing pages, and the "feed" layout's title glued to its authors.

The feed layout prints ``<title><first author>, <more authors> et al. · <org>, <org>`` on one
line, with nothing between the title and the first author. :func:`split_glued` parses such a
line from the right and picks the split point whose right side looks most like a person name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "AuthorLine",
    "GluedSplit",
    "looks_like_person_name",
    "parse_author_line",
    "split_glued",
]

#: Lowercase name particles (``Ludwig van Beethoven``, ``Maria de la Cruz``).
_PARTICLES = frozenset(
    {
        "van", "von", "vom", "zu", "de", "der", "den", "del", "della", "dei", "degli", "da",
        "dal", "dalla", "di", "du", "dos", "das", "do", "des", "la", "le", "lo", "ten", "ter",
        "bin", "binti", "ibn", "al", "el", "y", "af", "av",
    }
)  # fmt: skip
#: Capitalised prefixes allowed before an inner capital (``McKenzie``, ``LeCun``, ``DiCaprio``).
_HUMP_PREFIXES = ("Fitz", "Mac", "Van", "Von", "Del", "Mc", "De", "Di", "Du", "Da", "La", "Le")
_HUMP_STARTS = frozenset(prefix[:2] for prefix in _HUMP_PREFIXES)
#: Particles of two letters or more, which may be glued to the end of a title.
_GLUE_PARTICLES = frozenset(p for p in _PARTICLES if len(p) >= 2)
_LONGEST_PARTICLE = max(map(len, _GLUE_PARTICLES))
_GLUE_PARTICLE_ENDS = frozenset(p[-1] for p in _GLUE_PARTICLES)
_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_APOSTROPHES = "'\u2019"
# No name is longer than this (5 words, 3 particles, a suffix); bounds the work on long input.
_MAX_NAME_TOKENS = 9
_MAX_NAME_CHARS = 150
_TAG_MARK = re.compile(r"\s\u00b7")
_ET_AL = re.compile(r"(?:^|[\s,])et\s{1,9}al\.?$", re.IGNORECASE)
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_WORD_RUN = re.compile(r"\S+\s*")
_WORD_BEFORE_SPACE = re.compile(r"\S+(?=\s)")
# A character after a non-space one that may be a capital (spaces, ``a-z``, digits and common
# punctuation never are); ``str.isupper`` decides. Regex ``\s`` is exactly ``str.isspace``.
_MAYBE_GLUED_CAPITAL = re.compile(r"(?<=\S)[^\sa-z0-9\-:()+.,?'\"]")
_SIMPLE_CAPWORD = re.compile(r"[A-Z][a-z]+")  # what most name words look like
# Pure per-token checks are cached: names and title words repeat across a listing.
_CACHE_SIZE = 1 << 16

# Candidate kinds, best first.
_STRICT, _PARTICLE_GLUE, _MONONYM = 0, 1, 2


@dataclass(frozen=True, slots=True)
class AuthorLine:
    """Authors as written, whether the list ended in ``et al.``, and the org tags."""

    names: tuple[str, ...]
    truncated: bool
    orgs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GluedSplit:
    """A glued line split into title and authors; ``certain`` is False for a best guess."""

    title: str
    authors: AuthorLine
    certain: bool


def parse_author_line(text: str) -> AuthorLine:
    """Parse a clean author line such as ``Kaiwen Yang, Yanchao Sun et al. · uw``."""
    body, truncated, orgs = _strip_tail(text)
    names = tuple(body[start:end] for start, end in _name_spans(body))
    return AuthorLine(names=names, truncated=truncated, orgs=orgs)


def split_glued(line: str) -> GluedSplit:
    """Split ``<title><first author>, ... et al. · tags`` into title and authors.

    Never raises. ``title + authors.names[0]`` is always a prefix of the stripped line.
    """
    body, truncated, orgs = _strip_tail(line)
    spans = _name_spans(body)
    bad_after = [0] * len(spans)  # how many later parts are not plausible author names
    for index in range(len(spans) - 2, -1, -1):
        start, end = spans[index + 1]
        bad_after[index] = bad_after[index + 1] + (not _plausible_coauthor(body[start:end]))
    best: tuple[tuple[int, int, int, int, int], int] | None = None  # (rank, span index)
    for index, (start, end) in enumerate(spans):
        if best is not None and best[0][:4] < (bad_after[index], 0, _STRICT, index):
            continue  # no split in this part can rank better
        for offset, kind in _candidates(body[start:end]):
            broken = int(_title_is_broken(body, start + offset))
            rank = (bad_after[index], broken, kind, index, start + offset)
            if best is None or rank < best[0]:
                best = (rank, index)
            if not broken and kind == _STRICT:
                break  # later candidates of this part have a worse kind or a later offset
    if best is not None:
        (bad, broken, kind, _, glue), index = best
        certain = bad == 0 and not broken and kind == _STRICT
        return _result(body, glue, spans[index:], truncated, orgs, certain=certain)
    guess = _best_guess(body, spans)
    if guess is None:
        return GluedSplit(body, AuthorLine((), truncated, orgs), certain=False)
    glue, index = guess
    return _result(body, glue, spans[index:], truncated, orgs, certain=False)


def looks_like_person_name(text: str) -> bool:
    """Whether ``text`` reads as one person's full name (2+ tokens, at most 5 name words)."""
    return _is_person_name(text.split())


def _is_person_name(tokens: list[str]) -> bool:
    """:func:`looks_like_person_name` on ``text.split()``; may change ``tokens``."""
    if not 2 <= len(tokens) <= _MAX_NAME_TOKENS:
        return False  # more tokens always break one of the limits below
    if len(tokens) >= 3 and tokens[-1] in _SUFFIXES and tokens[-2].endswith(","):
        tokens[-2] = tokens[-2][:-1]  # "John Smith, Jr."
    kinds = list(map(_token_kind, tokens))
    if None in kinds or "suffix" in kinds[:-1]:
        return False
    core = kinds[:-1] if kinds[-1] == "suffix" else kinds
    words = core.count("word")
    initials = core.count("initial")
    return (
        len(core) >= 2
        and words >= 1
        and words + initials <= 5
        and core.count("particle") <= 3
        and core[-1] != "particle"
    )


def _result(
    body: str,
    glue: int,
    spans: list[tuple[int, int]],
    truncated: bool,
    orgs: tuple[str, ...],
    *,
    certain: bool,
) -> GluedSplit:
    names = (body[glue : spans[0][1]], *(body[s:e] for s, e in spans[1:]))
    return GluedSplit(body[:glue], AuthorLine(names, truncated, orgs), certain=certain)


def _strip_tail(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """Remove `` · tags`` and a trailing ``et al.``: (rest, truncated, orgs)."""
    body = text.strip()
    orgs: tuple[str, ...] = ()
    marks = list(_TAG_MARK.finditer(body))
    if marks:
        tags = body[marks[-1].end() :]
        orgs = tuple(tag.strip() for tag in tags.split(",") if tag.strip())
        body = body[: marks[-1].start()].rstrip()
    tail = body[-40:]  # bounded: regex searches over long whitespace runs are quadratic
    et_al = _ET_AL.search(tail)
    if et_al is None:
        return body, False, orgs
    end = len(body) - len(tail) + et_al.start()
    while end > 0 and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return body[:end], True, orgs


def _name_spans(body: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts, ``Jr.``-like parts joined to the one before."""
    spans: list[tuple[int, int]] = []
    start = 0
    for part in body.split(","):
        stripped = part.strip()
        if stripped:
            first = start + len(part) - len(part.lstrip())
            last = first + len(stripped)
            if spans and stripped in _SUFFIXES:
                spans[-1] = (spans[-1][0], last)
            else:
                spans.append((first, last))
        start += len(part) + 1
    return spans


def _glue_points(segment: str, tail: int) -> list[int]:
    """Offsets of capitals directly after a non-space character, from ``tail`` on."""
    found = _MAYBE_GLUED_CAPITAL.finditer(segment, max(1, tail))
    return [match.start() for match in found if match.group().isupper()]


def _tail_start(segment: str) -> int:
    """Where the last characters that could still hold one name begin."""
    words = _WORD_RUN.findall(segment[-_MAX_NAME_CHARS:])
    tail = "".join(words[-_MAX_NAME_TOKENS:])
    return len(segment) - len(tail.lstrip())


def _candidates(segment: str) -> Iterator[tuple[int, int]]:
    """Valid split offsets in one comma-separated part, with their kind: the glue points in
    order, then the particle glue point. Lazy, so that the caller can stop early."""
    tail = _tail_start(segment)
    for offset in _glue_points(segment, tail):
        tokens = segment[offset:].split()
        if len(tokens) == 1:
            if _token_kind(tokens[0]) == "word":
                yield offset, _MONONYM
        elif _is_person_name(tokens):
            yield offset, _STRICT
    particle = _particle_glue_point(segment, tail)
    if particle is not None:
        yield particle, _PARTICLE_GLUE


def _particle_glue_point(segment: str, tail: int) -> int | None:
    """Where a lowercase particle is glued to the word before it (``Symphoniesvan der Berg``).

    The glued word also reads as a capitalised name word, so the last such word wins, and in
    it the longest particle (``Modellidella Rosa`` -> ``della Rosa``).
    """
    for match in reversed(list(_WORD_BEFORE_SPACE.finditer(segment, tail))):
        word = match.group()
        if word[-1] not in _GLUE_PARTICLE_ENDS:
            continue
        for size in range(min(_LONGEST_PARTICLE, len(word) - 1), 1, -1):  # longest first
            if word[-size:] in _GLUE_PARTICLES:
                # Any particle makes the same first token kind, so only the longest is tried.
                offset = match.end() - size
                if looks_like_person_name(segment[offset:]):
                    return offset
                break
    return None


def _title_is_broken(body: str, glue: int) -> bool:
    """A title cut inside a name: ending in ``-``, or in a whole word ``Mc``, ``Le``, ``O'``."""
    if body[glue - 1] == "-":
        return True
    start = glue
    while start > 0 and not body[start - 1].isspace() and glue - start <= 4:
        start -= 1
    if start > 0 and not body[start - 1].isspace():
        return False
    last = body[start:glue]
    return last in _HUMP_PREFIXES or (
        len(last) == 2 and last[0].isupper() and last[1] in _APOSTROPHES
    )


def _best_guess(body: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """When no split looks right: a glue point whose right side is at least name-shaped."""
    guesses: list[tuple[tuple[int, int, int], int, int]] = []
    for index, (start, end) in enumerate(spans):
        segment = body[start:end]
        for offset in _glue_points(segment, _tail_start(segment)):
            if _name_shaped(segment[offset:]):
                before = segment[offset - 1]
                weak = before.isupper() or before in "-" + _APOSTROPHES
                guesses.append(((int(weak), index, offset), start + offset, index))
    if not guesses:
        return None
    _, glue, index = min(guesses)
    return glue, index


def _name_shaped(text: str) -> bool:
    """Loose shape: 1-6 capitalised (or particle) tokens of letters, ``-``, ``.``, ``'``."""
    tokens = text.split()
    return 1 <= len(tokens) <= 6 and all(
        (token[0].isupper() or token in _PARTICLES)
        and all(_is_letter(c) or c in "-." + _APOSTROPHES for c in token)
        for token in tokens
    )


@lru_cache(maxsize=_CACHE_SIZE)
def _plausible_coauthor(name: str) -> bool:
    """A later author: a person name, a mononym, or a name in a script without case."""
    if looks_like_person_name(name) or _is_mononym(name):
        return True
    return any(c.isalpha() for c in name) and all(
        (c.isalpha() and not c.isupper() and not c.islower()) or c.isspace() or c in "\u00b7\u30fb"
        for c in name
    )


def _is_mononym(text: str) -> bool:
    tokens = text.split()
    return len(tokens) == 1 and _token_kind(tokens[0]) == "word"


@lru_cache(maxsize=_CACHE_SIZE)
def _token_kind(token: str) -> str | None:
    if token in _SUFFIXES:
        return "suffix"
    if token in _PARTICLES:
        return "particle"
    if _is_initials(token):
        return "initial"
    if _is_word(token):
        return "word"
    return None


def _is_initials(token: str) -> bool:
    """``W``, ``W.``, ``J.R.R.``, ``J.-P.``, ``Ch.``."""
    if len(token) == 1:
        return token.isupper()
    for piece in token.split("-"):
        if not piece.endswith("."):
            return False
        for group in piece[:-1].split("."):
            if not (1 <= len(group) <= 3 and group[0].isupper() and _all_lower(group[1:])):
                return False
    return True


def _is_word(token: str) -> bool:
    """A capitalised name word, possibly hyphenated: ``El-Nouby``, ``al-Farabi``."""
    if _SIMPLE_CAPWORD.fullmatch(token):
        return True  # the common case; no particle is capitalised
    parts = token.split("-")
    if not all(_is_capword(part) or part in _PARTICLES for part in parts):
        return False
    return parts[-1] not in _PARTICLES


def _is_capword(part: str) -> bool:
    for prefix in _HUMP_PREFIXES if part[:2] in _HUMP_STARTS else ():
        if part.startswith(prefix) and len(part) > len(prefix) and part[len(prefix)].isupper():
            return _plain_capword(part[len(prefix) :])
    if len(part) > 2 and part[0] in "dl" and part[1] in _APOSTROPHES:
        return _plain_capword(part[2:])
    return _plain_capword(part)


def _plain_capword(part: str) -> bool:
    """``Smith``, ``O'Brien``, ``Zoë``: a capital, then lowercase (apostrophes may restart)."""
    pieces = _APOSTROPHE.split(part)
    if len(part) < 2 or not pieces[0] or not pieces[0][0].isupper():
        return False
    if not _all_lower(pieces[0][1:]):
        return False
    return all(p and _is_letter(p[0]) and _all_lower(p[1:]) for p in pieces[1:])


def _all_lower(text: str) -> bool:
    if text.isascii():
        return not text or (text.isalpha() and text.islower())
    return all(c.islower() or unicodedata.category(c).startswith("M") for c in text)


def _is_letter(char: str) -> bool:
    return char.isalpha() or unicodedata.category(char).startswith("M")
