"""Building arXiv API queries from records: batched, and safe for the query language.

Reported pitfalls of the API (a hyphen in an unquoted term acting as NOT, a colon breaking the
query, non-ASCII giving HTTP 400) are avoided by construction: every phrase is made of
transliterated, lower-case ASCII words separated by single spaces, always inside quotes.
"""

from __future__ import annotations

from collections.abc import Iterable

from citetools.resolvers.arxiv.match import words

TITLE_WORDS = 12  # a title phrase longer than this adds nothing and risks a mismatch
ABSTRACT_RUN = 7


def title_phrase(title: str) -> str:
    return " ".join(words(title).split()[:TITLE_WORDS])


def abstract_phrase(abstract: str) -> str:
    """The most distinctive run of consecutive words: all alphabetic, longest in letters.

    Listing abstracts are copied from arXiv, so any exact run matches; a run of long words is
    unlikely to appear in any other paper's abstract.
    """
    tokens = words(abstract).split()
    best: tuple[int, int] = (-1, 0)
    for start in range(max(1, len(tokens) - ABSTRACT_RUN + 1)):
        run = tokens[start : start + ABSTRACT_RUN]
        if not all(t.isalpha() for t in run):
            continue
        weight = sum(len(t) for t in run)
        if weight > best[0]:
            best = (weight, start)
    return " ".join(tokens[best[1] : best[1] + ABSTRACT_RUN])


def any_of(field: str, phrases: Iterable[str]) -> str:
    """``ti:"a b" OR ti:"c d"`` for the non-empty, distinct phrases."""
    unique = dict.fromkeys(p for p in phrases if p)
    return " OR ".join(f'{field}:"{p}"' for p in unique)
