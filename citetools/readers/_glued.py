"""Author lines of listing pages, and the "feed" layout's title glued to its authors.

The feed layout prints ``<title><first author>, <more authors> et al. · <org>, <org>`` on one
line, with nothing between the title and the first author. :func:`split_glued` parses such a
line from the right and picks the split point whose right side looks most like a person name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

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
#: What a title that :func:`_title_is_broken` can end with.
_BROKEN_ENDS = frozenset({"-", *_APOSTROPHES, *(prefix[-1] for prefix in _HUMP_PREFIXES)})
# No name is longer than this (5 words, 3 particles, a suffix); bounds the work on long input.
_MAX_NAME_TOKENS = 9
_MAX_NAME_CHARS = 150
_ET_AL = re.compile(r"(?:^|[\s,])et\s{1,9}al\.?$", re.IGNORECASE)
_ET_AL_ENDS = ("l", "L", ".")  # what ``_ET_AL`` can end with (checked over all of Unicode)
_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
_WORD_RUN = re.compile(r"\S+\s*")
_WORD_BEFORE_SPACE = re.compile(r"\S+(?=\s)")
# A character after a non-space one that may be a capital (no ASCII character but ``A-Z`` is);
# ``str.isupper`` decides. The class is tested first: it fails far more often than ``\S``.
# Regex ``\s`` is exactly ``str.isspace``.
_MAYBE_GLUED_CAPITAL = re.compile(r"[A-Z\x80-\U0010ffff](?<=\S.)", re.DOTALL)
# The last mark of what no token with a kind holds (checked against ``_token_kind``): four
# ASCII lowercase letters and a capital (hump prefixes have three at most), or an ASCII
# character but a letter, ``'``, ``.``, ``-``, whitespace (between tokens) and ``,`` (which
# ``Smith, Jr.`` may hold). A glue point before its last character has all of it in one token
# of its right side, which is then no name; so the search for glue points starts there. The
# mark is usually in the word that a title is glued to (``GridTianyu``, ``Net)Yu``).
_LAST_NOT_IN_NAME = re.compile(r".*(?:[a-z]{4}[A-Z]|[\x00-\x08\x0e-\x1b!-&(-+/-@\[-`{-\x7f])", re.S)
# ``_is_initials`` and ``_is_word`` on ASCII tokens, where capitals are ``A-Z``, lowercase
# letters ``a-z`` and apostrophes ``'``. One hump prefix at most can be followed by a capital,
# and then neither ``[dl]'`` nor a plain capitalised word fits, so alternatives do not widen.
_ASCII_INITIALS = r"[A-Z]|(?:[A-Z][a-z]{0,2}\.)+(?:-(?:[A-Z][a-z]{0,2}\.)+)*"
_ASCII_PLAIN = r"[A-Z](?:[a-z]+(?:'[A-Za-z][a-z]*)*|(?:'[A-Za-z][a-z]*)+)"  # 2+ characters
_ASCII_CAPWORD = rf"(?:(?:{'|'.join(_HUMP_PREFIXES)})(?=[A-Z])|[dl]')?{_ASCII_PLAIN}"
_ASCII_WORD = rf"(?:(?:{_ASCII_CAPWORD}|{'|'.join(_PARTICLES)})-)*{_ASCII_CAPWORD}"
_ASCII_KIND = re.compile(rf"(?P<word>{_ASCII_WORD})|(?P<initial>{_ASCII_INITIALS})")
# Pure per-token checks are cached: names and title words repeat across a listing.
_CACHE_SIZE = 1 << 16

# Candidate kinds, best first.
_STRICT, _PARTICLE_GLUE, _MONONYM = 0, 1, 2


class AuthorLine(NamedTuple):
    """Authors as written, whether the list ended in ``et al.``, and the org tags."""

    names: tuple[str, ...]
    truncated: bool
    orgs: tuple[str, ...]


class GluedSplit(NamedTuple):
    """A glued line split into title and authors; ``certain`` is False for a best guess."""

    title: str
    authors: AuthorLine
    certain: bool


def parse_author_line(text: str) -> AuthorLine:
    """Parse a clean author line such as ``Kaiwen Yang, Yanchao Sun et al. · uw``."""
    body, truncated, orgs = _strip_tail(text)
    return AuthorLine(names=tuple(_name_parts(body)[1]), truncated=truncated, orgs=orgs)


def split_glued(line: str) -> GluedSplit:
    """Split ``<title><first author>, ... et al. · tags`` into title and authors.

    Never raises. ``title + authors.names[0]`` is always a prefix of the stripped line.
    """
    body, truncated, orgs = _strip_tail(line)
    names = list(map(str.strip, body.split(",")))
    if all(names) and _SUFFIXES.isdisjoint(names):
        # The usual line: ``_name_parts`` would give these names, the first one from 0 on.
        # With a strict split in the first part and plausible later ones, none ranks better.
        found = _best_in_part(body, 0, names[0])
        if found is not None and found[0] == 0 and found[1] == _STRICT:
            glue, later = found[2], names[1:]
            if all(map(_plausible_coauthor, later)):
                authors = AuthorLine((body[glue : len(names[0])], *later), truncated, orgs)
                return GluedSplit(body[:glue], authors, certain=True)
    spans, names = _name_parts(body)
    bad_after = [0] * len(spans)  # how many later parts are not plausible author names
    for index in range(len(spans) - 2, -1, -1):
        bad_after[index] = bad_after[index + 1] + (not _plausible_coauthor(names[index + 1]))
    best: tuple[int, int, int, int, int] | None = None  # (bad, broken, kind, index, glue)
    for index, (start, end) in enumerate(spans):
        bad = bad_after[index]
        if best is not None and best[:3] == (bad, 0, _STRICT):
            continue  # no split in this part can rank better (``bad_after`` never grows)
        found = _best_in_part(body, start, body[start:end])
        if found is not None:
            broken, kind, glue = found
            if best is None or (bad, broken, kind, index, glue) < best:
                best = (bad, broken, kind, index, glue)
    if best is not None:
        bad, broken, kind, index, glue = best
        certain = bad == 0 and not broken and kind == _STRICT
    else:
        guess = _best_guess(body, spans)
        if guess is None:
            return GluedSplit(body, AuthorLine((), truncated, orgs), certain=False)
        (glue, index), certain = guess, False
    authors = AuthorLine((body[glue : spans[index][1]], *names[index + 1 :]), truncated, orgs)
    return GluedSplit(body[:glue], authors, certain=certain)


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
    if kinds.count("word") == len(kinds) <= 5:
        return True  # the usual name, and what the checks below allow
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


def _strip_tail(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """Remove `` · tags`` and a trailing ``et al.``: (rest, truncated, orgs)."""
    body = text.strip()
    orgs: tuple[str, ...] = ()
    mark = body.rfind("\u00b7")  # the last ``\s·``; two of them never overlap
    while mark > 0 and not body[mark - 1].isspace():
        mark = body.rfind("\u00b7", 0, mark)
    if mark > 0:
        orgs = tuple([tag for tag in map(str.strip, body[mark + 1 :].split(",")) if tag])
        body = body[: mark - 1].rstrip()
    if not body.endswith(_ET_AL_ENDS):
        return body, False, orgs  # the regex needs this end; no other character folds to them
    if body.endswith(" et al."):
        end = len(body) - 7  # where the regex match starts (``et`` is not at the tail's start)
    else:
        tail = body[-40:]  # bounded: regex searches over long whitespace runs are quadratic
        et_al = _ET_AL.search(tail)
        if et_al is None:
            return body, False, orgs
        end = len(body) - len(tail) + et_al.start()
    while end > 0 and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return body[:end], True, orgs


def _name_parts(body: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The comma-separated parts, ``Jr.``-like parts joined to the one before: spans, texts."""
    spans: list[tuple[int, int]] = []
    names: list[str] = []
    start = 0
    for part in body.split(","):
        name = part.strip()
        if name:
            first = start + part.find(name)  # only whitespace is before it
            if spans and name in _SUFFIXES:
                spans[-1] = (spans[-1][0], first + len(name))
                names[-1] = body[spans[-1][0] : first + len(name)]
            else:
                spans.append((first, first + len(name)))
                names.append(name)
        start += len(part) + 1
    return spans, names


