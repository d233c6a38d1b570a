"""Tests for citetools.normalize.dedup: identity, merging and the report of each merge."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.normalize.dedup import deduplicate, fold, merge

XING = Person("Jiazheng", "Xing")
YUAN = Person("Hangjie", "Yuan")
CAI = Person("Lingling", "Cai")
LI = Person("Wei", "Li")
ZHAO = Person("Wangbo", "Zhao")
TITLE = "Lumos-Nexus: Efficient Frequency Bridging for Video Unified Models"


def rec(title=TITLE, authors=(XING,), *, source="a.txt", line=1, layout="feed", **fields):
    return Record(
        title=title,
        authors=authors,
        provenance=(Provenance(source, line, layout),),
        **fields,
    )


# --- fold -----------------------------------------------------------------------------------

FOLD = [
    ("Lumos-Nexus: Efficient", "lumosnexusefficient"),
    ("LUMOS NEXUS efficient", "lumosnexusefficient"),
    ("Müller", "muller"),
    ("Mu\u0308ller", "muller"),
    ("Zoë", "zoe"),
    ("François", "francois"),
    ("ÉCOLE", "ecole"),
    ("Straße", "strasse"),
    ("snake_case & dots...", "snakecasedots"),
    ("  spaced \t out\n", "spacedout"),
    ("DyDiT++", "dydit"),
    ("RAPID^3", "rapid3"),
    ("ﬁne", "fine"),
    ("深度 学习", "shenduxuexi"),  # transliterated, like keys
    ("Łódź", "lodz"),  # letters with a stroke have no Unicode decomposition
    ("Møller", "moller"),
    ("Đorđević", "dordevic"),
    ("𝐁𝐎𝐎𝐓: Data-free", "bootdatafree"),  # compatibility capitals
    ("𝓐", "a"),
    ("ϲ", "s"),
    ("", ""),
    ("?!", ""),
]


@pytest.mark.parametrize(("text", "expected"), FOLD, ids=[repr(t) for t, _ in FOLD])
def test_fold(text, expected):
    assert fold(text) == expected


@given(st.text())
@example("𝐀")
@example("ϲ")
def test_fold_is_idempotent_and_lowercase(text):
    once = fold(text)
    assert fold(once) == once
    assert once == once.casefold()


# Characters without a compatibility decomposition (NFKD == NFD), which the bug above needs.
canonical_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)).filter(
        lambda c: unicodedata.normalize("NFKD", c) == unicodedata.normalize("NFD", c)
    )
)


@given(canonical_text)
def test_fold_ignores_case_and_is_idempotent(text):
    once = fold(text)
    assert fold(once) == once
    assert once == once.casefold()
    assert fold(text.upper()) == once
    assert fold(text.lower()) == once
    assert not any(c.isspace() for c in once)


# --- what counts as the same paper ---------------------------------------------------------------

SAME = [
    pytest.param(
        rec(title="A", ids=Ids(arxiv="2605.31603")),
        rec(title="Totally different", authors=(LI,), ids=Ids(arxiv="2605.31603")),
        id="arxiv-id",
    ),
    pytest.param(
        rec(title="A", ids=Ids(doi="10.48550/arXiv.2605.31603")),
        rec(title="B", authors=(LI,), ids=Ids(doi="10.48550/ARXIV.2605.31603")),
        id="doi-any-case",
    ),
    pytest.param(
        rec(),
        rec(title="lumos nexus -- efficient frequency bridging for video unified models!"),
        id="title-case-and-punctuation",
    ),
    pytest.param(
        rec(authors=(Person("Zoë", "Müller"),)),
        rec(authors=(Person("Zoe", "MULLER"), YUAN)),
        id="first-author-accents-and-case",
    ),
    pytest.param(
        rec(title="Über Café Networks"),
        rec(title="Uber Cafe Networks"),
        id="title-accents",
    ),
    pytest.param(
        rec(authors=()),
        rec(title=TITLE.upper(), authors=()),
        id="author-less-title-only",
    ),
    pytest.param(
        rec(authors=(XING, YUAN, CAI)),
        rec(authors=(XING,), authors_truncated=True),
        id="different-co-authors",
    ),
    pytest.param(
        rec(title=None, authors=(), abstract="We propose Lumos-Nexus, a framework."),
        rec(title=None, authors=(), abstract="we propose lumos nexus a framework"),
        id="abstract-only",
    ),
    pytest.param(
        rec(authors=(XING,)),
        rec(authors=()),
        id="authored-then-author-less",
    ),
    pytest.param(
        rec(authors=()),
        rec(authors=(XING,)),
        id="author-less-then-authored",
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME)
def test_duplicates_are_merged(first, second):
    out, problems = deduplicate([first, second])
    assert len(out) == 1
    assert len(problems) == 1


DIFFERENT = [
    pytest.param(rec(authors=(XING,)), rec(authors=(LI,)), id="same-title-other-first-author"),
    pytest.param(rec(authors=(XING, LI)), rec(authors=(LI, XING)), id="same-title-authors-swapped"),
    pytest.param(rec(), rec(title=TITLE + " II"), id="other-title"),
    pytest.param(
        rec(title="A", ids=Ids(arxiv="2605.00001")),
        rec(title="B", ids=Ids(arxiv="2605.00002")),
        id="other-arxiv-ids",
    ),
    pytest.param(
        rec(title=None, authors=(), abstract="One abstract."),
        rec(title=None, authors=(), abstract="Another abstract."),
        id="other-abstracts",
    ),
    pytest.param(
        rec(title=None, authors=()),
        rec(title=None, authors=()),
        id="nothing-to-compare",
    ),
]


@pytest.mark.parametrize(("first", "second"), DIFFERENT)
def test_different_papers_are_kept_apart(first, second):
    out, problems = deduplicate([first, second])
    assert out == [first, second]
    assert problems == []


def test_same_title_by_different_first_authors_across_files():
    a = rec(authors=(XING,), source="000.txt", line=2)
    b = rec(authors=(ZHAO,), source="003.txt", line=5)
    c = rec(authors=(XING, YUAN), source="refs.bib", line=10, layout="bibtex")
    out, problems = deduplicate([a, b, c])
    assert [r.authors[0] for r in out] == [XING, ZHAO]
    assert out[1] == b
    (problem,) = problems
    assert (problem.source, problem.line) == ("refs.bib", 10)


# --- merge ------------------------------------------------------------------------------------------


def test_merge_keeps_first_fields_and_fills_empty_ones():
    first = rec(
        date=PartialDate(2026, 5, 29),
        abstract=None,
        venue=None,
        entry_type="misc",
    )
    second = rec(
        title="Other spelling of the title",
        date=PartialDate(2025),
        abstract="The abstract.",
        venue="CVPR",
        affiliation="JD Explore Academy",
        entry_type="inproceedings",
    )
    merged = merge(first, second)
    assert merged.title == TITLE
    assert merged.date == PartialDate(2026, 5, 29)
    assert merged.entry_type == "misc"
    assert merged.abstract == "The abstract."
    assert merged.venue == "CVPR"
    assert merged.affiliation == "JD Explore Academy"


def test_merge_fills_missing_date_and_title():
    first = rec(title=None, authors=(), abstract="Same abstract.")
    second = rec(title="The Title", date=PartialDate(2023, 3, 11))
    merged = merge(first, second)
    assert merged.title == "The Title"
    assert merged.date == PartialDate(2023, 3, 11)
    assert merged.authors == (XING,)


AUTHOR_MERGES = [
    pytest.param((XING,), True, (XING, YUAN, CAI), False, (XING, YUAN, CAI), False, id="full-wins"),
    pytest.param(
        (XING, YUAN), True, (XING, YUAN, CAI), True, (XING, YUAN, CAI), True, id="longer-truncated"
    ),
    pytest.param((XING, YUAN), True, (XING,), True, (XING, YUAN), True, id="shorter-truncated"),
    pytest.param(
        (XING, YUAN), False, (XING, YUAN, CAI), False, (XING, YUAN), False, id="both-full"
    ),
    pytest.param((), False, (XING, YUAN), True, (XING, YUAN), True, id="first-empty"),
    pytest.param(
        (XING, YUAN, CAI),
        False,
        (XING,),
        True,
        (XING, YUAN, CAI),
        False,
        id="first-full-second-truncated",
    ),
]


@pytest.mark.parametrize(
    ("first_authors", "first_cut", "second_authors", "second_cut", "authors", "cut"),
    AUTHOR_MERGES,
)
def test_merge_author_lists(first_authors, first_cut, second_authors, second_cut, authors, cut):
    first = rec(authors=first_authors, authors_truncated=first_cut)
    second = rec(authors=second_authors, authors_truncated=second_cut)
    merged = merge(first, second)
    assert merged.authors == authors
    assert merged.authors_truncated is cut


def test_merge_unites_lists_and_flags():
    first = rec(categories=("cs.CV", "cs.LG"), orgs=("apple-ml",), has_code=False)
    second = rec(categories=("cs.LG", "stat.ML"), orgs=("meta-ai", "apple-ml"), has_code=True)
    merged = merge(first, second)
    assert merged.categories == ("cs.CV", "cs.LG", "stat.ML")
    assert merged.orgs == ("apple-ml", "meta-ai")
    assert merged.has_code is True
    assert merge(second, first).has_code is True
    assert merge(first, first).has_code is False


def test_merge_extra_first_wins():
    first = rec(extra={"note": "mine"})
    second = rec(extra={"note": "theirs", "pages": "1--10"})
    assert merge(first, second).extra == {"note": "mine", "pages": "1--10"}


def test_merge_concatenates_provenance():
    first = rec(source="000.txt", line=2)
    second = rec(source="refs.bib", line=7, layout="bibtex")
    merged = merge(first, second)
    assert merged.provenance == (
        Provenance("000.txt", 2, "feed"),
        Provenance("refs.bib", 7, "bibtex"),
    )
    assert merged.where == "000.txt:2"


@pytest.mark.parametrize(
    ("first_ids", "second_ids", "expected"),
    [
        (Ids(), Ids(arxiv="2605.31603", doi="10.1/x"), Ids(arxiv="2605.31603", doi="10.1/x")),
        (Ids(arxiv="2605.31603"), Ids(doi="10.1/x"), Ids(arxiv="2605.31603", doi="10.1/x")),
    ],
    ids=["first-empty", "first-partial"],
)
def test_merge_fills_identifiers(first_ids, second_ids, expected):
    assert merge(rec(ids=first_ids), rec(ids=second_ids)).ids == expected


# --- reports and order ------------------------------------------------------------------------------


def test_one_problem_per_merge_naming_both_places():
    a = rec(source="000.txt", line=2)
    b = rec(source="003.txt", line=17)
    c = rec(source="refs.bib", line=40, layout="bibtex")
    out, problems = deduplicate([a, b, c])
    assert len(out) == 1
    assert [(p.source, p.line) for p in problems] == [("003.txt", 17), ("refs.bib", 40)]
    assert all(p.severity == "warning" for p in problems)
    assert all("000.txt:2" in p.message for p in problems)
    assert out[0].provenance == (
        Provenance("000.txt", 2, "feed"),
        Provenance("003.txt", 17, "feed"),
        Provenance("refs.bib", 40, "bibtex"),
    )


def test_problem_for_records_without_provenance():
    a = Record(title=TITLE, authors=(XING,))
    b = Record(title=TITLE, authors=(XING,))
    out, problems = deduplicate([a, b])
    assert len(out) == 1
    (problem,) = problems
    assert (problem.source, problem.line) == (None, None)
    assert "<unknown>" in problem.message


def test_output_keeps_input_order_of_first_occurrences():
    a = rec(title="Paper A", source="x", line=1)
    b = rec(title="Paper B", source="x", line=2)
    a2 = rec(title="paper a", source="x", line=3, has_code=True)
    c = rec(title="Paper C", source="x", line=4)
    b2 = rec(title="PAPER B!", source="y", line=5, orgs=("meta-ai",))
    out, problems = deduplicate([a, b, a2, c, b2])
    assert [r.title for r in out] == ["Paper A", "Paper B", "Paper C"]
    assert out[0].has_code is True
    assert out[1].orgs == ("meta-ai",)
    assert out[2] == c
    assert [(p.source, p.line) for p in problems] == [("x", 3), ("y", 5)]


def test_an_arxiv_id_joins_records_with_different_titles():
    a = rec(title=None, authors=(), ids=Ids(arxiv="2605.31603"), source="x", line=1)
    b = rec(ids=Ids(arxiv="2605.31603"), source="x", line=2)
    c = rec(
        title="Lumos Nexus (v2)", authors=(LI,), ids=Ids(arxiv="2605.31603"), source="x", line=3
    )
    out, problems = deduplicate([a, b, c])
    assert len(out) == 1
    assert len(problems) == 2
    assert out[0].title == TITLE
    assert out[0].authors == (XING,)


def test_merged_record_is_found_by_the_ids_it_gained():
    a = rec(source="x", line=1)
    b = rec(ids=Ids(arxiv="2605.31603"), source="x", line=2)
    c = rec(
        title="Lumos Nexus (v2)", authors=(LI,), ids=Ids(arxiv="2605.31603"), source="x", line=3
    )
    out, problems = deduplicate([a, b, c])
    assert len(out) == 1
    assert len(problems) == 2


def test_no_duplicates_no_problems():
    records = [rec(title=f"Paper {i}", line=i) for i in range(5)]
    out, problems = deduplicate(records)
    assert out == records
    assert problems == []


def test_deduplicate_accepts_any_iterable():
    out, _ = deduplicate(iter([rec(), rec()]))
    assert len(out) == 1


# Index keys longer than 48 characters are kept as digests: a record that names both a long
# DOI and an arXiv id must still join the record known by the DOI and the one known by the id.
LONG_DOI = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"


def test_a_record_naming_a_long_doi_and_an_arxiv_id_joins_both():
    assert len("doi:" + LONG_DOI) > 48
    by_doi = rec(title="Journal Version", ids=Ids(doi=LONG_DOI), source="x", line=1)
    by_arxiv = rec(title="Preprint Version", ids=Ids(arxiv="2605.31603"), source="x", line=2)
    both = rec(title="Third Title", ids=Ids(doi=LONG_DOI.lower(), arxiv="2605.31603"), line=3)
    out, problems = deduplicate([by_doi, by_arxiv, both])
    assert len(out) == 1
    assert out[0].ids.doi == LONG_DOI and out[0].ids.arxiv == "2605.31603"
    assert len(problems) == 2


def test_long_abstracts_that_differ_only_at_the_end_stay_apart():
    first = "We study a problem. " * 20
    a = rec(title=None, authors=(), abstract=first + "Ending one.", line=1)
    b = rec(title=None, authors=(), abstract=first + "Ending two.", line=2)
    c = rec(title=None, authors=(), abstract=first + "Ending one.", line=3)
    out, problems = deduplicate([a, b, c])
    assert [r.provenance[0].line for r in out] == [1, 2]
    assert len(problems) == 1
