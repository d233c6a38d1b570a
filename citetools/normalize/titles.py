"""Case protection for titles: brace only the words whose capitals are inherent.

BibTeX styles lower-case titles (``change.case$``). A word keeps its case only inside braces, so
acronyms and mixed-case names must be protected: ``{BOOT}``, ``{DyDiT}++``, ``{ViT}``, ``{GPUs}``.
Ordinary capitalised words (``Efficient``) are not, so styles can still apply sentence case.
The record holds the plain title; protection is computed from it on output, so it is applied
exactly once however often a record is normalized.

Three kinds of words are protected (:func:`protected_spans`): those with inherent capitals; the
protected terms (:mod:`citetools.normalize.terms`: ``Gaussian``, ``Monte Carlo``, the Fisher of
``Fisher vector``); and a capitalised hyphenated name that opens the title before a colon
(``Lumos-Nexus: ...``, ``Ada-Retrieval: ...``), where a title names its method: elsewhere
``Multi-Round`` or ``Text-to-Image`` are ordinary compounds and are left to the style.

:func:`sentence_case` does for CSL what BibTeX styles do themselves: CSL cannot lower-case Title
Case data, so a formatted list in a sentence-case style (APA) gets its titles converted first.
"""

from __future__ import annotations

import re

from citetools.normalize.latex import escape_text, escapes_to_itself
from citetools.normalize.terms import DEFAULT_TERMS, ProtectedTerms

# A word for case purposes: a run of letters and digits (hyphens, apostrophes and other
# punctuation separate words, so ``Text-to-Image`` is three ordinary words).
_WORD = re.compile(r"[^\W_]+")
# In ASCII text (where _WORD is [A-Za-z0-9]+), the only words has_inherent_capitals can flag:
# those with a capital after the first character, and single capitals. Ordinary words are
# skipped by the regex engine instead of one by one. (A word's first character, the lower-case
# letters and digits up to its first later capital, then the rest, taken possessively: no
# backtracking through the word.)
ASCII_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z0-9][a-z0-9]*+[A-Z][A-Za-z0-9]*+|[A-Z](?![A-Za-z0-9]))"
)


def has_inherent_capitals(word: str, *, article_position: bool = True) -> bool:
    """True for words whose case must survive a style lower-casing the title.

    That is any capital after the first character (``BOOT``, ``ViT``, ``GPUs``, ``3D``, ``FP8``)
    and single capital letters (``K``-Amplitude, ``I``), except an ``A`` that stands where the
    article would: between spaces (``A Practical Guide``), not in ``Q&A``, ``A*`` or ``A/B``.
    """
    if len(word) == 1:
        return word.isupper() and not (word == "A" and article_position)
    rest = word[1:]
    if rest.isascii():
        return rest.lower() != rest  # lower() changes exactly the ASCII capitals
    return any(c.isupper() for c in rest)


def article_position(title: str, start: int, end: int) -> bool:
    """Whether the word at ``title[start:end]`` stands where an article would: between white
    space, or first and followed by it. A final word is never the article (``Plan A``)."""
    before = title[start - 1] if start > 0 else " "
    after = title[end] if end < len(title) else ""  # a final "A" is never the article
    return before.isspace() and after.isspace()


# A capitalised hyphenated name opening the title, before a colon: ``Lumos-Nexus:`` (each part
# starts with a letter; whether each is capitalised is checked apart).
_LEADING_NAME = re.compile(r"[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)+(?=\s?:)")


def leading_name(title: str) -> tuple[int, int] | None:
    """The span of a hyphenated name opening ``title`` before a colon, its parts capitalised
    but for small words inside (``Lumos-Nexus: ...``, ``One-for-All: ...``); None when the
    title opens otherwise."""
    found = _LEADING_NAME.match(title)
    if found is None:
        return None
    first, *inner, last = found.group().split("-")
    if not (first[:1].isupper() and last[:1].isupper()):
        return None
    if all(part[:1].isupper() or part in SMALL_WORDS for part in inner):
        return found.span()
    return None


def protected_spans(title: str, terms: ProtectedTerms = DEFAULT_TERMS) -> list[tuple[int, int]]:
    """The parts of ``title`` whose case must survive any style, left to right, none
    overlapping: words with inherent capitals, protected terms, a leading hyphenated name."""
    if title.isascii():  # (each candidate has inherent capitals, but "A" where an article is)
        found = ASCII_CANDIDATE.finditer(title)
        spans = [m.span() for m in found if m.group() != "A" or _inherent(m)]
    else:
        spans = [m.span() for m in _WORD.finditer(title) if _inherent(m)]
    spans.extend(terms.spans(title))
    name = leading_name(title)
    if name is not None:
        spans.append(name)
    if len(spans) < 2:
        return spans
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start < last_end:
            merged[-1] = (last_start, max(end, last_end))
        else:
            merged.append((start, end))
    return merged


