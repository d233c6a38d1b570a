"""One .bib's round trip through ``citetools export`` (issue 15, "nothing lost, nothing
invented"), compared block by block and field by field. Pure: it takes both sides as
:mod:`bench.bibfields` reads them (bibtexparser 2, so neither is judged by citetools' own
reader) and the merges citetools reported, and counts; it runs nothing (``bench.texlive`` does).

Each entry written is paired with an input entry by key, else by position among the input
entries not merged away; each of that input entry's fields is then compared with the output's
field of the same name, as text (:class:`bench.bibfields.Normalizer`). The fields of an entry
merged away into another are compared with what was written for that other, and counted apart.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bench.bibfields import Bib, BibEntry, Normalizer, Value, collapse, split_concatenation

SAME_WORK_FIELDS = ("year", "volume", "number", "pages")
# Categories of a changed field, tried in this order (the first that fits).
NOT_WRITTEN = "entry not in the output"
MERGED = "value of an entry merged into it written instead"
MONTH_YEAR = "non-numeric month/year dropped"
EMPTY = "empty field dropped"
DROPPED = "field dropped/moved"
CONCAT = "`#`/macro concatenation written literally"
PERCENT = "field cut at `%`"
MATH = "math changed"
COMMAND = "LaTeX command deleted"
OTHER = "other"
CATEGORIES = (
    NOT_WRITTEN,
    MERGED,
    MONTH_YEAR,
    EMPTY,
    DROPPED,
    CONCAT,
    PERCENT,
    MATH,
    COMMAND,
    OTHER,
)
MERGED_AWAY = "entry merged away into another (counted apart)"
EXAMPLES_PER_CATEGORY = 3

_COMMAND = re.compile(r"\\([A-Za-z]+)")
_MATH = re.compile(r"(?<!\\)\$[^$]*\$")
_PERCENT = re.compile(r"(?<!\\)%")
_MACRO = re.compile(r"[^\s\d\"{}#%',=()\\][^\s\"{}#%',=()\\]*")  # a BibTeX macro name


@dataclass(frozen=True, slots=True)
class Example:
    category: str
    line: int
    key: str
    field: str
    before: str
    after: str


@dataclass(slots=True)
class RoundTrip:
    """The counts of one file (``written`` is None when citetools wrote nothing)."""

    entries_in: int = 0  # entries, those bibtexparser could not read included
    entries_out: int = 0
    unreadable_in: int = 0
    merged: int = 0  # citetools' "same paper ... merged into one entry" warnings
    merged_different: int = 0  # of those, pairs whose year/volume/number/pages differ
    merged_different_or_missing: int = 0  # ... or where only one of the two has one of them
    merged_unmapped: int = 0  # warnings naming a line that starts no entry
    keys_in: int = 0
    keys_kept: int = 0
    crossrefs_in: int = 0
    crossrefs_in_resolved: int = 0
    crossrefs_out: int = 0
    crossrefs_out_resolved: int = 0
    matched_by_key: int = 0
    matched_by_position: int = 0
    fields_compared: int = 0  # of the input entries written (not merged away)
    fields_changed: int = 0
    merged_fields: int = 0  # of the input entries merged away
    merged_fields_lost: int = 0  # of those, fields written differently or not at all
    fields_added: int = 0  # output fields no input entry behind it had
    added_names: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    examples: list[Example] = field(default_factory=list)
    blocks_in: Counter[str] = field(default_factory=Counter)
    blocks_out: Counter[str] = field(default_factory=Counter)


def _resolved(crossrefs: Iterable[str], keys: set[str]) -> int:
    return sum(1 for target in crossrefs if target.strip().lower() in keys)


def _signature(entry: BibEntry) -> str:
    title = entry.fields.get("title")
    return re.sub(r"[^a-z0-9]", "", title.text.lower()) if title else entry.key.lower()


def _category(name: str, before: Value, after: Value | None, normalize: Normalizer) -> str:
    if after is None:
        if name in ("month", "year") and not before.text.strip().isdigit():
            return MONTH_YEAR
        if not before.text.strip():
            return EMPTY
        return DROPPED
    parts = split_concatenation(before.raw)
    macros = [p for p in parts if _MACRO.fullmatch(p)]
    literal = "#" in after.text or any(m in after.raw for m in macros)
    if (len(parts) > 1 or macros) and literal:
        return CONCAT
    if _PERCENT.search(before.text) and not _PERCENT.search(after.text):
        return PERCENT
    text = normalize(after.text)
    if any(normalize(math) not in text for math in _MATH.findall(before.text)):
        return MATH
    if set(_COMMAND.findall(before.text)) - set(_COMMAND.findall(after.text)):
        return COMMAND
    return OTHER


def _short(text: str, limit: int = 70) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Comparison:
    def __init__(self, result: RoundTrip, normalize: Normalizer) -> None:
        self.result = result
        self.normalize = normalize
        self.added_from: dict[int, set[str]] = {}  # output index -> input field names behind it

    def fields(
        self,
        source: BibEntry,
        written: BibEntry | None,
        index: int,
        partners: Sequence[BibEntry] = (),
        merged_away: bool = False,
    ) -> None:
        """Compare one input entry's fields with the output entry it went into; ``partners``
        are the other input entries merged with it (``merged_away``: into one of them)."""
        result = self.result
        if written is not None:
            self.added_from.setdefault(index, set()).update(source.fields)
        for name, before in source.fields.items():
            if merged_away:
                result.merged_fields += 1
            else:
                result.fields_compared += 1
            after = written.fields.get(name) if written else None
            if after is not None and self.normalize.same(before, after, name):
                continue
            if merged_away:
                result.merged_fields_lost += 1
            else:
                result.fields_changed += 1
            if written is None:
                category = NOT_WRITTEN
            elif merged_away:
                category = MERGED_AWAY
            elif any(
                name in other.fields
                and after is not None
                and self.normalize.same(other.fields[name], after, name)
                for other in partners
            ):
                category = MERGED
            else:
                category = _category(name, before, after, self.normalize)
            result.categories[category] += 1
            if sum(e.category == category for e in result.examples) < EXAMPLES_PER_CATEGORY:
                result.examples.append(
                    Example(
                        category,
                        source.line,
                        source.key,
                        name,
                        _short(before.raw),
                        "(none)" if after is None else _short(after.raw),
                    )
                )


def _survivor(line: int, merged_into: dict[int, int]) -> int:
    seen = set()
    while line in merged_into and line not in seen:
        seen.add(line)
        line = merged_into[line]
    return line


def _pairing(
    survivors: Sequence[BibEntry], written: Sequence[BibEntry], result: RoundTrip
) -> dict[int, int]:
    """Input line -> output index: by key, else by position among the entries not merged away
    (by title where the counts differ, so a lost entry does not shift the rest)."""
    by_key = {entry.key: i for i, entry in enumerate(written)}
    pairs: dict[int, int] = {}
    if len(survivors) == len(written):
        positional = {s.line: i for i, s in enumerate(survivors)}
    else:
        matcher = difflib.SequenceMatcher(
            None, [_signature(s) for s in survivors], [_signature(w) for w in written], False
        )
        positional = {
            survivors[a + k].line: b + k
            for a, b, size in matcher.get_matching_blocks()
            for k in range(size)
        }
    for entry in survivors:
        if entry.key in by_key:
            pairs[entry.line] = by_key[entry.key]
            result.matched_by_key += 1
        elif entry.line in positional:
            pairs[entry.line] = positional[entry.line]
            result.matched_by_position += 1
    return pairs


def _merges(
    source: Bib, merges: Sequence[tuple[int, int]], normalize: Normalizer, result: RoundTrip
) -> dict[int, int]:
    """Counts citetools' merges (and which join different works); merged line -> kept line."""
    at_line = {e.line: e for e in source.entries}
    merged_into: dict[int, int] = {}
    for away, kept in merges:
        result.merged += 1
        if away not in at_line or kept not in at_line:
            result.merged_unmapped += 1
            continue
        merged_into[away] = kept
        one, other = at_line[away].fields, at_line[kept].fields
        differ = {
            name
            for name in SAME_WORK_FIELDS
            if (name in one) != (name in other)
            or (name in one and normalize(one[name].text) != normalize(other[name].text))
        }
        result.merged_different += any(name in one and name in other for name in differ)
        result.merged_different_or_missing += bool(differ)
    return merged_into


