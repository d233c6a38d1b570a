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

from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from functools import lru_cache
from typing import Protocol

from anyascii import anyascii

from citetools.errors import Problem
from citetools.model import Ids, Origin, Record
from citetools.normalize.arxiv import arxiv_identity, bare_doi, identity_of

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
    ids, number = record.ids, record.extra.get("number")
    if not (ids.arxiv or ids.doi or ids.url or number):
        return []  # (most listing entries: nothing for arxiv_identity to look at)
    return list(_id_keys_of(ids, number))


@lru_cache(maxsize=65536)
def _id_keys_of(ids: Ids, number: str | None) -> tuple[str, ...]:
    """:func:`_id_keys` of a record with these ids and ``number`` field (cached, as
    :func:`~citetools.normalize.arxiv.identity_of`)."""
    keys: list[str] = []
    if arxiv := identity_of(ids, number):
        keys.append("arxiv:" + arxiv)
    for value in (ids.doi, ids.url):
        doi = bare_doi(value) if value else None
        if doi and not doi.startswith("10.48550/"):
            keys.append("doi:" + doi)
    if ids.doi and not any(k.startswith("doi:") for k in keys) and not arxiv:
        keys.append("doi:" + ids.doi.strip().lower())  # not DOI-shaped: still an id
    return tuple(dict.fromkeys(keys))


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


_MERGED_APART = frozenset({"authors", "authors_truncated", "ids", "has_code", "origin"})


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
    changes["origin"] = _origin(first.origin, second.origin)
    return replace(first, **changes)  # type: ignore[arg-type]


def _origin(first: Origin | None, second: Origin | None) -> Origin | None:
    """How the merged record is written to a .bib: as ``first`` was (else ``second``), with
    the file text that went with ``second`` (its @string definitions ...) after it."""
    if first is None or second is None:
        return first or second
    text = (second.before + second.after).strip("\n")
    if not text.strip():
        return first
    return replace(first, after=first.after.rstrip("\n") + f"\n\n{text}\n")


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def _conflict(a: Record, b: Record) -> bool:
    """Two different works however alike they look (see :func:`apart`)."""
    return apart(a, b) is not None


def apart(kept: Record, record: Record, *, merge_keyed: bool = False) -> str | None:
    """Why two records that look alike (an identity in common) are not one paper, or ``None``
    when they are. ``""``: different works, nothing to report; any other reason is worth a
    warning (they are likely duplicates, kept apart).

    - Two different arXiv ids, or two different DOIs: different works.
    - Two entries of one bibliography file with different keys are the user's two entries:
      kept apart and reported, unless ``merge_keyed`` (``--dedupe``). (Entries of two files
      that are one paper merge; the key merged away is kept in ``ids``.)
    - Alike by title only (no identifier in common): different works when the years, volumes,
      numbers, pages or venues both given differ (a yearly "Calendar" column); a preprint (an
      arXiv id, no venue) and a published version (a venue or a journal DOI) are linked in a
      warning, never folded.
    """
    first, second = arxiv_identity(kept), arxiv_identity(record)
    if first is not None and second is not None and first != second:
        return ""
    dois = (_doi(kept), _doi(record))
    if dois[0] is not None and dois[1] is not None and dois[0] != dois[1]:
        return ""
    if not set(_id_keys(kept)) & set(_id_keys(record)):  # alike by title alone
        if any(_differ(_facet(kept, name), _facet(record, name)) for name in _FACETS):
            return ""
        if _preprint(kept) != _preprint(record) and (_published(kept) or _published(record)):
            return f"likely a preprint and its published version ({kept.where}): kept apart"
    if _keyed_apart(kept, record) and not merge_keyed:
        return f"likely the same paper as {kept.where} ({kept.key}): kept apart (--dedupe merges)"
    return None


def _keyed_apart(kept: Record, record: Record) -> bool:
    """Two entries of one bibliography file under different keys: the user's two entries."""
    if not (kept.key and record.key) or kept.key.casefold() == record.key.casefold():
        return False
    return bool({p.source for p in kept.provenance} & {p.source for p in record.provenance})


