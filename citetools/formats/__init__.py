"""The vocabulary of the formats citetools reads and writes, shared by readers and exporters.

Pure data and small pure functions, no I/O: what an exporter writes and the reader of the same
format must recognise to undo it. Readers and exporters both import from here, never from each
other. :mod:`citetools.formats.bibtex`, :mod:`citetools.formats.csl` and
:mod:`citetools.formats.ris` hold each format's own words; this module holds citetools' own
conventions that every format uses: how ``Record.has_code``, ``Record.orgs`` and
``Record.affiliation`` are spelled in keywords and notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

CODE_KEYWORD = "code-available"
"""The keyword that says the paper has code (``Record.has_code``)."""
ORG_PREFIX = "org:"
"""The prefix of the keyword ``org:<tag>`` that stands for one of ``Record.orgs``."""
AFFILIATION_PREFIX = "Affiliation: "
"""The prefix of the note (BibTeX ``annote``) line that holds ``Record.affiliation``."""


class OwnKeywords(NamedTuple):
    """A record's keywords read back: ``Record.orgs`` (their ``org:`` prefix removed),
    ``Record.has_code``, and the other keywords, in order."""

    orgs: tuple[str, ...]
    has_code: bool
    other: list[str]


def own_keywords(keywords: Iterable[str]) -> OwnKeywords:
    """The keywords that spell ``Record.orgs`` and ``Record.has_code`` told from the others."""
    orgs: list[str] = []
    has_code = False
    other: list[str] = []
    for keyword in keywords:
        if keyword.startswith(ORG_PREFIX):
            orgs.append(keyword[len(ORG_PREFIX) :])
        elif keyword == CODE_KEYWORD:
            has_code = True
        else:
            other.append(keyword)
    return OwnKeywords(tuple(orgs), has_code, other)
