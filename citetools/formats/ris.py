"""RIS words both directions use: the types, the tags of extra fields, how arXiv ids are written."""

from __future__ import annotations

# BibTeX entry type -> RIS type; the reader maps each RIS type back to the first type naming it.
TYPES = {
    "misc": "GEN",
    "article": "JOUR",
    "inproceedings": "CONF",
    "conference": "CONF",
    "incollection": "CHAP",
    "inbook": "CHAP",
    "book": "BOOK",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "techreport": "RPRT",
    "online": "ELEC",
    "unpublished": "UNPB",
}
# Extra (BibTeX) fields with a RIS tag of their own; pages are split into SP and EP.
EXTRA_TAGS = {
    "volume": "VL",
    "number": "IS",
    "publisher": "PB",
    "address": "CY",
    "edition": "ET",
    "language": "LA",
    "isbn": "SN",
}
ET_AL = "et al."  # the N1 note of a truncated author list (RIS has no mark for it)
# An arXiv id is the accession number ``AN  - arXiv:<id>`` in database ``DB  - arXiv``.
ARXIV_DATABASE = "arXiv"
ARXIV_PREFIX = "arXiv:"


def arxiv_url(arxiv: str) -> str:
    """The abstract page written as ``UR`` for an arXiv preprint without a URL of its own."""
    return f"https://arxiv.org/abs/{arxiv}"
