"""An arXiv id reaches every client: each format carries, beside the id, the abstract page and
(for a preprint) the arXiv DOI, as arXiv's own BibTeX export does; derived only from an id the
record has, never replacing the record's own; the id bare (no version) everywhere."""

from __future__ import annotations

import json

import pytest

from citetools.exporters import to_string
from citetools.exporters.biblatex import biblatex_fields
from citetools.exporters.bibtex import bibtex_fields
from citetools.exporters.csljson import CslJsonExporter
from citetools.exporters.ris import ris_tags
from citetools.model import Ids, Record

ABS, DOI = "https://arxiv.org/abs/2605.31603", "10.48550/arXiv.2605.31603"


def links(record: Record) -> dict[str, tuple[str | None, str | None]]:
    """(DOI, URL) as each format writes them."""
    bib, blx = bibtex_fields(record), biblatex_fields(record)
    ris = dict(ris_tags(record))
    (item,) = json.loads(to_string(CslJsonExporter(), [record]))
    return {
        "bibtex": (bib.get("doi"), bib.get("url")),
        "biblatex": (blx.get("doi"), blx.get("url")),
        "ris": (ris.get("DO"), ris.get("UR")),
        "csljson": (item.get("DOI"), item.get("URL")),
    }


def every_format(doi: str | None, url: str | None) -> dict[str, tuple[str | None, str | None]]:
    return dict.fromkeys(("bibtex", "biblatex", "ris", "csljson"), (doi, url))


def test_a_preprint_gets_the_arxiv_doi_and_abstract_page_in_every_format():
    record = Record(title="T", ids=Ids(arxiv="2605.31603", arxiv_version=2), key="k")
    assert links(record) == every_format(DOI, ABS)


def test_the_id_is_bare_in_every_format():
    record = Record(title="T", ids=Ids(arxiv="2605.31603", arxiv_version=2), key="k")
    assert bibtex_fields(record)["eprint"] == biblatex_fields(record)["eprint"] == "2605.31603"
    assert dict(ris_tags(record))["AN"] == "arXiv:2605.31603"
    (item,) = json.loads(to_string(CslJsonExporter(), [record]))
    assert item["number"] == "arXiv:2605.31603"


def test_a_published_article_gets_the_page_but_not_the_preprint_doi():
    """The arXiv DOI names the preprint: a journal article has a DOI of its own."""
    record = Record(entry_type="article", title="T", ids=Ids(arxiv="2605.31603"), key="k")
    assert links(record) == every_format(None, ABS)


def test_the_records_own_doi_and_url_are_never_replaced():
    own_doi = Record(title="T", ids=Ids(arxiv="2605.31603", doi="10.1109/X.1"), key="k")
    assert links(own_doi) == every_format("10.1109/X.1", ABS)
    own_url = Record(title="T", ids=Ids(arxiv="2605.31603", url="https://x.org/p"), key="k")
    assert links(own_url) == every_format(DOI, "https://x.org/p")


@pytest.mark.parametrize(
    "ids",
    [Ids(), Ids(arxiv="not an id"), Ids(arxiv="2605.3")],
    ids=["listing-entry-no-id", "not-an-arxiv-id", "truncated-id"],
)
def test_nothing_is_derived_without_a_real_arxiv_id(ids):
    record = Record(title="T", categories=("cs.CV",), ids=ids, key="k")
    assert links(record) == every_format(None, None)
