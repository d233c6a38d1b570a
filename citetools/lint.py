"""``citetools check``: a linter for a .bib or CSL-JSON file, for CI.

It reads the file as it is written (raw field text, not decoded), so it sees what BibTeX,
biber or a CSL processor will see: duplicate keys and duplicate papers, keys with characters
that break LaTeX or other tools, ``others`` used as a person, fields the target needs that are
missing, LaTeX special characters left unescaped, and arXiv ids the target would not print.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Literal

from citetools.errors import ReadError
from citetools.formats.bibtex import DATE_FIELDS, MONTH_MACROS, VERBATIM
from citetools.model import Record

Target = Literal["bibtex", "biblatex", "csl"]
TARGETS: tuple[Target, ...] = ("bibtex", "biblatex", "csl")
KEY_OK = re.compile(r"^[A-Za-z0-9_:.+/-]+$")
# An unescaped special: not preceded by a backslash.
_SPECIAL = re.compile(r"(?<!\\)[&%#_]")
_DOTLESS_ACCENT = re.compile(r"\\[^A-Za-z\s]\{?\\[ij]\b")
_BST_TYPES = frozenset(
    [
        "article",
        "book",
        "booklet",
        "conference",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    ]
)
_DOLLAR = re.compile(r"(?<!\\)\$")
_REQUIRED: dict[Target, dict[str, tuple[tuple[str, ...], ...]]] = {
    # each inner tuple: at least one of these fields
    "bibtex": {
        "article": (("author",), ("title",), ("journal",), ("year",)),
        "inproceedings": (("author",), ("title",), ("booktitle",), ("year",)),
        "book": (("author", "editor"), ("title",), ("publisher",), ("year",)),
        "phdthesis": (("author",), ("title",), ("school",), ("year",)),
        "misc": (("title",), ("author", "key"), ("year",)),
        "*": (("title",), ("year",)),
    },
    "biblatex": {
        "article": (("author",), ("title",), ("journaltitle", "journal"), ("date", "year")),
        "online": (("author", "editor"), ("title",), ("url", "doi", "eprint"), ("date", "year")),
        "*": (("title",), ("date", "year")),
    },
}


@dataclass(frozen=True, slots=True)
class Finding:
    source: str
    line: int | None
    key: str | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.code}: {self.message}"


def _key_findings(source: str, keyed: Iterable[tuple[str, int | None]]) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for key, line in keyed:
        if not KEY_OK.match(key):
            findings.append(
                Finding(
                    source, line, key, "bad-key", "key has characters outside A-Z a-z 0-9 _:.+/-"
                )
            )
        if key.lower() in seen:
            findings.append(
                Finding(
                    source,
                    line,
                    key,
                    "duplicate-key",
                    f"same key as {seen[key.lower()]!r} (BibTeX and biber ignore case)",
                )
            )
        else:
            seen[key.lower()] = key
    return findings


def _paper_findings(source: str, records: list[Record]) -> list[Finding]:
    from citetools.normalize.dedup import identities

    owners: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        for identity in identities(record):
            owners[identity].append(record)
    findings: list[Finding] = []
    reported: set[tuple[str | None, str | None]] = set()
    for group in owners.values():
        for later in group[1:]:
            pair = (group[0].key, later.key)
            if group[0].key != later.key and pair not in reported:
                reported.add(pair)
                line = later.provenance[0].line if later.provenance else None
                findings.append(
                    Finding(
                        source,
                        line,
                        later.key,
                        "duplicate-paper",
                        f"the same paper as {group[0].key!r}",
                    )
                )
    return findings


def text_of(fields: dict[str, str]) -> str:
    return " ".join(v for k, v in fields.items() if k not in VERBATIM)


@dataclass(frozen=True, slots=True)
class RawEntry:
    """What an entry rule sees: one entry as written (field names lower-cased, values raw)."""

    source: str
    line: int
    key: str
    entry_type: str
    fields: dict[str, str]

    def finding(self, code: str, message: str) -> Finding:
        return Finding(self.source, self.line, self.key, code, message)


EntryCheck = Callable[[RawEntry, Target], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the table: ``find`` runs on each entry when the target is one of ``targets``."""

    name: str
    checks: str
    targets: tuple[Target, ...]
    find: EntryCheck


def _missing_fields(entry: RawEntry, target: Target) -> Iterator[Finding]:
    rules = _REQUIRED.get(target, _REQUIRED["bibtex"])
    for group in rules.get(entry.entry_type.lower(), rules["*"]):
        if not any(entry.fields.get(name, "").strip() for name in group):
            yield entry.finding("missing-field", f"{target} needs {' or '.join(group)}")


def _others_as_person(entry: RawEntry, target: Target) -> Iterator[Finding]:
    names = [n.strip() for n in re.split(r"\s+and\s+", entry.fields.get("author", ""))]
    if any(n.lower().strip("{}") == "others" for n in names[:-1]) or "{others}" in names:
        yield entry.finding(
            "others-as-person", "'others' must be the last name, unbraced (it means et al.)"
        )


def _latex_specials(entry: RawEntry, target: Target) -> Iterator[Finding]:
    for name, value in entry.fields.items():
        if name in VERBATIM or name in DATE_FIELDS:  # (2004~ and 2004% are biblatex dates)
            continue
        if special := _SPECIAL.search(value):
            yield entry.finding("unescaped-special", f"{name} has an unescaped {special.group()}")
        if len(_DOLLAR.findall(value)) % 2:
            yield entry.finding("unbalanced-math", f"{name} has an odd number of unescaped $")


