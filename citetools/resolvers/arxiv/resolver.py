"""The arXiv resolver: finds each record's paper on arXiv in a few batched requests.

Three passes, each batched, each matching results back by content, never by position:
records with an arXiv id go in ``id_list`` batches; records with a title in ``OR`` queries of
quoted title phrases; records still unmatched that have an abstract (the abstracts-only layout,
or a title arXiv spells differently) in ``OR`` queries of distinctive abstract phrases.
Whether a candidate is the paper is decided by :mod:`citetools.resolvers.arxiv.match`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from citetools.errors import ResolveError
from citetools.model import Ids, PartialDate, Record
from citetools.normalize import LISTING_LAYOUTS
from citetools.normalize.arxiv import ARXIV_SOURCE
from citetools.normalize.names import parse_name
from citetools.resolvers import Resolution
from citetools.resolvers.arxiv.atom import Entry
from citetools.resolvers.arxiv.client import ArxivClient
from citetools.resolvers.arxiv.match import decide
from citetools.resolvers.arxiv.query import abstract_phrase, any_of, title_phrase

ID_BATCH = 100
TITLE_BATCH = 30
ABSTRACT_BATCH = 20
RESULTS_PER_PHRASE = 10  # room for papers that share a title phrase


def _batches(indices: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(indices), size):
        yield indices[start : start + size]


def _from_listing(record: Record) -> bool:
    return bool(record.provenance) and record.provenance[0].layout in LISTING_LAYOUTS


def enrich(record: Record, entry: Entry, *, when: str) -> Record:
    """Fill in what arXiv knows and the record lacks; every filled field notes its source.

    The full author list replaces a truncated one; title and abstract fill only when missing;
    the id, version, categories, DOI, journal ref, comment and abs URL are added; the
    first-version date fills a missing date and replaces a listing's (``May 29``: the day it
    was listed), while a date a user wrote in a .bib is kept.
    """
    source = f"{ARXIV_SOURCE} {when}"
    changes: dict[str, object] = {}
    if entry.authors and (record.authors_truncated or not record.authors):
        changes["authors"] = tuple(parse_name(a.name) for a in entry.authors)
        changes["authors_truncated"] = False
    if not record.title and entry.title:
        changes["title"] = entry.title
    if not record.abstract and entry.summary:
        changes["abstract"] = entry.summary
    changes["ids"] = Ids(
        arxiv=entry.arxiv_id,
        arxiv_version=entry.version,
        doi=record.ids.doi or entry.doi,
        url=record.ids.url or entry.abs_url,
    )
    if entry.primary_category:
        rest = tuple(c for c in entry.categories if c != entry.primary_category)
        changes["categories"] = (entry.primary_category, *rest)
    if entry.published and (record.date is None or _from_listing(record)):
        day = entry.published
        changes["date"] = PartialDate(day.year, day.month, day.day)
    if entry.journal_ref and not record.journal_ref:
        changes["journal_ref"] = entry.journal_ref
    if entry.comment and not record.comment:
        changes["comment"] = entry.comment
    sources = {**record.sources, **dict.fromkeys(changes, source)}
    sources.pop("authors_truncated", None)
    return replace(record, sources=sources, **changes)  # type: ignore[arg-type]


class ArxivResolver:
    name = "arxiv"
    description = "arXiv API: full author lists, arXiv id, primary class, DOI, journal ref"

    def __init__(
        self,
        client: ArxivClient | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.client = client or ArxivClient()
        self.now = now
        self.progress = progress

    def resolve(self, records: Sequence[Record]) -> list[Resolution]:
        when = self.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        results: list[Resolution | None] = [None] * len(records)
        by_id = [i for i, r in enumerate(records) if r.ids.arxiv]
        self._pass_ids(records, by_id, results, when)
        titled = [i for i, r in enumerate(records) if results[i] is None and r.title]
        self._pass_phrases(records, titled, results, when, field="ti")
        rest = [
            i
            for i, r in enumerate(records)
            if r.abstract and (results[i] is None or results[i].status == "not-found")  # type: ignore[union-attr]
        ]
        self._pass_phrases(records, rest, results, when, field="abs")
        return [
            result or Resolution(record, "skipped", "no id, title or abstract to search with")
            for record, result in zip(records, results, strict=True)
        ]

    def _step(self) -> None:
        if self.progress is not None:
            self.progress(1)

    def _pass_ids(
        self,
        records: Sequence[Record],
        indices: list[int],
        results: list[Resolution | None],
        when: str,
    ) -> None:
        for batch in _batches(indices, ID_BATCH):
            ids = tuple(dict.fromkeys(records[i].ids.arxiv or "" for i in batch))
            try:
                feed = self.client.query(id_list=ids, max_results=len(ids), expect_results=True)
            except ResolveError as error:
                for i in batch:
                    results[i] = Resolution(records[i], "failed", str(error.message))
                continue
            finally:
                self._step()
            found = {e.arxiv_id: e for e in feed.entries}
            for i in batch:
                entry = found.get(records[i].ids.arxiv or "")
                if entry is None:
                    results[i] = Resolution(records[i], "not-found", "arXiv has no such id")
                else:
                    enriched = enrich(records[i], entry, when=when)
                    results[i] = Resolution(enriched, "resolved", f"by arXiv id {entry.arxiv_id}")

    def _pass_phrases(
        self,
        records: Sequence[Record],
        indices: list[int],
        results: list[Resolution | None],
        when: str,
        *,
        field: str,
    ) -> None:
        size = TITLE_BATCH if field == "ti" else ABSTRACT_BATCH
        for batch in _batches(indices, size):
            phrases = [
                title_phrase(records[i].title or "")
                if field == "ti"
                else abstract_phrase(records[i].abstract or "")
                for i in batch
            ]
            query = any_of(field, phrases)
            try:
                entries = self._search(query, max_results=RESULTS_PER_PHRASE * len(batch))
            except ResolveError as error:
                for i in batch:
                    if results[i] is None:
                        results[i] = Resolution(records[i], "failed", str(error.message))
                continue
            for i in batch:
                record = records[i]
                decision = decide(record, entries)
                explanation = tuple(s.explain() for s in decision.scores[:5])
                if decision.status == "resolved" and decision.best is not None:
                    enriched = enrich(record, decision.best.entry, when=when)
                    results[i] = Resolution(enriched, "resolved", decision.reason, explanation)
                elif results[i] is None or decision.status == "ambiguous":
                    results[i] = Resolution(record, decision.status, decision.reason, explanation)

    def _search(self, query: str, *, max_results: int) -> list[Entry]:
        entries: list[Entry] = []
        start = 0
        while True:
            try:
                feed = self.client.query(
                    search_query=query,
                    start=start,
                    max_results=min(max_results, 2000),
                    expect_results=True,
                )
            finally:
                self._step()
            entries.extend(feed.entries)
            start += len(feed.entries)
            if not feed.entries or start >= feed.total_results or start >= 2 * max_results:
                return entries
