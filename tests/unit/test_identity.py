"""Identity-aware deduplication: every spelling of an arXiv id, and the published DOI, name one
paper (citetools.normalize.arxiv.bare_arxiv_id / arxiv_identity / bare_doi and
citetools.normalize.dedup.deduplicate)."""

from __future__ import annotations

import pytest

from citetools.model import Ids, Person, Provenance, Record
from citetools.normalize.arxiv import arxiv_identity, bare_arxiv_id, bare_doi
from citetools.normalize.dedup import deduplicate

ID = "2605.31603"
JOURNAL_DOI = "10.1145/3592433"
XING = Person("Jiazheng", "Xing")
LI = Person("Wei", "Li")


def rec(title="Lumos-Nexus", authors=(XING,), *, line=1, **fields):
    return Record(
        title=title, authors=authors, provenance=(Provenance("a.txt", line, "feed"),), **fields
    )


# --- one id, many spellings -------------------------------------------------------------------

SPELLINGS = [
    ("2605.31603", ID),
    ("2605.31603v2", ID),
    ("2605.31603V12", ID),
    ("  2605.31603v1 ", ID),
    ("arXiv:2605.31603", ID),
    ("arxiv: 2605.31603v3", ID),
    ("ARXIV:2605.31603", ID),
    ("https://arxiv.org/abs/2605.31603", ID),
    ("https://arxiv.org/abs/2605.31603v2", ID),
    ("http://arxiv.org/pdf/2605.31603v1.pdf", ID),
    ("https://arxiv.org/pdf/2605.31603", ID),
    ("https://www.arxiv.org/abs/2605.31603/", ID),
    ("http://export.arxiv.org/abs/2605.31603", ID),
    ("arxiv.org/abs/2605.31603", ID),
    ("https://arxiv.org/html/2605.31603v2", ID),
    ("https://arxiv.org/abs/2605.31603?context=cs", ID),
    ("HTTPS://ARXIV.ORG/ABS/2605.31603", ID),
    ("10.48550/arXiv.2605.31603", ID),
    ("10.48550/ARXIV.2605.31603", ID),
    ("1501.0001", "1501.0001"),  # 4-digit numbers before 2015
    ("hep-th/9901001", "hep-th/9901001"),
    ("hep-th/9901001v3", "hep-th/9901001"),
    ("math.GT/0309136v2", "math.gt/0309136"),
    ("https://arxiv.org/abs/cond-mat/0603029v1", "cond-mat/0603029"),
    ("10.48550/arXiv.quant-ph/0201082", "quant-ph/0201082"),
]


@pytest.mark.parametrize(("text", "expected"), SPELLINGS, ids=[t for t, _ in SPELLINGS])
def test_bare_arxiv_id(text, expected):
    assert bare_arxiv_id(text) == expected


NOT_ARXIV = [
    "",
    "10.1145/3592433",
    "https://doi.org/10.1145/3592433",
    "https://example.org/abs/2605.31603",
    "https://arxiv.org/list/cs.CV/recent",
    "2605.316",  # too short
    "arXiv",
    "see 2605.31603",
]


@pytest.mark.parametrize("text", NOT_ARXIV, ids=[repr(t) for t in NOT_ARXIV])
def test_text_that_names_no_arxiv_paper(text):
    assert bare_arxiv_id(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1145/3592433", JOURNAL_DOI),
        ("10.1145/ABC.Def", "10.1145/abc.def"),
        ("doi:10.1145/3592433", JOURNAL_DOI),
        ("https://doi.org/10.1145/3592433", JOURNAL_DOI),
        ("http://dx.doi.org/10.1145/3592433", JOURNAL_DOI),
        (" 10.1145/3592433 ", JOURNAL_DOI),
        ("not a doi", None),
        ("https://example.org/10.1145/3592433", None),
    ],
)
def test_bare_doi(text, expected):
    assert bare_doi(text) == expected


RECORDS_OF_ONE_PAPER = [
    pytest.param(Ids(arxiv="2605.31603"), id="id"),
    pytest.param(Ids(arxiv="2605.31603v2"), id="versioned-id"),
    pytest.param(Ids(arxiv="2605.31603", arxiv_version=2), id="id-and-version"),
    pytest.param(Ids(arxiv="arXiv:2605.31603"), id="prefixed-id"),
    pytest.param(Ids(url="https://arxiv.org/abs/2605.31603"), id="abs-url"),
    pytest.param(Ids(url="http://arxiv.org/pdf/2605.31603v1.pdf"), id="pdf-url"),
    pytest.param(Ids(doi="10.48550/arXiv.2605.31603"), id="arxiv-doi"),
    pytest.param(Ids(doi="https://doi.org/10.48550/arXiv.2605.31603"), id="arxiv-doi-address"),
]


@pytest.mark.parametrize("ids", RECORDS_OF_ONE_PAPER)
def test_arxiv_identity_of_a_record(ids):
    assert arxiv_identity(rec(ids=ids)) == ID


def test_arxiv_identity_from_a_zotero_number_field():
    assert arxiv_identity(rec(extra={"number": "arXiv:2605.31603v2"})) == ID
    assert arxiv_identity(rec(extra={"number": "12"})) is None


def test_arxiv_identity_of_an_id_in_no_arxiv_form_is_the_id_itself():
    assert arxiv_identity(rec(ids=Ids(arxiv=" Handle-42 "))) == "handle-42"
    assert arxiv_identity(rec()) is None


# --- deduplication --------------------------------------------------------------------------------


