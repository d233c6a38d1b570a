"""An exporter for Hayagriva YAML, the bibliography format of Typst (``#bibliography("refs.yml")``).

One mapping per record under its citation key, fields in a fixed order, written with PyYAML
(which pybtex, and so citetools, already depends on)::

    xing2026lumos:
      type: article
      title: 'Lumos-Nexus: Efficient Frequency Bridging with ...'
      author:
      - Xing, Jiazheng
      - Yuan, Hangjie
      date: '2026-05-29'
      serial-number: '2605.31603'
      doi: 10.48550/arXiv.2605.31603
      url: https://arxiv.org/abs/2605.31603
      publisher: arXiv

arXiv preprints are articles published by arXiv with the arXiv id as ``serial-number`` (how
Typst's IEEE and APA styles print "arXiv: 2605.31603" and "(2605.31603). arXiv."). Persons are
``"prefix Family, Given, Suffix"`` strings (Hayagriva splits the prefix off the way BibTeX
does), or mappings when a part holds a comma. Hayagriva has no "et al.": a truncated author
list is written as the authors known (``--resolve`` completes it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

import yaml

from citetools import ExportError, Person, Record

_TYPES = {
    "article": "article",
    "inproceedings": "article",
    "incollection": "chapter",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "techreport": "report",
    "online": "web",
}
_PARENTS = {"article": "periodical", "inproceedings": "proceedings", "incollection": "book"}


def person(p: Person) -> str | dict[str, str]:
    if p.literal:
        return {"name": p.family} if "," in p.family else p.family
    if any("," in part for part in (p.given, p.family, p.particle, p.suffix)):
        parts = {"name": p.family, "given-name": p.given, "prefix": p.particle, "suffix": p.suffix}
        return {k: v for k, v in parts.items() if v}
    name = " ".join(part for part in (p.particle, p.family) if part)
    return ", ".join(part for part in (name, p.given, p.suffix) if part)


def entry(record: Record) -> dict[str, object]:
    arxiv = record.ids.arxiv
    fields: dict[str, object] = {"type": _TYPES.get(record.entry_type, "misc")}
    if arxiv and record.entry_type == "misc":
        fields["type"] = "article"
    if record.title:
        fields["title"] = record.title
    if record.authors:
        fields["author"] = [person(p) for p in record.authors]
    if record.date is not None and record.date.year is not None:
        fields["date"] = record.date.iso()
    if arxiv:
        fields["serial-number"] = arxiv
    doi = record.ids.doi or (f"10.48550/arXiv.{arxiv}" if arxiv else None)
    if doi:
        fields["doi"] = doi
    url = record.ids.url or (f"https://arxiv.org/abs/{arxiv}" if arxiv else None)
    if url:
        fields["url"] = url
    if record.venue and record.entry_type in _PARENTS:
        fields["parent"] = {"type": _PARENTS[record.entry_type], "title": record.venue}
    elif arxiv:
        fields["publisher"] = "arXiv"
    return fields


class HayagrivaExporter:
    name = "hayagriva"
    description = "Hayagriva YAML (.yml) for Typst's #bibliography"
    suffixes = (".yml", ".yaml")

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        written = 0
        for record in records:
            if not record.key:
                raise ExportError("record has no citation key; assign keys before export")
            document = {record.key: entry(record)}
            text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
            out.write(("\n" if written else "") + text)
            written += 1
        if not written:
            out.write("{}\n")  # an empty mapping, still a valid Hayagriva file
