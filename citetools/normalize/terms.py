"""Protected terms: proper nouns whose capitals no citation style may lower (``Gaussian``,
``Monte Carlo``, ``Nesterov``, ``Fisher`` in ``Fisher vector``).

citetools ships its own list (``protected_terms.txt`` beside this module; its header says how
terms were chosen and written), in the spirit of JabRef's protected terms. A user extends it
with a file in the same syntax (:func:`read_terms`): one term a line, ``#`` comments. A term is
written as it must appear in a sentence-case title: its capitalised words must match exactly
and are the ones protected; its lower-case words match in any case and only say where the name
stands (``quasi-Newton``, ``Fisher vector``). Words are compared whole; a space or hyphen in a
term matches a space, hyphen or dash; the last word may take a plural ``s``.

:meth:`ProtectedTerms.spans` finds them in a plain title by looking up each word in an index of
the terms' first words: no pattern of hundreds of alternatives runs over every title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import pairwise
from os import PathLike, fspath

from citetools.errors import NormalizeError, ReadError
from citetools.files import read_text

SHIPPED = "protected_terms.txt"
# A word for case purposes (that of citetools.normalize.titles): hyphens, apostrophes and
# other punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
# Every byte but an ASCII letter or digit made a space (see ascii_words).
_ASCII_SPACES = bytes(c if c < 0x80 and chr(c).isalnum() else 0x20 for c in range(256))
# What may stand between two words of a term, by kind: a space, a hyphen or dash (one kind,
# so ``Monte Carlo`` finds ``Monte-Carlo``), an apostrophe (``Newton's``).
_GAP_KINDS = {**dict.fromkeys(" -\u2010\u2011\u2012\u2013\u2014", "-"), "'": "'", "\u2019": "'"}


@dataclass(frozen=True, slots=True)
class _Term:
    words: tuple[str, ...]  # as written: capitalised words exactly, the others casefolded
    capitalised: tuple[bool, ...]
    gaps: tuple[str, ...]  # the kind of what stands between word i and i + 1


@dataclass(frozen=True, slots=True)
class ProtectedTerms:
    """A set of terms, indexed by their first word (exact if capitalised, else casefolded)."""

    terms: tuple[str, ...]
    _index: dict[str, tuple[_Term, ...]] = field(init=False, repr=False, compare=False)
    # Every spelling a title may give a term's first word: as indexed, capitalised (Title
    # Case: ``Quasi``), with a plural ``s``. A title holding none of them holds no term.
    _starts: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, tuple[_Term, ...]] = {}
        for text in dict.fromkeys(self.terms):
            term = _parse(text)
            if term is not None:
                index[term.words[0]] = (*index.get(term.words[0], ()), term)
        starts = {f for k in index for w in (k, k[:1].upper() + k[1:]) for f in (w, w + "s")}
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_starts", frozenset(starts))

    def extended(self, terms: Iterable[str]) -> ProtectedTerms:
        """These terms and ``terms``."""
        return ProtectedTerms((*self.terms, *terms))

    def spans(self, title: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each run of protected words of ``title``, left to right; words
        joined by a space or hyphen within one term make one run (``Monte Carlo``)."""
        starts = self._starts
        if starts.isdisjoint(_words(title)):  # the common case
            return
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(title)]
        i = 0
        while i < len(words):
            found = self._match(title, words, i) if words[i][2] in starts else None
            if found is None:
                i += 1
                continue
            yield from _runs(words[i : i + len(found.words)], found)
            i += len(found.words)

    def _match(self, title: str, words: list[tuple[int, int, str]], i: int) -> _Term | None:
        """The longest term that starts at word ``i``, if any."""
        text = words[i][2]
        # (a lower-case first word of a term is capitalised in a Title Case title; a one-word
        # term may take a plural: Gaussians). Of two as long, the one found first: the word as
        # written before its other forms, so the result never depends on a set's order.
        best: _Term | None = None
        for key in (text, text.casefold(), text[:-1]):
            for term in self._index.get(key, ()):
                longer = best is None or len(term.words) > len(best.words)
                if longer and _matches(title, words, i, term):
                    best = term
        return best


def ascii_words(text: str, *, drop: bytes = b"") -> list[str]:
    """The runs of letters and digits of ASCII ``text``, once the characters of ``drop`` are
    removed: what ``re.findall(r"[A-Za-z0-9]+", ...)`` finds, in a third of its time (every
    other character made a space, then ``str.split``)."""
    return text.encode("ascii").translate(_ASCII_SPACES, drop).decode("ascii").split()