def _month_text(entry: RawEntry, target: Target) -> Iterator[Finding]:
    month = entry.fields.get("month", "").strip().lower()
    if month and month not in MONTH_MACROS and not month.isdigit():
        yield entry.finding(
            "month-text",
            f"month {entry.fields['month']!r}: write the macro (jan ... dec); "
            "biber warns on text and pandoc drops it",
        )


def _dotless_i_accent(entry: RawEntry, target: Target) -> Iterator[Finding]:
    if _DOTLESS_ACCENT.search(text_of(entry.fields)):
        yield entry.finding(
            "dotless-i-accent",
            "an accent over \\i: biber makes it a character pdflatex rejects; write {\\'i}",
        )


def _unknown_type(entry: RawEntry, target: Target) -> Iterator[Finding]:
    if entry.entry_type.lower() not in _BST_TYPES:
        yield entry.finding(
            "unknown-type", f"@{entry.entry_type} is not defined by the standard styles"
        )


def _eprint_dropped(entry: RawEntry, target: Target) -> Iterator[Finding]:
    fields = entry.fields
    if "eprint" in fields and not any(
        "arxiv" in fields.get(n, "").lower() for n in ("journal", "note", "howpublished")
    ):
        yield entry.finding(
            "eprint-dropped",
            "plain, abbrv and plainnat ignore eprint: the arXiv id will not print "
            "(citetools export --arxiv-note adds it as a note)",
        )


# The per-entry rules of a .bib, run in this order on each entry (the order of the findings).
# Around them check_bibtex reports, for the whole file: parse-error first, then bad-key and
# duplicate-key, and duplicate-paper last.
RULES: tuple[Rule, ...] = (
    Rule("missing-field", "the fields the target needs for the type", TARGETS, _missing_fields),
    Rule(
        "others-as-person", "'others' only as the last author, unbraced", TARGETS, _others_as_person
    ),
    Rule(
        "latex-specials",
        "unescaped-special (& % # _) and unbalanced-math (an odd number of $), field by field",
        TARGETS,
        _latex_specials,
    ),
    Rule("month-text", "month is a macro or a number", TARGETS, _month_text),
    Rule("dotless-i-accent", "no accent over \\i or \\j", ("biblatex",), _dotless_i_accent),
    Rule("unknown-type", "the type is one the standard styles define", ("bibtex",), _unknown_type),
    Rule(
        "eprint-dropped",
        "an eprint also says arXiv in journal, note or howpublished (else it will not print)",
        ("bibtex",),
        _eprint_dropped,
    ),
)


def check_bibtex(text: str, *, source: str, target: Target = "bibtex") -> list[Finding]:
    from citetools.readers.bibtex import (
        entry_to_record,
        failure,
        fields_of,
        parse_written,
        repeat_warning,
    )

    library, written = parse_written(text)
    findings = [
        Finding(source, (b.start_line or 0) + 1, getattr(b, "key", None), "parse-error", failure(b))
        for b in library.failed_blocks
    ]
    entries = []
    for e, as_written in zip(library.entries, written, strict=True):
        fields, repeats = fields_of(e)  # (the first of a repeated field, as BibTeX reads it)
        month = next((value for name, value in as_written if name.lower() == "month"), "")
        if month.isalpha():  # a macro name: the rules see the name, not what it stands for
            fields["month"] = month
        entries.append(RawEntry(source, (e.start_line or 0) + 1, e.key, e.entry_type, fields))
        findings += [
            Finding(source, (f.start_line or 0) + 1, e.key, "duplicate-field", repeat_warning(e, f))
            for f in repeats
        ]
    findings += _key_findings(source, ((e.key, e.line) for e in entries))
    rules = [rule for rule in RULES if target in rule.targets]
    findings += [found for e in entries for rule in rules for found in rule.find(e, target)]
    records = [entry_to_record(e, source) for e in library.entries]
    return findings + _paper_findings(source, records)


def check_csl(text: str, *, source: str) -> list[Finding]:
    from citetools.readers import read_string
    from citetools.readers.csljson import CslJsonReader

    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    items = items if isinstance(items, list) else [items]
    result = read_string(CslJsonReader(), text, source)
    findings = [
        Finding(
            source, p.line, None, "bad-item" if p.severity == "error" else "bad-value", p.message
        )
        for p in result.problems
    ]
    keyed = [(str(i["id"]), None) for i in items if isinstance(i, dict) and i.get("id")]
    findings += _key_findings(source, keyed)
    for item in items:
        if not isinstance(item, dict):
            continue
        key = str(item.get("id", ""))
        for name in item.get("author", []) or []:
            if isinstance(name, dict) and "others" in (name.get("family"), name.get("literal")):
                findings.append(
                    Finding(
                        source,
                        None,
                        key,
                        "others-as-person",
                        "an author named 'others' (a BibTeX 'and others' leaked)",
                    )
                )
        for variable in ("title", "issued"):
            if variable not in item:
                findings.append(Finding(source, None, key, "missing-field", f"no {variable}"))
    return findings + _paper_findings(source, result.records)


def check_file(path: str, text: str, *, target: Target | None = None) -> list[Finding]:
    """Lint a .bib (targets bibtex, biblatex) or CSL-JSON (target csl) file."""
    is_json = path.lower().endswith(".json") or text.lstrip().startswith(("[", "{"))
    if is_json or target == "csl":
        return check_csl(text, source=path)
    return check_bibtex(text, source=path, target=target or "bibtex")


def as_json(findings: list[Finding]) -> str:
    return json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False)