@pytest.mark.parametrize("first", RECORDS_OF_ONE_PAPER)
@pytest.mark.parametrize("second", RECORDS_OF_ONE_PAPER)
def test_every_spelling_of_the_id_is_one_paper(first, second):
    # Different titles and first authors: only the identifier can make them one.
    a = rec("Lumos-Nexus", (XING,), ids=first, line=1)
    b = rec("Lumos Nexus v2: a different title", (LI,), ids=second, line=2)
    out, problems = deduplicate([a, b])
    assert len(out) == 1
    assert out[0].title == "Lumos-Nexus"
    assert [(p.source, p.line) for p in problems] == [("a.txt", 2)]


@pytest.mark.parametrize(
    "doi",
    [JOURNAL_DOI, JOURNAL_DOI.upper(), "doi:" + JOURNAL_DOI, "https://doi.org/" + JOURNAL_DOI],
)
def test_a_preprint_with_its_journal_doi_is_the_paper_known_by_that_doi(doi):
    preprint = rec(ids=Ids(arxiv=ID, doi=JOURNAL_DOI), line=1)
    published = rec("The Journal Title", (LI,), ids=Ids(doi=doi), line=2)
    for order in ([preprint, published], [published, preprint]):
        out, problems = deduplicate(order)
        assert len(out) == 1 and len(problems) == 1
        assert arxiv_identity(out[0]) == ID
        assert out[0].ids.doi is not None


def test_a_doi_address_in_the_url_is_the_doi():
    a = rec(ids=Ids(doi=JOURNAL_DOI), line=1)
    b = rec("Other", (LI,), ids=Ids(url="https://doi.org/10.1145/3592433"), line=2)
    assert len(deduplicate([a, b])[0]) == 1


def test_a_record_naming_both_ids_joins_two_records_kept_apart_so_far():
    by_arxiv = rec("Preprint title", (XING,), ids=Ids(url="https://arxiv.org/abs/2605.31603"))
    by_doi = rec("Journal title", (LI,), ids=Ids(doi=JOURNAL_DOI), line=2)
    other = rec("Another paper", (LI,), ids=Ids(arxiv="2605.00001"), line=3)
    both = rec("Third spelling", (XING,), ids=Ids(arxiv="2605.31603v2", doi=JOURNAL_DOI), line=4)
    out, problems = deduplicate([by_arxiv, by_doi, other, both])
    assert [r.title for r in out] == ["Preprint title", "Another paper"]
    assert [p.line for p in problems] == [4, 2]
    assert out[0].ids.doi == JOURNAL_DOI
    assert [p.line for p in out[0].provenance] == [1, 4, 2]


def test_a_later_record_after_a_join_finds_the_joined_record():
    records = [
        rec("A", (XING,), ids=Ids(arxiv=ID), line=1),
        rec("B", (LI,), ids=Ids(doi=JOURNAL_DOI), line=2),
        rec("C", (XING,), ids=Ids(arxiv=ID, doi=JOURNAL_DOI), line=3),
        rec("D", (LI,), ids=Ids(doi="https://doi.org/" + JOURNAL_DOI), line=4),
        rec("B", (LI,), line=5),  # B's title and first author
    ]
    out, problems = deduplicate(records)
    assert len(out) == 1 and len(problems) == 4


def test_different_arxiv_ids_are_different_papers_even_with_the_same_title():
    a = rec(ids=Ids(arxiv="2605.31603"), line=1)
    b = rec(ids=Ids(arxiv="2605.31604v2"), line=2)
    untagged = rec(line=3)  # same title and first author, no id: joins the first
    out, problems = deduplicate([a, b, untagged])
    assert [r.ids.arxiv for r in out] == ["2605.31603", "2605.31604v2"]
    assert [p.line for p in problems] == [3]


def test_a_shared_doi_never_joins_two_different_arxiv_papers():
    a = rec("A", ids=Ids(arxiv="2605.31603"), line=1)
    b = rec("B", ids=Ids(arxiv="2605.31604", doi=JOURNAL_DOI), line=2)
    c = rec("C", ids=Ids(arxiv="2605.31603", doi=JOURNAL_DOI), line=3)
    out, problems = deduplicate([a, b, c])
    assert [r.title for r in out] == ["A", "B"]
    assert [p.line for p in problems] == [3]


def test_versions_of_one_paper_across_formats_merge_end_to_end(tmp_path):
    """A listing, a .bib with a versioned eprint and a CSL-JSON item with the arXiv DOI and a
    pdf URL: one entry, as the command line writes it."""
    from typer.testing import CliRunner

    from citetools.cli import app

    (tmp_path / "a.bib").write_text(
        "@misc{x, title = {Lumos-Nexus}, author = {Xing, Jiazheng}, eprint = {2605.31603v2},"
        " archivePrefix = {arXiv}}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.json").write_text(
        '[{"id": "y", "type": "article-journal", "title": "Lumos-Nexus (journal version)",'
        ' "DOI": "10.48550/arXiv.2605.31603"},'
        ' {"id": "z", "type": "article", "title": "Same paper, pdf link",'
        ' "URL": "http://arxiv.org/pdf/2605.31603v1.pdf"}]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["export", str(tmp_path), "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    # y and z are two entries of one file under two keys: kept apart, reported; x and y merge.
    assert result.stdout.count("@misc{") + result.stdout.count("@article{") == 2
    assert result.stderr.count("likely the same paper as") == 1
    assert "its key y is kept in ids" in result.stderr
    result = CliRunner().invoke(app, ["export", str(tmp_path), "--as-of", "2026-11-24", "--dedupe"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("@misc{") + result.stdout.count("@article{") == 1
    assert result.stderr.count("same paper as") == 2
    assert "ids = {y,z}" in result.stdout
