"""The same paper listed twice becomes one record: found by identity, merged, reported.

Identity is the arXiv id, the DOI, or the folded title with the first author's family name
(case, accents and punctuation ignored). A record without authors matches on its title alone;
an abstract-only record matches on its abstract. One pass with a dict: linear in the input.

The arXiv id is the paper's however it is written: versioned or bare (``2605.31603v2``), as an
abs or pdf URL, as the arXiv DOI ``10.48550/arXiv.2605.31603`` or a ``number`` of
``arXiv:2605.31603`` (:func:`~citetools.normalize.arxiv.arxiv_identity`). DOIs compare in lower
case, without ``doi:`` or a doi.org address. A record carrying two identifiers (an arXiv id and
its journal DOI) joins the records known by either: when it matches two records kept apart so
far, they become one too. Two records with different arXiv ids are never one paper, however
alike their titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace
from typing import Protocol

from anyascii import anyascii

from citetools.errors import Problem
from citetools.model import Record
from citetools.normalize.arxiv import arxiv_identity, bare_doi

# Every ASCII character but letters and digits (what ``[\W_]`` matches in ASCII text).
_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def fold(text: str) -> str:
    """Transliterated to ASCII (accents, strokes, styled letters), lower case, punctuation and
    spaces removed: ``Łódź`` and ``Lodz`` fold alike."""
    ascii_text = text if text.isascii() else anyascii(text)  # anyascii gives ASCII only
    return ascii_text.lower().encode("ascii").translate(None, _NOT_ALNUM).decode("ascii")


def _id_keys(record: Record) -> list[str]:
    """The identifier keys: ``arxiv:<bare id>`` and ``doi:<doi>`` (an arXiv DOI, or a DOI
    address in the URL, counts as what it names)."""
    ids = record.ids
    if not (ids.arxiv or ids.doi or ids.url or record.extra.get("number")):
        return []  # (most listing entries: nothing for arxiv_identity to look at)
    keys: list[str] = []
    if arxiv := arxiv_identity(record):
        keys.append("arxiv:" + arxiv)
    for value in (record.ids.doi, record.ids.url):
        doi = bare_doi(value) if value else None
        if doi and not doi.startswith("10.48550/"):
            keys.append("doi:" + doi)
    if record.ids.doi and not any(k.startswith("doi:") for k in keys) and not arxiv:
        keys.append("doi:" + record.ids.doi.strip().lower())  # not DOI-shaped: still an id
    return list(dict.fromkeys(keys))


def _keys(record: Record) -> tuple[list[str], list[str]]:
    """(keys this record is known by, keys to look it up by)."""
    known = _id_keys(record)
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


def identities(record: Record) -> list[str]:
    """What a paper is known by (arXiv id, DOI, folded title + first author ...), as the
    deduplicator sees it."""
    return _keys(record)[0]


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


def _conflict(a: Record, b: Record) -> bool:
    """Two different arXiv papers: both records name an arXiv id, and not the same one."""
    first, second = arxiv_identity(a), arxiv_identity(b)
    return first is not None and second is not None and first != second


def _same_paper(record: Record, kept: Record) -> Problem:
    where = record.provenance[0] if record.provenance else None
    return Problem(
        f"same paper as {kept.where}: merged into one entry",
        where.source if where else None,
        where.line if where else None,
    )


def deduplicate(records: Iterable[Record]) -> tuple[list[Record], list[Problem]]:
    out: list[Record | None] = []
    merger = Deduplicator(out)
    for record in records:
        merger.add(record)
    return [r for r in out if r is not None], merger.problems


class Slots(Protocol):
    """Where :class:`Deduplicator` keeps records, by position (``None``: merged away): a list,
    or a :class:`~citetools.pipeline.store.RecordStore`."""

    def append(self, record: Record | None, /) -> None: ...
    def __getitem__(self, position: int, /) -> Record | None: ...
    def __setitem__(self, position: int, record: Record | None, /) -> None: ...


class Deduplicator:
    """:func:`deduplicate` a record at a time, into ``out``: a record that is a paper already
    there is merged into it (reported in :attr:`problems`), any other is appended."""

    def __init__(self, out: Slots) -> None:
        self.out = out
        self.problems: list[Problem] = []
        self._index: dict[Key, int] = {}
        self._count = 0

    def add(self, record: Record) -> None:
        out, index = self.out, self._index
        known, lookup = _indexed(record)
        hits = [index[k] for k in lookup if k in index]
        hits = [h for h in dict.fromkeys(hits) if not _conflict(_kept(out, h), record)]
        if not hits:
            hit = self._count
            out.append(record)
            self._count += 1
        else:
            hit = hits[0]
            kept = _kept(out, hit)
            self.problems.append(_same_paper(record, kept))
            out[hit] = merge(kept, record)
            # One record naming two identifiers joins the records known by either.
            ids = {_compact(k) for k in _id_keys(record)}
            for other in hits[1:]:
                linked = any(index.get(k) == other for k in ids)
                if not linked or _conflict(_kept(out, hit), _kept(out, other)):
                    continue
                first, second = sorted((hit, other))  # the earlier one stays, as always
                self.problems.append(_same_paper(_kept(out, second), _kept(out, first)))
                out[first], out[second] = merge(_kept(out, first), _kept(out, second)), None
                index = self._index = {k: first if i == second else i for k, i in index.items()}
                hit = first
            known = _indexed(_kept(out, hit))[0]
        for key in known:
            index.setdefault(key, hit)


def _indexed(record: Record) -> tuple[list[Key], list[Key]]:
    """:func:`_keys`, long ones (titles, abstracts) as a 128-bit number: the index of a big
    library then takes a few dozen bytes a key instead of a copy of every title and abstract."""
    known, lookup = _keys(record)
    return [_compact(k) for k in known], [_compact(k) for k in lookup]


Key = str | int


def _compact(key: str) -> Key:
    """The key itself when short, else two 64-bit string hashes of it as one number. Python's
    string hash is keyed SipHash: the two are as good as independent, so two keys that differ
    share the number with a chance of 2**-128 (a cryptographic digest costs four times as much
    and gives no more here: the index lives for one run)."""
    if len(key) <= _DIGEST_OVER:
        return key
    return (hash(key) << 64) ^ hash(key + "\x00")


_DIGEST_OVER = 48


def _kept(out: Slots, position: int) -> Record:
    record = out[position]
    assert record is not None, "the index never points at a record merged away"
    return record