def _inherent(match: re.Match[str]) -> bool:
    word = match.group()
    # Where the word stands only matters for "A".
    article = word == "A" and article_position(match.string, match.start(), match.end())
    return has_inherent_capitals(word, article_position=article)


def protect_title(title: str, terms: ProtectedTerms = DEFAULT_TERMS) -> str:
    """Plain title -> escaped LaTeX with the :func:`protected_spans` braced."""
    spans = protected_spans(title, terms)
    plain = title.isascii() and escapes_to_itself(title)  # the common case: only braces to add
    text = _same if plain else escape_text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out += (text(title[pos:start]), "{", text(title[start:end]), "}")
        pos = end
    out.append(text(title[pos:]))
    return "".join(out)


def _same(text: str) -> str:
    return text


# --- sentence case -----------------------------------------------------------------------------

# Words a Title Case title may leave in lower case (articles, conjunctions, prepositions: style
# guides differ on the long ones): they say nothing about which case a title is in.
SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "en", "for", "from", "if", "in", "into", "nor"}
    | {"of", "off", "on", "onto", "or", "over", "per", "so", "than", "the", "to", "up", "upon"}
    | {"via", "vs", "versus", "with", "yet", "about", "above", "across", "after", "against"}
    | {"along", "among", "around", "before", "behind", "below", "beneath", "beside", "between"}
    | {"beyond", "down", "during", "except", "inside", "like", "near", "out", "outside", "past"}
    | {"since", "through", "throughout", "toward", "towards", "under", "until", "unto", "within"}
    | {"without"}
)
# What joins a word to the one before it (``Text-to-Image``, ``Newton's``): such a word says
# nothing about the title's case either.
_JOINERS = frozenset("-'\u2019")
# What ends a title's sentence, after which sentence case keeps the next word's capital.
_BREAK = re.compile(r"[:?!\u2014]")


def _sentence_starts(title: str, words: list[re.Match[str]]) -> set[int]:
    """Indexes of the words that open the title or follow a colon, ``?``, ``!`` or dash."""
    starts = {0}
    for i in range(1, len(words)):
        if _BREAK.search(title, words[i - 1].end(), words[i].start()):
            starts.add(i)
    return starts


def is_title_case(title: str) -> bool:
    """Whether ``title`` is written in Title Case: of its words that could show it (not the
    first word of a sentence, not after a hyphen or apostrophe, not a small word, not a word
    with inherent capitals), at least four are capitalised for each one in lower case. A
    sentence-case title (``How PARTs assemble into wholes: Learning the relative ...``) has its
    capitals on purpose."""
    words = list(_WORD.finditer(title))
    starts = _sentence_starts(title, words)
    capitalised = lower = 0
    for i, match in enumerate(words):
        word = match.group()
        if i in starts or title[match.start() - 1 : match.start()] in _JOINERS:
            continue
        if word.casefold() in SMALL_WORDS or _inherent(match):
            continue
        capitalised += word[:1].isupper()
        lower += word[:1].islower()
    return capitalised > 0 and lower * 4 <= capitalised


def sentence_case(title: str, terms: ProtectedTerms = DEFAULT_TERMS) -> str:
    """A Title Case title in sentence case: capitalised words lowered, but for the
    :func:`protected_spans` (inherent capitals, protected terms, a leading hyphenated name) and
    the first word of the title and after a colon, ``?``, ``!`` or dash. A title that is not in
    Title Case (:func:`is_title_case`) comes back as it is: its capitals are meant."""
    if not is_title_case(title):
        return title
    words = list(_WORD.finditer(title))
    starts = _sentence_starts(title, words)
    keep = protected_spans(title, terms)
    out: list[str] = []
    done = k = 0
    for i, match in enumerate(words):
        start, end = match.span()
        while k < len(keep) and keep[k][1] <= start:
            k += 1
        if i in starts or (k < len(keep) and keep[k][0] <= start):
            continue
        lowered = match.group().lower()
        if len(lowered) == end - start:  # (not "İ", which lowers to two characters)
            out += (title[done:start], lowered)
            done = end
    out.append(title[done:])
    return "".join(out)
