"""CSL-JSON, the input of citeproc-js (Zotero, citation-js), pandoc ``--citeproc`` and citeproc-py.

One JSON array, one item per record in input order, written a batch of records at a time; 2-space
indent, UTF-8 kept as UTF-8, keys in a fixed order (:data:`KEY_ORDER`, then other variables by
name, then ``custom``), final newline; deterministic. Every item is valid against the official
CSL 1.0.2 schema. ``id`` is the citation key. No value is an empty string or an empty list.

- **arXiv preprints** (entry type ``misc``/``unpublished``/``online``/``electronic``/``preprint``
  with an arXiv id or with categories, which only arXiv listing entries have) follow Zotero:
  ``type: "article"``, ``publisher: "arXiv"``, ``number: "arXiv:<id>"``, ``DOI`` the known DOI else
  ``10.48550/arXiv.<id>``, ``URL`` the known URL else ``https://arxiv.org/abs/<id>`` (both bare,
  see :func:`~citetools.normalize.arxiv.arxiv_links`). Other records keep an arXiv id in
  ``number`` and get the abstract page as ``URL`` when they have none. Other types map by
  :data:`CSL_TYPES` (``article`` -> ``article-journal``, ``phdthesis`` -> ``thesis`` with genre
  ``PhD thesis``, ``misc`` -> ``document`` ...); a CSL type stays; anything else is
  ``document``.
- **Authors**: ``family``/``given``/``non-dropping-particle``/``suffix``, corporate ones as
  ``literal``. "et al." is never a name: CSL cannot mark a list truncated, so ``note`` gets
  :func:`~citetools.formats.csl.truncation_note`: ``authors truncated: the listing shows only
  the first 3 authors (et al.)`` (``... the first author ...``; ``... shows no author names``).
- **note**, one per line: own note, ``Affiliation: <affiliation>``, the truncation line.
- **Title** is CSL rich text: each word whose capitals are inherent gets ``<span
  class="nocase">...</span>`` (Zotero's spelling) by the rule of BibTeX's braces
  (:func:`citetools.normalize.titles.protect_title`: a capital after the first character; single
  capitals but an ``A`` between spaces). ``&``, ``<``, ``>`` stay as they are: citeproc-js and
  pandoc print entities literally (``Q&amp;A``). Only what they would misread is escaped: a
  ``<`` opening a tag they interpret (:data:`~citetools.formats.csl.RICH_TEXT_TAG`) becomes
  ``&lt;``, an ``&`` opening ``&amp;``/``&lt;``/``&gt;`` becomes ``&amp;``; the reader undoes
  exactly that.
- **keyword**: categories, own keywords, ``org:<tag>`` per org, ``code-available`` (that order).
- **Other fields** (``Record.extra``): BibTeX names become CSL variables
  (:data:`~citetools.formats.csl.RENAMES`; ``number`` is ``issue`` in journals); names that are
  CSL variables pass through; name lists (``editor``) are split BibTeX's way, dates (``urldate``)
  must be ISO. What has no CSL variable, or whose variable holds another value, goes to
  ``custom`` under its own name: nothing is lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any, TextIO

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from citetools.errors import ExportError
from citetools.formats import AFFILIATION_PREFIX, CODE_KEYWORD, ORG_PREFIX
from citetools.formats.csl import (
    CSL_TYPE_NAMES,
    DATE_VARIABLES,
    ENTITY,
    NAME_VARIABLES,
    RICH_TEXT_TAG,
    THESIS_GENRES,
    candidates,
    target_variable,
    truncation_note,
    words,
)
from citetools.model import PartialDate, Person, Record
from citetools.normalize.arxiv import (
    ARXIV_NUMBER_PREFIX,
    ARXIV_PUBLISHER,
    arxiv_id,
    arxiv_links,
    is_preprint,
)
from citetools.normalize.names import is_corporate, is_et_al, is_et_al_person
from citetools.normalize.titles import ASCII_CANDIDATE, article_position, has_inherent_capitals

NOCASE_OPEN, NOCASE_CLOSE = '<span class="nocase">', "</span>"


CSL_TYPES: Mapping[str, str] = {
    "article": "article-journal",
    **dict.fromkeys(words("book mvbook collection mvcollection proceedings mvproceedings"), "book"),
    "reference": "book",
    "booklet": "pamphlet",
    **dict.fromkeys(words("inbook incollection bookinbook suppbook"), "chapter"),
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "inreference": "entry-encyclopedia",
    "manual": "report",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
    "misc": "document",
    **dict.fromkeys(words("online electronic www"), "webpage"),
}
KEY_ORDER = words(
    "id type title author editor issued container-title collection-title publisher "
    "publisher-place genre edition volume issue chapter-number page number DOI ISBN ISSN URL "
    "accessed abstract keyword note"
)

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
CslValue = str | list[dict[str, str]] | dict[str, list[list[int]]]
_WORD = re.compile(r"[^\W_]+")  # the word of citetools.normalize.titles
_NAME_KEYS = words("family given non-dropping-particle suffix")
_ESCAPE = re.compile(f"&(?={ENTITY.pattern[1:]})|(?=(?:{RICH_TEXT_TAG.pattern}))<")


def _text(value: str | None) -> str | None:
    """The value, or None when it is empty or only white space (never written)."""
    return value if value and value.strip() else None


def csl_type(entry_type: str) -> str:
    """The CSL type of a (non-preprint) BibTeX entry type."""
    entry_type = entry_type.lower()
    if entry_type in CSL_TYPES:
        return CSL_TYPES[entry_type]
    return entry_type if entry_type in CSL_TYPE_NAMES else "document"


def csl_title(title: str) -> str:
    """Plain title -> CSL rich text: inherent capitals in nocase spans, markup escaped."""
    if title.isascii() and "&" not in title and "<" not in title:  # the common case
        return ASCII_CANDIDATE.sub(_nocase_ascii, title)
    return _rich_title(title)


def _rich_title(title: str) -> str:
    """:func:`csl_title` of any title, word by word."""
    nocase = [m.span() for m in _WORD.finditer(title) if _inherent(m)]
    escaped = {m.start(): "&amp;" if m.group() == "&" else "&lt;" for m in _ESCAPE.finditer(title)}
    if not escaped:  # the common case, by slices (words never hold ``&`` or ``<``)
        out: list[str] = []
        done = 0
        for start, end in nocase:
            out += (title[done:start], NOCASE_OPEN, title[start:end], NOCASE_CLOSE)
            done = end
        out.append(title[done:])
        return "".join(out)
    chars = [escaped.get(pos, char) for pos, char in enumerate(title)]
    for start, end in nocase:
        chars[start] = NOCASE_OPEN + chars[start]
        chars[end - 1] += NOCASE_CLOSE
    return "".join(chars)


def _inherent(word: re.Match[str]) -> bool:
    return has_inherent_capitals(word.group(), article_position=_article(word))


def _article(word: re.Match[str]) -> bool:
    """Whether the word stands where the article would (as BibTeX's title protection sees it:
    a final "A" is a letter, ``Plan A``)."""
    return article_position(word.string, word.start(), word.end())


def _nocase_ascii(word: re.Match[str]) -> str:
    """A candidate word of an ASCII title (all have inherent capitals but the article "A")."""
    text = word.group()
    return text if text == "A" and _article(word) else NOCASE_OPEN + text + NOCASE_CLOSE


def csl_name(person: Person) -> dict[str, str] | None:
    """A Person as a CSL name object; None when it has no text at all."""
    if person.literal:
        return {"literal": person.family} if _text(person.family) else None
    values = (person.family, person.given, person.particle, person.suffix)
    parts = zip(_NAME_KEYS, values, strict=True)
    return {key: value for key, value in parts if _text(value)} or None


def csl_names(persons: Iterable[Person]) -> list[dict[str, str]]:
    names = (csl_name(p) for p in persons if not is_et_al_person(p))
    return [name for name in names if name is not None]


def parse_plain_names(text: str) -> list[Person]:
    """A plain-text BibTeX name list (``Müller, Hans and World Health Organization``)."""
    persons: list[Person] = []
    for raw in split_multiple_persons_names(text):
        raw = " ".join(raw.split())
        if not raw or is_et_al(raw):
            continue
        if "," not in raw and is_corporate(raw):
            persons.append(Person(family=raw, literal=True))
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        persons.append(
            Person(
                given=" ".join(parts.first),
                particle=" ".join(parts.von),
                family=" ".join(parts.last),
                suffix=" ".join(parts.jr),
            )
        )
    return persons


def csl_date(date: PartialDate) -> dict[str, list[list[int]]] | None:
    """Only the known parts: ``{"date-parts": [[2026, 5]]}``; None without a year."""
    known = (date.year, date.month, date.day if date.month is not None else None)
    parts = [part for part in known if part is not None]
    return {"date-parts": [parts]} if date.year is not None else None


def _keyword(record: Record) -> str | None:
    parts = [*record.categories, record.extra.get("keywords", "")]
    parts += [ORG_PREFIX + org.strip() for org in record.orgs if org.strip()]
    if record.has_code:
        parts.append(CODE_KEYWORD)
    return ", ".join(p.strip() for p in parts if p.strip()) or None


def _note(record: Record, authors: int) -> str | None:
    lines = [record.extra.get("note", "")]
    if _text(record.affiliation):
        lines.append(AFFILIATION_PREFIX + str(record.affiliation))
    if record.authors_truncated or any(is_et_al_person(p) for p in record.authors):
        lines.append(truncation_note(authors))
    return "\n".join(line for line in lines if line.strip()) or None


def _variable_value(variable: str, value: str) -> CslValue | None:
    """An extra field's text as the value of ``variable``; None if it cannot be one."""
    if variable in NAME_VARIABLES:
        return csl_names(parse_plain_names(value)) or None
    if variable in DATE_VARIABLES:
        match = ISO_DATE.match(value.strip())
        if not match:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        return csl_date(PartialDate(year, month, day))
    if variable == "page":
        return value.replace("--", "-")
    return value


