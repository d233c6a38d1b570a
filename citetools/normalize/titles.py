"""Case protection for titles: brace only the words whose capitals are inherent.

BibTeX styles lower-case titles (``change.case$``). A word keeps its case only inside braces, so
acronyms and mixed-case names must be protected: ``{BOOT}``, ``{DyDiT}++``, ``{ViT}``, ``{GPUs}``.
Ordinary capitalised words (``Efficient``) are not, so styles can still apply sentence case.
The record holds the plain title; protection is computed from it on output, so it is applied
exactly once however often a record is normalized.
"""

from __future__ import annotations

import re

from citetools.normalize.latex import escape

# A word for case purposes: a run of letters and digits (hyphens, apostrophes and other
# punctuation separate words, so ``Text-to-Image`` is three ordinary words).
_WORD = re.compile(r"[^\W_]+")


def has_inherent_capitals(word: str, *, article_position: bool = True) -> bool:
    """True for words whose case must survive a style lower-casing the title.

    That is any capital after the first character (``BOOT``, ``ViT``, ``GPUs``, ``3D``, ``FP8``)
    and single capital letters (``K``-Amplitude, ``I``), except an ``A`` that stands where the
    article would: between spaces (``A Practical Guide``), not in ``Q&A``, ``A*`` or ``A/B``.
    """
    if len(word) == 1:
        return word.isupper() and not (word == "A" and article_position)
    return any(c.isupper() for c in word[1:])


def _article_position(title: str, start: int, end: int) -> bool:
    before = title[start - 1] if start > 0 else " "
    after = title[end] if end < len(title) else ""  # a final "A" is never the article
    return before.isspace() and after.isspace()


def protect_title(title: str) -> str:
    """Plain title -> escaped LaTeX with inherent capitals braced."""
    out: list[str] = []
    pos = 0
    for match in _WORD.finditer(title):
        word = match.group()
        article = _article_position(title, match.start(), match.end())
        if not has_inherent_capitals(word, article_position=article):
            continue
        out.append(escape(title[pos : match.start()]))
        out.append("{" + escape(word) + "}")
        pos = match.end()
    out.append(escape(title[pos:]))
    return "".join(out)
