"""The same paper listed twice becomes one record: found by identity, merged, reported.

Identity is the arXiv id, the DOI, or the folded title with the first author's family name
(case, accents and punctuation ignored). A record without authors matches on its title alone;
an abstract-only record matches on its abstract. One pass with a dict: linear in the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, replace

from anyascii import anyascii

from citetools.errors import Problem
from citetools.model import Record

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Transliterated to ASCII (accents, strokes, styled letters), lower case, punctuation and
    spaces removed: ``Łódź`` and ``Lodz`` fold alike."""
    return _NON_WORD.sub("", anyascii(text).lower())


def _keys(record: Record) -> tuple[list[str], list[str]]:
    """(keys this record is known by, keys to look it up by)."""
    known: list[str] = []
    if record.ids.arxiv:
        known.append("arxiv:" + record.ids.arxiv.lower())
    if record.ids.doi:
        known.append("doi:" + record.ids.doi.lower())
    lookup = list(known)
    if record.title:
        title = fold(record.title)
        known.append("title:" + title)
        if record.authors:
            by_author = f"title+author:{title}|{fold(record.authors[0].family)}"
            known.append(by_author)
            lookup.extend((by_author, "authorless-title:" + title))
        else:
            known.append("authorless-title:" + title)
            lookup.append("title:" + title)
    elif record.abstract:
        abstract = "abstract:" + fold(record.abstract)
        known.append(abstract)
        lookup.append(abstract)
    return known, lookup


_MERGED_APART = frozenset({"authors", "authors_truncated", "ids", "has_code"})


def merge(first: Record, second: Record) -> Record:
    """``first`` wins; its empty fields are filled from ``second``; lists are united."""
    changes: dict[str, object] = {}
    for f in fields(Record):
        if f.name in _MERGED_APART:
            continue
        mine, theirs = getattr(first, f.name), getattr(second, f.name)
        if not mine and theirs:
            changes[f.name] = theirs
    if second.authors and (
        not first.authors
        or (
            first.authors_truncated
            and (not second.authors_truncated or len(second.authors) > len(first.authors))
        )
    ):
        changes["authors"] = second.authors
        changes["authors_truncated"] = second.authors_truncated
    changes["ids"] = replace(
        first.ids,
        **{
            f.name: getattr(second.ids, f.name)
            for f in fields(first.ids)
            if getattr(first.ids, f.name) is None
        },
    )
    changes["categories"] = _union(first.categories, second.categories)
    changes["orgs"] = _union(first.orgs, second.orgs)
    changes["has_code"] = first.has_code or second.has_code
    changes["extra"] = {**second.extra, **first.extra}
    changes["sources"] = {**second.sources, **first.sources}
    changes["provenance"] = first.provenance + second.provenance
    return replace(first, **changes)  # type: ignore[arg-type]


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def deduplicate(records: Iterable[Record]) -> tuple[list[Record], list[Problem]]:
    out: list[Record] = []
    index: dict[str, int] = {}
    problems: list[Problem] = []
    for record in records:
        known, lookup = _keys(record)
        hit = next((index[k] for k in lookup if k in index), None)
        if hit is None:
            hit = len(out)
            out.append(record)
        else:
            kept = out[hit]
            where = record.provenance[0] if record.provenance else None
            problems.append(
                Problem(
                    f"same paper as {kept.where}: merged into one entry",
                    where.source if where else None,
                    where.line if where else None,
                )
            )
            out[hit] = merge(kept, record)
            known = _keys(out[hit])[0]
        for key in known:
            index.setdefault(key, hit)
    return out, problems
