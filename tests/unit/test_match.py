"""Matching records to arXiv entries: resolved only when clearly right; near misses rejected."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from citetools.model import PartialDate, Person, Record
from citetools.resolvers.arxiv.atom import Author, Entry
from citetools.resolvers.arxiv.match import decide, score
from citetools.resolvers.arxiv.query import abstract_phrase, any_of, title_phrase

ABSTRACT = (
    "Connector-based video unified models have demonstrated strong capability in "
    "instruction-grounded video synthesis, but integrating a large high-fidelity generator "
    "into the unified training loop is computationally prohibitive."
)
RECORD = Record(
    title="Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space",
    authors=(Person("Jiazheng", "Xing"), Person("Hangjie", "Yuan")),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    abstract=ABSTRACT,
    categories=("cs.CV",),
)


def entry(
    arxiv_id="2605.31603",
    title=RECORD.title,
    authors=("Jiazheng Xing", "Hangjie Yuan", "Lingling Cai"),
    summary=ABSTRACT,
    year=2026,
    categories=("cs.CV",),
):
    return Entry(
        arxiv_id=arxiv_id,
        version=1,
        title=title,
        summary=summary,
        authors=tuple(Author(a) for a in authors),
        published=date(year, 5, 29),
        updated=None,
        primary_category=categories[0],
        categories=categories,
    )


THE_PAPER = entry()
NEAR_MISSES = {
    "sequel": entry(
        "2607.00001",
        title="Lumos-2: Efficient Frequency Bridging for Video Models",
        summary="We present Lumos-2, a sequel. " + ABSTRACT[:60],
    ),
    "words-reordered": entry(
        "2601.00002",
        title="Homogeneous Latent Space with Efficient Frequency Bridging: Lumos-Nexus",
    ),
    "same-title-other-authors-other-year": entry(
        "1902.00003",
        authors=("Ada Lovelace", "Alan Turing"),
        year=2019,
        summary="A different paper with the same title about something else entirely.",
    ),
    "one-word-changed": entry(
        "2606.00004",
        title="Lumos-Nexus: Efficient Frequency Bridging with Heterogeneous Latent Space",
        summary="We study heterogeneous latent spaces for efficient frequency bridging.",
    ),
}


def test_the_right_paper_is_resolved_among_near_misses():
    decision = decide(RECORD, [*NEAR_MISSES.values(), THE_PAPER])
    assert decision.status == "resolved"
    assert decision.best is not None and decision.best.entry.arxiv_id == "2605.31603"
    assert decision.scores[0].entry.arxiv_id == "2605.31603"  # best first


@pytest.mark.parametrize("name", list(NEAR_MISSES), ids=list(NEAR_MISSES))
def test_a_near_miss_alone_is_never_taken_for_the_paper(name):
    decision = decide(RECORD, [NEAR_MISSES[name]])
    assert decision.status == "not-found"
    assert decision.best is None
    assert "rejected" in decision.reason


def test_same_title_without_authors_needs_the_abstract_to_agree():
    daily = Record(title=RECORD.title, abstract=ABSTRACT)  # the daily layout: no authors, no year
    other = NEAR_MISSES["same-title-other-authors-other-year"]
    assert decide(daily, [other]).status == "not-found"
    assert decide(daily, [other, THE_PAPER]).best.entry is THE_PAPER


def test_an_undated_record_is_neither_scored_nor_rejected_for_the_year():
    ten_years_before = entry(year=2016)
    undated = replace(RECORD, date=None)
    decision = decide(undated, [ten_years_before])
    assert decision.status == "resolved", decision.reason
    assert decision.best is not None and decision.best.year_distance is None
    assert "year" not in decision.best.explain()
    # A record with a year of its own is rejected when arXiv's is far from it.
    assert "year differs by 10" in decide(RECORD, [ten_years_before]).reason


def test_abstract_only_record_matches_on_its_abstract():
    untitled = Record(abstract=ABSTRACT)
    assert decide(untitled, [THE_PAPER]).status == "resolved"
    # A sibling paper: the same opening sentence, then its own work.
    sibling = entry(
        summary=ABSTRACT[:110] + " We instead study audio generation with speech "
        "models and report results on three new benchmarks."
    )
    assert decide(untitled, [sibling]).status == "not-found"


def test_two_papers_that_both_fit_are_ambiguous():
    twin = entry("2605.99999")  # an identical record under another id (e.g. a re-submission)
    decision = decide(RECORD, [THE_PAPER, twin])
    assert decision.status == "ambiguous"
    assert "2605.31603" in decision.reason and "2605.99999" in decision.reason


def test_scores_explain_every_part():
    text = score(RECORD, THE_PAPER).explain()
    for part in (
        "title 1.00",
        "abstract 1.00",
        "first author same",
        "authors 100%",
        "year ±0",
        "category same",
    ):
        assert part in text, part


def test_no_candidates_is_not_found():
    assert decide(RECORD, []).status == "not-found"


def test_query_phrases_are_clean_ascii_and_quoted():
    assert title_phrase("Lumos-Nexus: Über-Fast ViT^3 (2.0)?") == "lumos nexus uber fast vit 3 2 0"
    phrase = abstract_phrase(ABSTRACT)
    assert phrase in " ".join(ABSTRACT.lower().replace("-", " ").replace(",", "").split())
    assert all(word.isalpha() for word in phrase.split()) and len(phrase.split()) == 7
    assert any_of("ti", ["a b", "", "a b", "c"]) == 'ti:"a b" OR ti:"c"'