def _written_side(source: Bib, written: Bib, result: RoundTrip) -> None:
    """Entries, blocks, keys and crossrefs of what citetools wrote."""
    result.entries_out = len(written.entries)
    result.blocks_out = Counter(written.blocks)
    out_keys = {e.key for e in written.entries}
    result.keys_kept = sum(1 for e in source.entries if e.key in out_keys)
    out_crossrefs = [e.fields["crossref"].text for e in written.entries if "crossref" in e.fields]
    result.crossrefs_out = len(out_crossrefs)
    result.crossrefs_out_resolved = _resolved(out_crossrefs, {k.lower() for k in out_keys})


def _compare_fields(
    source: Bib,
    written: Bib,
    merged_into: dict[int, int],
    normalize: Normalizer,
    result: RoundTrip,
) -> None:
    """Each input field against the output entry it went into."""
    survivors = [e for e in source.entries if e.line not in merged_into]
    pairs = _pairing(survivors, written.entries, result)
    groups: dict[int, list[BibEntry]] = {}
    for entry in source.entries:
        groups.setdefault(_survivor(entry.line, merged_into), []).append(entry)
    comparison = _Comparison(result, normalize)
    for kept, group in groups.items():
        index = pairs.get(kept)
        target = None if index is None else written.entries[index]
        for entry in group:
            partners = [other for other in group if other is not entry]
            away = entry.line in merged_into
            comparison.fields(entry, target, -1 if index is None else index, partners, away)
    for i, entry in enumerate(written.entries):
        result.added_names.update(set(entry.fields) - comparison.added_from.get(i, set()))
    result.fields_added = sum(result.added_names.values())


def compare(
    source: Bib,
    written: Bib | None,
    merges: Sequence[tuple[int, int]],
    normalize: Normalizer | None = None,
) -> RoundTrip:
    """Count what one export kept: ``merges`` are citetools' (merged line, kept line) pairs;
    ``written`` is None when it wrote nothing (then no field is compared)."""
    normalize = normalize or Normalizer()
    result = RoundTrip()
    result.unreadable_in = len(source.failed_entries)
    result.entries_in = len(source.entries) + result.unreadable_in
    result.keys_in = len(source.entries)
    result.blocks_in = Counter(source.blocks)
    in_keys = {e.key.lower() for e in source.entries}
    crossrefs = [e.fields["crossref"].text for e in source.entries if "crossref" in e.fields]
    result.crossrefs_in = len(crossrefs)
    result.crossrefs_in_resolved = _resolved(crossrefs, in_keys)

    merged_into = _merges(source, merges, normalize, result)
    if written is None:
        return result

    _written_side(source, written, result)
    _compare_fields(source, written, merged_into, normalize, result)
    return result