def _extras(
    record: Record, type_: str, taken: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Extra fields as CSL variables, and the rest as ``custom`` (unless it repeats the value
    the record's own fields gave the variable: Zotero's ``publisher = {arXiv}``)."""
    variables: dict[str, Any] = {}
    custom: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for name, value in record.extra.items():
        if name in ("note", "keywords") or not value.strip():
            continue
        target = target_variable(name, type_)
        if target is None or target in taken:
            if target is None or taken[target] != value:
                custom[name] = value
        else:
            groups.setdefault(target, []).append(name)
    for target, names in groups.items():
        order = candidates(target, type_)
        winner, *others = sorted(names, key=order.index)
        converted = _variable_value(target, record.extra[winner])
        if converted is None:
            others.append(winner)
        else:
            variables[target] = converted
        custom.update((name, record.extra[name]) for name in others)
    return variables, dict(sorted(custom.items()))


def csl_item(record: Record) -> dict[str, Any]:
    """One record as a CSL-JSON item (keys in the canonical order)."""
    if not record.key:
        raise ExportError("record has no citation key; assign keys before export", source=None)
    arxiv = arxiv_id(record)
    preprint = is_preprint(record)
    doi, url = arxiv_links(record)
    type_ = "article" if preprint else csl_type(record.entry_type)
    authors = csl_names(record.authors)
    title = _text(record.title)
    genre_given = any(
        target_variable(name, type_) == "genre" and value.strip()
        for name, value in record.extra.items()
    )
    own: dict[str, Any] = {  # in the order of KEY_ORDER
        "id": record.key,
        "type": type_,
        "title": csl_title(title) if title else None,
        "author": authors or None,
        "issued": csl_date(record.date) if record.date is not None else None,
        "container-title": _text(record.venue),
        "publisher": ARXIV_PUBLISHER if preprint else None,
        "genre": None if genre_given else THESIS_GENRES.get(record.entry_type.lower()),
        "number": ARXIV_NUMBER_PREFIX + arxiv if arxiv else None,
        "DOI": _text(doi),
        "URL": _text(url),
        "abstract": _text(record.abstract),
        "keyword": _keyword(record),
        "note": _note(record, len(authors)),
    }
    fields = {name: value for name, value in own.items() if value is not None}
    if not record.extra:  # the common case: already in order
        return fields
    variables, custom = _extras(record, type_, fields)
    fields.update(variables)
    item = {name: fields[name] for name in KEY_ORDER if name in fields}
    item.update((name, fields[name]) for name in sorted(set(fields) - set(KEY_ORDER)))
    if custom:
        item["custom"] = custom
    return item


# Items encoded by one json.dumps call. With ``indent``, json encodes in Python, and each call
# leaves its encoder as a reference cycle for the cycle collector (which the CLI may pause): a
# call an item would leave some 270 MB of them at 100k items, a call a batch 3 MB.
_BATCH = 100


class CslJsonExporter:
    name = "csljson"
    description = "CSL-JSON (.json) for citeproc, pandoc, Zotero; arXiv papers as Zotero has it"
    suffixes = (".json",)

    def write(self, records: Iterable[Record], out: TextIO) -> None:
        """One JSON array, written a batch of items at a time: each batch is encoded as an
        array of its own, without its first and last line (the brackets)."""
        separator = "[\n"
        given = iter(records)
        while batch := [csl_item(record) for record in islice(given, _BATCH)]:
            out.write(separator + json.dumps(batch, ensure_ascii=False, indent=2)[2:-2])
            separator = ",\n"
        out.write("[]\n" if separator == "[\n" else "\n]\n")