_FACETS = ("year", "volume", "number", "pages", "venue")


def _facet(record: Record, name: str) -> str | None:
    if name == "year":
        return str(record.date.year) if record.date and record.date.year else None
    if name == "venue":
        return fold(record.venue) if record.venue else None
    value = record.extra.get(name)
    return fold(value) if value else None


def _differ(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a != b


def _doi(record: Record) -> str | None:
    doi = bare_doi(record.ids.doi) if record.ids.doi else None
    return doi if doi and not doi.startswith("10.48550/") else None


def _preprint(record: Record) -> bool:
    return arxiv_identity(record) is not None and not _published(record)


def _published(record: Record) -> bool:
    return bool(record.venue) or _doi(record) is not None


def _problem(record: Record, message: str) -> Problem:
    where = record.provenance[0] if record.provenance else None
    return Problem(message, where.source if where else None, where.line if where else None)


def deduplicate(
    records: Iterable[Record], *, merge_keyed: bool = False
) -> tuple[list[Record], list[Problem]]:
    out: list[Record | None] = []
    merger = Deduplicator(out, merge_keyed=merge_keyed)
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
    there is merged into it (reported in :attr:`problems`), any other is appended. Records of
    a bibliography with different keys are merged only with ``merge_keyed``; the key merged
    away is kept in the entry's ``ids`` field (biblatex's other keys of an entry), so
    ``\\cite``s of it still resolve."""

    def __init__(self, out: Slots, *, merge_keyed: bool = False) -> None:
        self.out = out
        self.merge_keyed = merge_keyed
        self.problems: list[Problem] = []
        self._index: dict[Key, int] = {}
        # Further records known by a key of the index, kept apart from the one it names (the
        # yearly "Calendar" columns): few, so kept beside the index, not in it.
        self._more: dict[Key, list[int]] = {}
        self._count = 0

    def add(self, record: Record) -> None:
        out, index = self.out, self._index
        known, lookup = _indexed(record)
        hits = []
        for hit in dict.fromkeys(self._positions(lookup)):
            why = apart(_kept(out, hit), record, merge_keyed=self.merge_keyed)
            if why is None:
                hits.append(hit)
            elif why:
                self.problems.append(_problem(record, why))
        if not hits:
            hit = self._count
            out.append(record)
            self._count += 1
        else:
            hit = hits[0]
            out[hit] = self._merged(_kept(out, hit), record)
            # One record naming two identifiers joins the records known by either.
            ids = {_compact(k) for k in _id_keys(record)}
            for other in hits[1:]:
                linked = any(index.get(k) == other for k in ids)
                if not linked or _conflict(_kept(out, hit), _kept(out, other)):
                    continue
                first, second = sorted((hit, other))  # the earlier one stays, as always
                out[first] = self._merged(_kept(out, first), _kept(out, second))
                out[second] = None
                index = self._index = {k: first if i == second else i for k, i in index.items()}
                self._more = {
                    k: list(dict.fromkeys(first if i == second else i for i in more))
                    for k, more in self._more.items()
                }
                hit = first
            known = _indexed(_kept(out, hit))[0]
        for key in known:
            there = index.setdefault(key, hit)
            if there != hit and hit not in self._more.setdefault(key, []):
                self._more[key].append(hit)

    def _positions(self, lookup: list[Key]) -> Iterator[int]:
        """The positions of the records known by any of these keys."""
        for key in lookup:
            if key in self._index:
                yield self._index[key]
                yield from self._more.get(key, ())

    def _merged(self, kept: Record, record: Record) -> Record:
        """The two as one, reported; a key merged away kept in ``ids``."""
        merged = merge(kept, record)
        message = f"same paper as {kept.where}: merged into one entry"
        if kept.key and record.key and kept.key.casefold() != record.key.casefold():
            others = [k for k in (merged.extra.get("ids") or "").split(",") if k.strip()]
            others.append(record.key)
            merged = replace(merged, extra={**merged.extra, "ids": ",".join(others)})
            message += f"; its key {record.key} is kept in ids"
        self.problems.append(_problem(record, message))
        return merged


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
