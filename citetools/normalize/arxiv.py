"""arXiv identity: the id a record carries, wherever it carries it, and whether it is an arXiv
preprint (written with Zotero's convention in CSL-JSON, ``publisher = {arXiv}`` in BibTeX)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from citetools.model import Ids, Record

ARXIV_NUMBER_PREFIX = "arXiv:"
ARXIV_DOI_PREFIX = "10.48550/arXiv."
ARXIV_ABS_URL = "https://arxiv.org/abs/"
ARXIV_PUBLISHER = "arXiv"
# A field the arXiv resolver filled names it in ``Record.sources``: ``arxiv <UTC time>``.
ARXIV_SOURCE = "arxiv"
PREPRINT_ENTRY_TYPES = frozenset({"misc", "unpublished", "online", "electronic", "preprint"})

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})"
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\." + _ID + "$", re.IGNORECASE)
ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/" + _ID + r"(?:v(?P<v>\d+))?(?:\.pdf)?/?$"
)
ARXIV_NUMBER = re.compile(r"^arXiv:(?P<id>\S+?)(?:v(?P<v>\d+))?$", re.IGNORECASE)


# For identity only (never for output): any spelling of an id, a URL or a DOI, any case.
_ANY_ID = re.compile(
    r"^(?:arxiv:\s*|(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)?10\.48550/arxiv\."
    r"|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/)?"
    + _ID
    + r"(?:v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?$",
    re.IGNORECASE,
)
_DOI = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_BARE_ID = re.compile(f"^{_ID}$", re.IGNORECASE)


def bare_arxiv_id(text: str) -> str | None:
    """The bare arXiv id in any spelling of it, in lower case and without its version:
    ``2605.31603v2``, ``arXiv:2605.31603``, ``https://arxiv.org/abs/2605.31603``,
    ``http://arxiv.org/pdf/2605.31603v1.pdf``, ``10.48550/arXiv.2605.31603`` all give
    ``2605.31603``; ``math.GT/0309136v2`` gives ``math.gt/0309136``. None for anything else."""
    match = _ANY_ID.match(text.strip())
    return match.group("id").lower() if match else None


def bare_doi(text: str) -> str | None:
    """A DOI in lower case (DOIs are case-insensitive), without ``doi:`` or a doi.org
    address around it: ``https://doi.org/10.1145/ABC`` gives ``10.1145/abc``."""
    match = _DOI.match(text.strip())
    return match.group(1).lower() if match else None


def arxiv_identity(record: Record) -> str | None:
    """The record's arXiv paper, for telling records apart: :func:`bare_arxiv_id` of the id,
    the DOI, the URL or the ``number`` field (see :func:`arxiv_id`), whichever names one
    first. An ``ids.arxiv`` that is no arXiv id at all is kept, lower-cased: it still
    identifies the paper."""
    return identity_of(record.ids, record.extra.get("number"))


@lru_cache(maxsize=65536)
def identity_of(ids: Ids, number: str | None) -> str | None:
    """:func:`arxiv_identity` of a record with these ids and ``number`` field. Cached: the
    de-duplicator asks it of a record once for each record alike (a yearly column's many)."""
    for value in (ids.arxiv, ids.doi, ids.url, _arxiv_id(ids, number)):
        if value and (bare := bare_arxiv_id(value)):
            return bare
    raw = (ids.arxiv or "").strip().lower()
    return raw or None


def arxiv_id(record: Record) -> str | None:
    """``ids.arxiv``, else the id in an arXiv DOI, an arxiv.org URL or a ``number`` field
    ``arXiv:<id>`` (how Zotero's BibTeX export writes preprints)."""
    return _arxiv_id(record.ids, record.extra.get("number"))


def _arxiv_id(ids: Ids, number: str | None) -> str | None:
    if ids.arxiv and ids.arxiv.strip():
        return ids.arxiv
    values = (ids.doi, ids.url, number)
    for pattern, value in zip((ARXIV_DOI, ARXIV_URL, ARXIV_NUMBER), values, strict=True):
        if value and (match := pattern.match(value.strip())):
            return match.group("id")
    return None


def is_preprint(record: Record) -> bool:
    """An arXiv preprint: a misc-like entry with an arXiv id or arXiv categories."""
    return record.entry_type.lower() in PREPRINT_ENTRY_TYPES and bool(
        any(map(str.strip, record.categories)) or arxiv_id(record)  # (the cheaper look first)
    )


def arxiv_links(record: Record) -> tuple[str | None, str | None]:
    """The DOI and the URL to write for the record, as arXiv's own BibTeX export gives them: its
    own DOI, else the arXiv DOI ``10.48550/arXiv.<id>`` for an arXiv preprint; its own URL, else
    the abstract page ``https://arxiv.org/abs/<id>`` for any record with an arXiv id (the DOI
    names the preprint: a published version has a DOI of its own, so it gets none).

    Every format writes the id bare, without its version, in its id field (BibTeX ``eprint``,
    RIS ``AN``, CSL ``number``) and in these two, as arXiv's own export and Zotero do: the
    bare id names the paper, the DOI has no version, the abstract page shows the latest one
    and lists the others, and a version a resolver found is only the latest at the time. A
    URL of the record's own that names a version keeps it (JSON Lines keeps it too).

    Derived only from an id the record really has (:func:`arxiv_id`), and only one spelled as
    an arXiv id; what the record gives is never replaced."""
    ids = record.ids
    doi, url = ids.doi or None, ids.url or None
    if doi and url:
        return doi, url
    arxiv = arxiv_id(record)
    if not arxiv or not _BARE_ID.match(arxiv := arxiv.strip()):
        return doi, url
    if doi is None and is_preprint(record):
        doi = ARXIV_DOI_PREFIX + arxiv
    return doi, url or ARXIV_ABS_URL + arxiv


def without_derived_links(ids: Ids, *, preprint: bool) -> Ids:
    """``ids`` less the DOI and URL :func:`arxiv_links` derives from its arXiv id (for readers
    of citetools' own output: what the exporter writes again is not carried as the record's
    own)."""
    arxiv = (ids.arxiv or "").strip()
    if not _BARE_ID.match(arxiv):
        return ids
    derived_doi = preprint and ids.doi == ARXIV_DOI_PREFIX + arxiv
    derived_url = ids.url == ARXIV_ABS_URL + arxiv
    if not derived_doi and not derived_url:
        return ids
    return replace(ids, doi=None if derived_doi else ids.doi, url=None if derived_url else ids.url)
