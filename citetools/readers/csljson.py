"""CSL-JSON (an array of items, or one item object): the reverse of the CSL-JSON exporter.

What :mod:`citetools.exporters.csljson` writes reads back into records that export to the same
text; each decision listed there is undone. ``type: "article"`` is ``misc``; ``number:
"arXiv:<id>"``, an arXiv DOI or an arxiv.org URL give ``ids.arxiv`` (and a ``vN`` version), and
what the exporter derives from the id (DOI, URL, ``publisher: "arXiv"``) is not stored. The
note's last lines give ``authors_truncated`` and ``affiliation``; ``keyword`` gives ``has_code``,
``orgs`` and, on arXiv items, leading canonical ``categories``; titles lose their tags and the
three entities; other variables go back to BibTeX names (``page`` -> ``pages``, ``editor`` as a
plain ``A and B`` list ...) and ``custom`` entries to what they were. From other tools: an author
``others`` (pandoc's and citation-js's ``and others``) sets ``authors_truncated``;
``dropping-particle`` joins ``particle``.

Text that is not JSON raises :class:`~citetools.errors.ReadError` with the fault's line and
column. An item that is not an object, lacks ``id`` or ``type``, or holds a wrongly typed value
is skipped with an error naming its index (0-based) and line; a value with no place in a record
(a list in an unknown variable, a date without a year) is dropped with a warning. Provenance is
the line of the item's opening brace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from citetools.errors import Problem, ReadError
from citetools.formats import AFFILIATION_PREFIX, CODE_KEYWORD, ORG_PREFIX
from citetools.formats.csl import (
    CSL_TYPE_NAMES,
    DATE_VARIABLES,
    ENTITY,
    JOURNAL_TYPES,
    NAME_VARIABLES,
    RENAMES,
    RICH_TEXT_TAG,
    THESIS_GENRES,
    candidates,
    truncation_note,
    words,
)
from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.normalize.arxiv import (
    ARXIV_DOI,
    ARXIV_NUMBER,
    ARXIV_PUBLISHER,
    ARXIV_URL,
    without_derived_links,
)
from citetools.normalize.categories import normalize_category
from citetools.normalize.names import is_et_al_person
from citetools.readers import ReadResult, Source

# CSL type -> BibTeX entry type; a CSL type not listed is kept as the entry type.
ENTRY_TYPES: Mapping[str, str] = {
    csl: entry
    for csl, _, entry in (
        pair.partition(":")
        for pair in words(
            "article:misc document:misc article-journal:article pamphlet:booklet "
            "chapter:incollection paper-conference:inproceedings entry-encyclopedia:inreference "
            "report:techreport manuscript:unpublished webpage:online"
        )
    )
}
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_GENRE_TYPES = {genre: entry_type for entry_type, genre in THESIS_GENRES.items()}
_CORE = frozenset(
    words("id type title author issued container-title DOI URL abstract keyword note custom")
)
_RAW_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_ORG = re.compile(re.escape(ORG_PREFIX) + ".")
_SNIFF_KEY = re.compile(r'"(?:id|type)"\s*:')
_WHITESPACE = " \t\n\r"


class _BadItem(Exception):
    """An item that cannot become a record; the message says why."""


def _string(item: Mapping[str, Any], key: str) -> str | None:
    """A text variable (strings and numbers accepted); None when absent or empty."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _BadItem(f'"{key}" must be a string, not {type(value).__name__}')
    text = str(value)
    return text if text.strip() else None


def _person(value: object, key: str) -> Person | None:
    if not isinstance(value, dict):
        raise _BadItem(f'"{key}" must hold name objects, not {type(value).__name__}')
    if literal := _string(value, "literal"):
        return Person(family=literal, literal=True)
    particles = (_string(value, "dropping-particle"), _string(value, "non-dropping-particle"))
    person = Person(
        given=_string(value, "given") or "",
        family=_string(value, "family") or "",
        particle=" ".join(p for p in particles if p),
        suffix=_string(value, "suffix") or "",
    )
    return person if person.display() else None


