"""arXiv identity: the id a record carries, wherever it carries it, and whether it is an arXiv
preprint (written with Zotero's convention in CSL-JSON, ``publisher = {arXiv}`` in BibTeX)."""

from __future__ import annotations

import re

from citetools.model import Record

ARXIV_NUMBER_PREFIX = "arXiv:"
ARXIV_DOI_PREFIX = "10.48550/arXiv."
ARXIV_ABS_URL = "https://arxiv.org/abs/"
ARXIV_PUBLISHER = "arXiv"
PREPRINT_ENTRY_TYPES = frozenset({"misc", "unpublished", "online", "electronic", "preprint"})

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})"
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\." + _ID + "$", re.IGNORECASE)
ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/" + _ID + r"(?:v(?P<v>\d+))?(?:\.pdf)?/?$"
)
ARXIV_NUMBER = re.compile(r"^arXiv:(?P<id>\S+?)(?:v(?P<v>\d+))?$", re.IGNORECASE)


def arxiv_id(record: Record) -> str | None:
    """``ids.arxiv``, else the id in an arXiv DOI, an arxiv.org URL or a ``number`` field
    ``arXiv:<id>`` (how Zotero's BibTeX export writes preprints)."""
    if record.ids.arxiv and record.ids.arxiv.strip():
        return record.ids.arxiv
    values = (record.ids.doi, record.ids.url, record.extra.get("number"))
    for pattern, value in zip((ARXIV_DOI, ARXIV_URL, ARXIV_NUMBER), values, strict=True):
        if value and (match := pattern.match(value.strip())):
            return match.group("id")
    return None


def is_preprint(record: Record) -> bool:
    """An arXiv preprint: a misc-like entry with an arXiv id or arXiv categories."""
    return record.entry_type.lower() in PREPRINT_ENTRY_TYPES and bool(
        arxiv_id(record) or any(c.strip() for c in record.categories)
    )
