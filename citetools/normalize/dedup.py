"""The same paper listed twice becomes one record: found by identity, merged, reported.

Identity is the arXiv id, the DOI, or the folded title with the first author's family name
(case, accents and punctuation ignored). A record without authors matches on its title alone;
an abstract-only record matches on its abstract. One pass with a dict: linear in the input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import fields, replace

from citetools.errors import Problem
from citetools.model import Record

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case, accents stripped, punctuation and spaces removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NON_WORD.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


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
            lookup.append(by_author)
        else:
            lookup.append("title:" + title)
    elif record.abstract:
        abstract = "abstract:" + fold(record.abstract)
        known.append(abstract)
        lookup.append(abstract)
    return known, lookup


def merge(first: Record, second: Record) -> Record:
    """``first`` wins; its empty fields are filled from ``second``; lists are united."""
    changes: dict[str, object] = {}
    for f in fields(Record):
        mine, theirs = getattr(first, f.name), getattr(second, f.name)
        if not mine and theirs:
            changes[f.name] = theirs
    if (
        first.authors
        and first.authors_truncated
        and second.authors
        and (not second.authors_truncated or len(second.authors) > len(first.authors))
    ):
        changes["authors"] = second.authors
        changes["authors_truncated"] = second.authors_truncated
    changes["categories"] = _union(first.categories, second.categories)
    changes["orgs"] = _union(first.orgs, second.orgs)
    changes["has_code"] = first.has_code or second.has_code
    changes["extra"] = {**second.extra, **first.extra}
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