def _persons(item: Mapping[str, Any], key: str) -> tuple[list[Person], bool]:
    """Names of a name variable, and whether an ``others`` marked the list as truncated."""
    value = item.get(key, [])
    if not isinstance(value, list):
        raise _BadItem(f'"{key}" must be a list of names, not {type(value).__name__}')
    persons = [p for p in (_person(v, key) for v in value) if p is not None]
    named = [p for p in persons if not is_et_al_person(p)]
    return named, len(named) < len(persons)


def _date(value: object, key: str) -> PartialDate | None:
    """A date variable; None when it has no usable year-month-day (``literal``, month 13)."""
    if not isinstance(value, dict):
        raise _BadItem(f'"{key}" must be a date object, not {type(value).__name__}')
    parts = value.get("date-parts")
    if parts is None:  # no date-parts: an ISO "raw" date, or nothing citetools can use
        match = _RAW_DATE.match(str(value.get("raw", "")))
        numbers = [int(g) for g in match.groups() if g] if match else []
    elif not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        raise _BadItem(f'"{key}": "date-parts" must be a list of lists')
    else:
        numbers = []
        for part in parts[0][:3]:
            if isinstance(part, bool) or not isinstance(part, int | str) or not str(part).isdigit():
                raise _BadItem(f'"{key}": date part {part!r} is not a number')
            numbers.append(int(part))
    valid = all(1 <= n <= top for n, top in zip(numbers[1:], (12, 31), strict=False))
    return PartialDate(*numbers) if numbers and valid else None


def plain_title(title: str) -> str:
    """CSL rich text -> plain text: tags removed, then ``&amp;``, ``&lt;``, ``&gt;`` decoded."""
    return ENTITY.sub(lambda m: _ENTITIES[m.group(1)], RICH_TEXT_TAG.sub("", title))


def plain_names(persons: list[Person]) -> str:
    """Persons as a plain-text BibTeX name list: ``van Gogh, Vincent and Some Team``."""
    names = []
    for p in persons:
        rest = [] if p.literal else [x for x in (p.suffix, p.given) if x]
        names.append(", ".join([" ".join(x for x in (p.particle, p.family) if x), *rest]))
    return " and ".join(names)


