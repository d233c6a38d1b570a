"""The Atom parser on the real recorded arXiv responses (tests/fixtures/arxiv-samples, copied from
../shared/oracle/arxiv-samples) and on hostile bodies. Expected values read off the XML by eye."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from citetools.resolvers.arxiv.atom import AtomError, Author, parse_feed

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "arxiv-samples"


def feed(name: str):
    return parse_feed((SAMPLES / name).read_bytes())


def test_single_entry_2026_format():
    result = feed("single-1605.08386.xml")
    assert result.total_results == 1 and result.start_index == 0
    (entry,) = result.entries
    assert entry.arxiv_id == "1605.08386" and entry.version == 1
    assert entry.title == "Heat-bath random walks with Markov bases"
    assert entry.authors == (Author("Caprice Stanley"), Author("Tobias Windisch"))
    assert entry.primary_category == "math.CO"
    assert entry.categories == ("math.CO", "math.ST")
    assert entry.published == date(2016, 5, 26)
    assert entry.comment == "20 pages, 3 figures"
    assert entry.summary.startswith("Graphs on lattice points are studied")
    assert entry.abs_url == "https://arxiv.org/abs/1605.08386"


def test_many_authors_and_missing_id_in_id_list():
    (entry,) = feed("idlist-two-ids-one-missing.xml").entries  # 2 ids asked, 1 known
    assert entry.arxiv_id == "1707.08567"
    assert len(entry.authors) == 34
    assert entry.title.startswith("Proceedings of Workshop AEW10: Concepts in Information Theory")


def test_legacy_wrapped_text_doi_and_journal_ref():
    (entry,) = feed("legacy-2016-single-1111.2011v2.xml").entries
    assert entry.arxiv_id == "1111.2011" and entry.version == 2
    assert entry.title == (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    )
    assert "\n" not in entry.summary and "  " not in entry.summary
    assert entry.summary.startswith("Theoretical description of anisotropic systems")
    assert entry.published == date(2011, 11, 8)
    assert entry.updated == date(2012, 4, 2)
    (search,) = feed("legacy-2016-search-au-del_maestro-ti-checkerboard.xml").entries
    assert search.arxiv_id == "cond-mat/0603029"
    assert search.doi == "10.1103/PhysRevB.74.024520"
    assert search.journal_ref == "Phys. Rev. B 74, 024520 (2006)"
    assert search.primary_category == "cond-mat.str-el"


def test_old_style_ids_and_affiliations():
    (entry,) = feed("old-style-id-astro-ph-0601001.xml").entries
    assert entry.arxiv_id == "astro-ph/0601001" and entry.version == 1
    assert entry.authors[0] == Author("Andrew Gould", ("Ohio State",))
    assert entry.authors[2].affiliations == ("CfA",)
    (versioned,) = feed("old-style-versioned-quant-ph-0201082v1.xml").entries
    assert versioned.arxiv_id == "quant-ph/0201082"


def test_title_zero_is_a_title():
    (entry,) = feed("edge-title-is-zero-2104.12255v1.xml").entries
    assert entry.title == "0"


def test_empty_result_and_search_page():
    assert feed("empty-unknown-id-0000.0000.xml").entries == ()
    page = feed("search-query-testing-page10.xml")
    assert len(page.entries) == 10
    assert page.total_results == 214881
    assert page.entries[0].doi == "10.1109/ICSTW55395.2022.00035"


def test_error_entry_is_an_error_not_a_hit():
    with pytest.raises(AtomError) as caught:
        feed("error-incorrect-id-format-http400.xml")
    assert caught.value.kind == "api-error"
    assert "incorrect id format for abc" in caught.value.message


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"Rate exceeded.", "rate-limited"),
        (b"  Rate exceeded.\n", "rate-limited"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "malformed"),
        (b"", "malformed"),
        (b"<html><body>502 Bad Gateway</body></html>", "malformed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><feed>&lol2;</feed>',
            "malformed",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<feed>&x;</feed>",
            "malformed",
        ),
    ],
    ids=["rate", "rate-spaces", "truncated", "empty", "html", "billion-laughs", "external-entity"],
)
def test_hostile_or_broken_bodies(body, kind):
    with pytest.raises(AtomError) as caught:
        parse_feed(body)
    assert caught.value.kind == kind


def test_size_cap():
    body = (SAMPLES / "single-1605.08386.xml").read_bytes()
    with pytest.raises(AtomError) as caught:
        parse_feed(body, max_bytes=100)
    assert caught.value.kind == "too-large"
