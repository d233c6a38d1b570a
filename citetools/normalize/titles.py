"""Case protection for titles: brace only the words whose capitals are inherent.

BibTeX styles lower-case titles (``change.case$``). A word keeps its case only inside braces, so
acronyms and mixed-case names must be protected: ``{BOOT}``, ``{DyDiT}++``, ``{ViT}``, ``{GPUs}``.
Ordinary capitalised words (``Efficient``) are not, so styles can still apply sentence case.
The record holds the plain title; protection is computed from it on output, so it is applied
exactly once however often a record is normalized.
"""

from __future__ import annotations

import re

from citetools.normalize.latex import escape, escapes_to_itself

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


def protect_title(title: str) -> str:
    """Plain title -> escaped LaTeX with inherent capitals braced."""
    if title.isascii() and escapes_to_itself(title):  # the common case: only braces to add
        return ASCII_CANDIDATE.sub(_brace_inherent, title)
    out: list[str] = []
    pos = 0
    words = ASCII_CANDIDATE if title.isascii() else _WORD
    for match in words.finditer(title):
        word = match.group()
        start, end = match.span()
        # Where the word stands only matters for "A".
        article = word == "A" and article_position(title, start, end)
        if not has_inherent_capitals(word, article_position=article):
            continue
        out.append(escape(title[pos:start]))
        out.append("{" + escape(word) + "}")
        pos = end
    out.append(escape(title[pos:]))
    return "".join(out)


def _brace_inherent(match: re.Match[str]) -> str:
    """A candidate word of an ASCII title, braced if its capitals are inherent."""
    word = match.group()
    article = word == "A" and article_position(match.string, match.start(), match.end())
    return "{" + word + "}" if has_inherent_capitals(word, article_position=article) else word