def _arxiv(item: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """The arXiv id (and version) from ``number``, then the DOI, then the URL."""
    number, doi, url = _string(item, "number"), _string(item, "DOI"), _string(item, "URL")
    if number and (match := ARXIV_NUMBER.match(number.strip())):
        arxiv, version = match.group("id"), match.group("v")
    elif doi and (match := ARXIV_DOI.match(doi.strip())):
        arxiv, version = match.group("id"), None
    elif url and (match := ARXIV_URL.match(url.strip())):
        arxiv, version = match.group("id"), match.group("v")
    else:
        return None, None
    if version is None and url and (match := ARXIV_URL.match(url.strip())):
        version = match.group("v") if match.group("id") == arxiv else None
    return arxiv, int(version) if version else None


def _split_note(note: str | None, authors: int) -> tuple[str | None, str | None, bool]:
    """note -> (the record's own note, affiliation, authors truncated)."""
    if note is None:
        return None, None, False
    rest, _, last = note.rpartition("\n")
    truncated = last == truncation_note(authors)
    if not truncated:
        rest = note
    before, _, last = rest.rpartition("\n")
    affiliation = None
    if last.startswith(AFFILIATION_PREFIX) and last[len(AFFILIATION_PREFIX) :].strip():
        affiliation, rest = last[len(AFFILIATION_PREFIX) :], before
    return rest or None, affiliation, truncated


def _split_keywords(text: str | None, arxiv: bool) -> tuple[list[str], str, list[str], bool]:
    """keyword -> (categories, the record's own keywords, orgs, has_code)."""
    if text is None:
        return [], "", [], False
    pieces = text.split(",")
    tokens = [p.strip() for p in pieces]
    has_code = tokens[-1] == CODE_KEYWORD
    end = first_org = len(tokens) - has_code
    while first_org > 0 and _ORG.match(tokens[first_org - 1]):
        first_org -= 1
    start = 0
    while arxiv and start < first_org and normalize_category(tokens[start]) == tokens[start]:
        start += 1
    orgs = [t[len(ORG_PREFIX) :] for t in tokens[first_org:end]]
    return tokens[:start], ",".join(pieces[start:first_org]).strip(), orgs, has_code


def _carrier(variable: str, type_: str, custom: Mapping[str, str]) -> str | None:
    """The extra field that gives ``variable`` back on export: the first BibTeX name RENAMES
    gives it (else its own), unless a custom field of higher precedence is in the way."""
    order = candidates(variable, type_)
    limit = min((order.index(name) for name in custom if name in order), default=len(order))
    preferred = next((name for name, v in RENAMES.items() if v == variable), variable)
    if variable == "publisher":
        preferred = {"thesis": "school", "report": "institution"}.get(type_, "publisher")
    elif variable == "issue" and type_ in JOURNAL_TYPES:
        preferred = "number"
    if preferred in order[:limit]:
        return preferred
    return order[0] if limit > 0 else None


def _extra(
    item: Mapping[str, Any], type_: str, consumed: set[str], problems: list[str]
) -> dict[str, str]:
    custom = item.get("custom", {})
    if not isinstance(custom, dict):
        raise _BadItem(f'"custom" must be an object, not {type(custom).__name__}')
    extra: dict[str, str] = {}
    for name, value in custom.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            extra[str(name)] = str(value)
        else:
            problems.append(f'custom field "{name}" is not text and was dropped')
    for variable in sorted(set(item) - _CORE - consumed):
        text: str | None
        if variable in NAME_VARIABLES:
            text = plain_names(_persons(item, variable)[0]) or None
        elif variable in DATE_VARIABLES:
            date = _date(item[variable], variable)
            if date is None:
                problems.append(f'"{variable}" is not a usable date and was dropped')
                continue
            text = date.iso()
        elif isinstance(item[variable], str | int | float) and not isinstance(item[variable], bool):
            text = _string(item, variable)
        else:
            problems.append(f'"{variable}" has no place in a record and was dropped')
            continue
        if text is None:
            continue
        name = _carrier(variable, type_, extra) or variable
        if name in extra:
            problems.append(f'"{variable}" clashes with custom field "{name}" and was dropped')
            continue
        extra[name] = text
    return extra


def item_to_record(item: Mapping[str, Any], source: str, line: int) -> tuple[Record, list[str]]:
    """One CSL item (with ``id`` and ``type``) -> a record, and warnings about it."""
    problems: list[str] = []
    type_ = str(item["type"])
    arxiv, version = _arxiv(item)
    preprint = type_ == "article"
    doi, url = _string(item, "DOI"), _string(item, "URL")
    if arxiv:  # drop what the exporter derives from the id
        ids = without_derived_links(Ids(arxiv, doi=doi, url=url), preprint=preprint)
        doi, url = ids.doi, ids.url
    consumed: set[str] = set()
    number = _string(item, "number")
    if arxiv and number and ARXIV_NUMBER.match(number.strip()):
        consumed.add("number")
    if preprint and _string(item, "publisher") == ARXIV_PUBLISHER:
        consumed.add("publisher")
    entry_type = ENTRY_TYPES.get(type_, type_)
    genre = _string(item, "genre")
    if type_ == "thesis" and genre in _GENRE_TYPES:
        entry_type = _GENRE_TYPES[genre]
        consumed.add("genre")
    authors, others = _persons(item, "author")
    note, affiliation, truncated = _split_note(_string(item, "note"), len(authors))
    categories, keywords, orgs, has_code = _split_keywords(
        _string(item, "keyword"), preprint or arxiv is not None
    )
    extra = _extra(item, type_, consumed, problems)
    if note is not None:
        extra["note"] = note
    if keywords:
        extra["keywords"] = keywords
    title = _string(item, "title")
    issued = item.get("issued")
    date = _date(issued, "issued") if issued is not None else None
    if issued is not None and date is None:
        problems.append('"issued" is not a usable date and was dropped')
    if type_ not in CSL_TYPE_NAMES:
        problems.append(f"{type_!r} is not a CSL type; read as entry type {entry_type!r}")
    record = Record(
        entry_type=entry_type,
        title=plain_title(title) if title else None,
        authors=tuple(authors),
        authors_truncated=truncated or others,
        date=date,
        venue=_string(item, "container-title"),
        abstract=_string(item, "abstract"),
        categories=tuple(categories),
        ids=Ids(arxiv=arxiv, arxiv_version=version, doi=doi, url=url),
        has_code=has_code,
        orgs=tuple(orgs),
        affiliation=affiliation,
        extra=extra,
        key=str(item["id"]),
        provenance=(Provenance(source, line, "csljson"),),
    )
    return record, problems


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def parse_items(text: str) -> tuple[bool, list[tuple[int, Any]]]:
    """(is an array, its values each with the line it starts on), or (False, [the one value]).
    Raises :class:`json.JSONDecodeError` where the text is not JSON."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 1 if text.startswith("\ufeff") else 0)
    items: list[tuple[int, Any]] = []
    array = text.startswith("[", pos)
    if array:
        pos = _skip_space(text, pos + 1)
        closed = text.startswith("]", pos)
        line, counted = 1, 0
        while not closed:
            value, end = decoder.raw_decode(text, pos)
            line, counted = line + text.count("\n", counted, pos), pos
            items.append((line, value))
            pos = _skip_space(text, end)
            if text.startswith(",", pos):
                pos = _skip_space(text, pos + 1)
            elif text.startswith("]", pos):
                closed = True
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter or ']'", text, pos)
        pos += 1
    else:
        line = text.count("\n", 0, pos) + 1
        value, pos = decoder.raw_decode(text, pos)
        items.append((line, value))
    pos = _skip_space(text, pos)
    if pos < len(text):
        raise json.JSONDecodeError("Extra data", text, pos)
    return array, items


class CslJsonReader:
    name = "csljson"
    description = "CSL-JSON (.json) from Zotero, citation-js, pandoc or citetools itself"
    suffixes = (".json",)

    def sniff(self, given: Source) -> bool:
        text = given.text()
        head = text.lstrip("\ufeff" + _WHITESPACE)
        if head.startswith("["):
            head = head[1:].lstrip(_WHITESPACE)
            if head.startswith("]"):
                return True
        return head.startswith("{") and bool(_SNIFF_KEY.search(text, 0, 65536))

    def read(self, given: Source) -> ReadResult:
        text, source = given.text(), given.name
        if not text.strip():
            raise ReadError("empty input: nothing to read", source=source)
        try:
            array, values = parse_items(text)
        except json.JSONDecodeError as exc:
            raise ReadError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                source=source,
                line=exc.lineno,
            ) from None
        if not array and not isinstance(values[0][1], dict):
            raise ReadError(
                "CSL-JSON is an array of items or one item object, "
                f"not a JSON {type(values[0][1]).__name__}",
                source=source,
            )
        result = ReadResult()
        for index, (line, value) in enumerate(values):
            try:
                if not isinstance(value, dict):
                    raise _BadItem(f"a JSON {type(value).__name__}, not an object")
                for key in ("id", "type"):
                    if _string(value, key) is None:
                        raise _BadItem(f'no "{key}"')
                record, warnings = item_to_record(value, source, line)
            except _BadItem as exc:
                message = f"item {index}: {exc}; the item was skipped"
                result.problems.append(Problem(message, source, line, severity="error"))
                continue
            result.records.append(record)
            result.problems.extend(
                Problem(f"item {index} ({record.key}): {w}", source, line) for w in warnings
            )
        return result
