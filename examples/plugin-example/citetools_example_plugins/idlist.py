"""A reader for plain identifier lists: one DOI, arXiv id or URL per line.

::

    # my reading list
    2605.31603
    arXiv:1706.03762v7
    https://arxiv.org/pdf/2104.12255v1
    hep-th/9901001
    10.1145/3292500.3330701
    https://doi.org/10.48550/arXiv.2305.12345
    https://example.org/paper.html

Blank lines and lines starting with ``#`` are skipped. Each identifier becomes a record with
only that identifier: ``citetools export ids.txt --resolve`` fills in the rest from arXiv.
A line that is no identifier is reported (with its line number) and skipped. The reader claims
inputs whose first line and at least half of all lines are identifiers (``sniff``), whatever
their suffix; ``.ids`` is its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from citetools import Ids, Problem, Provenance, ReadError, ReadResult, Record, Source

_ARXIV_ID = r"(?P<arxiv>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?"
_ARXIV = re.compile(
    r"(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|"
    r"(?:doi:|https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.)?" + _ARXIV_ID + r"(?:\.pdf)?",
    re.IGNORECASE,
)
_DOI = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(?P<doi>10\.\d{4,9}/\S+)", re.I)
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_SNIFF_LINES = 200


def parse_identifier(text: str) -> Ids | None:
    """The identifier on one line, or None when the line holds none."""
    if match := _ARXIV.fullmatch(text):
        version = match.group("version")
        return Ids(arxiv=match.group("arxiv"), arxiv_version=int(version) if version else None)
    if match := _DOI.fullmatch(text):
        return Ids(doi=match.group("doi"))
    if _URL.fullmatch(text):
        return Ids(url=text)
    return None


def _lines(lines: Iterable[str], most: int | None = None) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(islice(lines, most), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            found.append((number, stripped))
    return found


class IdListReader:
    name = "idlist"
    description = "Identifier lists (.ids): one DOI, arXiv id or URL per line"
    suffixes = (".ids",)

    def sniff(self, source: Source) -> bool:
        """The first line is an identifier, and so are at least half of the others."""
        lines = [line for _, line in _lines(source.lines(), _SNIFF_LINES)]
        if not lines or parse_identifier(lines[0]) is None:
            return False
        return 2 * sum(parse_identifier(line) is not None for line in lines) >= len(lines)

    def read(self, source: Source) -> ReadResult:
        result = ReadResult()
        for number, line in _lines(source.lines()):
            ids = parse_identifier(line)
            if ids is None:
                message = f"not a DOI, arXiv id or URL, skipped: {line[:60]!r}"
                result.problems.append(Problem(message, source.name, number, severity="error"))
                continue
            provenance = (Provenance(source.name, number, self.name),)
            result.records.append(Record(ids=ids, provenance=provenance))
        if not result.records:
            raise ReadError("no DOI, arXiv id or URL in the input", source=source.name)
        return result