def _tail_start(segment: str) -> int:
    """Where the last characters that could still hold one name begin."""
    words = _WORD_RUN.findall(segment[-_MAX_NAME_CHARS:])
    tail = "".join(words[-_MAX_NAME_TOKENS:])
    return len(segment) - len(tail.lstrip())


def _best_in_part(body: str, start: int, segment: str) -> tuple[int, int, int] | None:
    """The least (broken, kind, glue) of the splits in ``segment``, the part of ``body`` at
    ``start``: glue points before a name or a mononym, and the particle glue point."""
    best: tuple[int, int, int] | None = None
    # From the last mark in the tail's window on: glue points in the window before the tail
    # have over ``_MAX_NAME_TOKENS`` tokens after them.
    marked = _LAST_NOT_IN_NAME.match(segment, max(0, len(segment) - _MAX_NAME_CHARS))
    position = _tail_start(segment) if marked is None else marked.end() - 1
    while match := _MAYBE_GLUED_CAPITAL.search(segment, position):
        offset = match.start()
        position = offset + 1
        if not match.group().isupper() or segment[position : position + 1].isupper():
            continue  # not a glue point; or see _right_kind
        kind = _right_kind(segment[offset:])
        if kind is None:
            continue
        glue = start + offset
        broken = int(body[glue - 1] in _BROKEN_ENDS and _title_is_broken(body, glue))
        if not broken and kind == _STRICT:
            return 0, _STRICT, glue  # the least rank: later glue points and particles rank worse
        if best is None or (broken, kind, glue) < best:
            best = (broken, kind, glue)
    particle = _particle_glue_point(segment, _tail_start(segment))
    if particle is not None:
        glue = start + particle
        found = (int(_title_is_broken(body, glue)), _PARTICLE_GLUE, glue)
        if best is None or found < best:
            best = found
    return best


@lru_cache(maxsize=_CACHE_SIZE)
def _right_kind(text: str) -> int | None:
    """How ``text``, right of a glue point, reads: a name, a mononym, or neither (None).

    Cached: most names recur in a listing. Neither when ``text[1]`` is a capital: only a
    suffix allows one there, and a suffix is neither a mononym nor first in a name.
    """
    tokens = text.split()
    if len(tokens) == 1:
        return _MONONYM if _token_kind(tokens[0]) == "word" else None
    return _STRICT if _is_person_name(tokens) else None


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
        for match in _MAYBE_GLUED_CAPITAL.finditer(segment, max(1, _tail_start(segment))):
            offset = match.start()
            if match.group().isupper() and _name_shaped(segment[offset:]):
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
    if _right_kind(name) is not None:  # shares its cache with first authors
        return True
    return any(c.isalpha() for c in name) and all(
        (c.isalpha() and not c.isupper() and not c.islower()) or c.isspace() or c in "\u00b7\u30fb"
        for c in name
    )


@lru_cache(maxsize=_CACHE_SIZE)
def _token_kind(token: str) -> str | None:
    if token in _SUFFIXES:
        return "suffix"
    if token in _PARTICLES:
        return "particle"
    if token.isascii():  # the checks below, as one regex
        kind = _ASCII_KIND.fullmatch(token)
        return None if kind is None else kind.lastgroup
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