def _words(text: str) -> list[str]:
    """The words of ``text``, as ``_WORD.findall`` gives them."""
    return ascii_words(text) if text.isascii() else _WORD.findall(text)


def _parse(text: str) -> _Term | None:
    """The term ``text`` (one line of a terms file, stripped), or None when it has no word."""
    matches = list(_WORD.finditer(text))
    if not matches:
        return None
    words = tuple(m.group() for m in matches)
    capitalised = tuple(w[:1].isupper() for w in words)
    gaps = tuple(_GAP_KINDS.get(text[a.end() : b.start()], "?") for a, b in pairwise(matches))
    if "?" in gaps:
        raise ValueError(f"{text!r}: words may be joined only by a space, hyphen or apostrophe")
    if not any(capitalised):
        raise ValueError(
            f"{text!r} has no capitalised word: write the term as it must appear in a "
            f"sentence-case title (e.g. {text.title()!r})"
        )
    folded = tuple(w if cap else w.casefold() for w, cap in zip(words, capitalised, strict=True))
    return _Term(folded, capitalised, gaps)


def _word_matches(word: str, term: _Term, j: int, *, last: bool) -> bool:
    wanted = term.words[j]
    candidates = (word, word[:-1]) if last and word.endswith("s") else (word,)
    if term.capitalised[j]:
        return wanted in candidates
    return wanted in (c.casefold() for c in candidates)


def _matches(title: str, words: list[tuple[int, int, str]], i: int, term: _Term) -> bool:
    n = len(term.words)
    if i + n > len(words):
        return False
    for j in range(n):
        if not _word_matches(words[i + j][2], term, j, last=j == n - 1):
            return False
        if j and _GAP_KINDS.get(title[words[i + j - 1][1] : words[i + j][0]]) != term.gaps[j - 1]:
            return False
    return True


def _runs(matched: list[tuple[int, int, str]], term: _Term) -> Iterator[tuple[int, int]]:
    """The spans of the term's capitalised words, those next to each other joined."""
    run: tuple[int, int] | None = None
    for (start, end, _), capitalised in zip(matched, term.capitalised, strict=True):
        if not capitalised:
            if run is not None:
                yield run
            run = None
        elif run is None:
            run = (start, end)
        else:
            run = (run[0], end)
    if run is not None:
        yield run


def parse_terms(text: str, *, source: str | None = None) -> tuple[str, ...]:
    """The terms of a terms file's text. A term with no capitalised word, or with words joined
    by anything but a space, hyphen or apostrophe, raises :class:`NormalizeError` naming the
    line."""
    terms: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        term = " ".join(line.split("#", 1)[0].split())
        if term:
            terms.append(_checked(term, source, number))
    return tuple(terms)


def _checked(term: str, source: str | None = None, line: int | None = None) -> str:
    try:
        _parse(term)
    except ValueError as error:
        raise NormalizeError(f"protected term {error}", source=source, line=line) from None
    return term


def shipped_terms() -> ProtectedTerms:
    """citetools' own list."""
    text = files("citetools.normalize").joinpath(SHIPPED).read_text(encoding="utf-8")
    return ProtectedTerms(parse_terms(text, source=SHIPPED))


DEFAULT_TERMS = shipped_terms()


def read_terms(path: str) -> tuple[str, ...]:
    """The terms of the terms file at ``path`` (UTF-8, or as :func:`citetools.files.read_text`
    decodes it); an unreadable file raises :class:`~citetools.errors.ReadError`."""
    try:
        text = read_text(path)
    except ReadError as error:
        raise ReadError(f"cannot read protected terms: {error.message}", source=path) from None
    return parse_terms(text, source=path)


TermsOption = str | PathLike[str] | Iterable[str] | ProtectedTerms | None


def load_terms(option: TermsOption = None) -> ProtectedTerms:
    """The terms an exporter protects: the shipped list, plus those of a terms file (a path)
    or given as strings; a :class:`ProtectedTerms` as it is."""
    if option is None:
        return DEFAULT_TERMS
    if isinstance(option, ProtectedTerms):
        return option
    if isinstance(option, str | PathLike):
        return DEFAULT_TERMS.extended(read_terms(fspath(option)))
    return DEFAULT_TERMS.extended(_checked(" ".join(term.split())) for term in option)
