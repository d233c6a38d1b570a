"""The Markdown table of ``python -m bench.texlive``: the totals in the rows of issue 15, the
changed fields by category with examples, one row per file, and what went wrong where."""

from __future__ import annotations

import dataclasses
import os
import platform
import subprocess
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from bench.results import REPO_ROOT
from bench.roundtrip import CATEGORIES, EXAMPLES_PER_CATEGORY, MERGED_AWAY, Example, RoundTrip

if TYPE_CHECKING:
    from bench.texlive import FileResult

SHOWN = (*CATEGORIES, MERGED_AWAY)
BLOCKS: tuple[tuple[str, str], ...] = (("string", "@string"), ("preamble", "@preamble"))
BLOCKS += (("comment", "@comment"), ("free_text", "free text"))


def total(results: Sequence[FileResult]) -> RoundTrip:
    """The per-file counts added up (examples are left to :func:`examples`)."""
    summed = RoundTrip()
    for one in results:
        for item in dataclasses.fields(RoundTrip):
            mine, theirs = getattr(summed, item.name), getattr(one.roundtrip, item.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            elif isinstance(mine, int):
                setattr(summed, item.name, mine + theirs)
    return summed


def examples(results: Sequence[FileResult]) -> dict[str, list[tuple[str, Example]]]:
    """Up to three examples a category, from as many different files as there are."""
    chosen: dict[str, list[tuple[str, Example]]] = {c: [] for c in SHOWN}
    for rank in range(EXAMPLES_PER_CATEGORY):
        for one in results:
            for category in SHOWN:
                mine = [e for e in one.roundtrip.examples if e.category == category]
                if rank < len(mine) and len(chosen[category]) < EXAMPLES_PER_CATEGORY:
                    chosen[category].append((one.name, mine[rank]))
    return chosen


def _n(value: int) -> str:
    return f"{value:,}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _git() -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def _short_error(text: str, root: Path, limit: int = 0) -> str:
    text = text.replace(f"{root}{os.sep}", "")
    return _cell(text if not limit or len(text) <= limit else text[: limit - 1] + "…")


def summary(results: Sequence[FileResult], root: Path) -> list[tuple[str, str]]:
    """The rows of the issue's table: (what, measured)."""
    t = total(results)
    refused = [r for r in results if r.returncode != 0]
    cpu = sum(r.cpu_citetools for r in results)
    reference = sum(r.cpu_bibtexparser for r in results)
    by_category = "; ".join(f"{c} {_n(t.categories[c])}" for c in CATEGORIES if t.categories[c])
    blocks = "; ".join(
        f"{label} {_n(t.blocks_in[k])} -> {_n(t.blocks_out[k])}" for k, label in BLOCKS
    )
    failing = "; ".join(
        f"`{r.name}` exit {r.returncode}: {_short_error(r.first_error, root, 90)}"
        + (f" (+{r.error_lines - 1} more errors)" if r.error_lines > 1 else "")
        for r in refused
    )
    tracebacks = [r for r in results if r.traceback]
    crashed = "; ".join(f"`{r.name}`: {_cell(r.traceback)}" for r in tracebacks)
    added = ", ".join(f"{name} {_n(count)}" for name, count in t.added_names.most_common(5))
    unwritten = sum(r.roundtrip.entries_in for r in results if r.roundtrip.entries_out == 0)
    return [
        (
            "entries in -> out",
            f"{_n(t.entries_in)} -> {_n(t.entries_out)}: {_n(t.merged)} merged as 'same paper' "
            f"({_n(t.merged_different)} of those pairs differ in year, volume, number or pages: "
            f"different works; {_n(t.merged_different_or_missing)} counting a field only one of "
            f"the two has); {_n(t.unreadable_in)} entries bibtexparser cannot read either; "
            f"{_n(unwritten)} in files with no output",
        ),
        (
            "citation keys kept; crossrefs",
            f"{_n(t.keys_kept)} of {_n(t.keys_in)} keys kept; crossref fields whose target key "
            f"exists in the output: {_n(t.crossrefs_out_resolved)} of {_n(t.crossrefs_out)} "
            f"written ({_n(t.crossrefs_in)} in the input, {_n(t.crossrefs_in_resolved)} of them "
            "resolving there)",
        ),
        (
            "field text changed",
            f"{_n(t.fields_changed)} of the {_n(t.fields_compared)} fields of the input entries "
            f"written ({_pct(t.fields_changed, t.fields_compared)}; entries matched by key "
            f"{_n(t.matched_by_key)}, by position {_n(t.matched_by_position)}): {by_category}. "
            f"Entries merged away: {_n(t.merged_fields_lost)} of their {_n(t.merged_fields)} "
            "fields not written as they were. "
            f"Fields in the output that no input entry behind it had: {_n(t.fields_added)}"
            + (f" ({added})" if added else ""),
        ),
        ("non-entry content, in -> out", blocks),
        (
            "refused / crashed",
            f"{len(refused)} of {len(results)} files exit != 0: {failing or 'none'}. "
            f"Tracebacks: {len(tracebacks)}{': ' + crashed if crashed else ''}",
        ),
        (
            "speed (CPU, user + sys)",
            f"citetools {cpu:.1f} s over {len(results)} files vs bibtexparser 2 parse + write "
            f"{reference:.1f} s: {cpu / reference if reference else float('nan'):.1f}x "
            "(commands, start-up included)",
        ),
        ("speed as libraries (CPU after imports)", _library_speed(results)),
    ]


def _library_speed(results: Sequence[FileResult]) -> str:
    """citetools.read + export against bibtexparser parse + write, both timed in their own
    process after their imports, over the files both measured; the largest file apart."""
    both = [
        r
        for r in results
        if r.cpu_citetools_library is not None and r.cpu_bibtexparser_library is not None
    ]
    if not both:
        return "not measured"
    ours = sum(r.cpu_citetools_library or 0.0 for r in both)
    theirs = sum(r.cpu_bibtexparser_library or 0.0 for r in both)
    big = max(both, key=lambda r: r.cpu_bibtexparser_library or 0.0)
    big_ours, big_theirs = big.cpu_citetools_library or 0.0, big.cpu_bibtexparser_library or 0.0
    return (
        f"citetools {ours:.1f} s over {len(both)} files vs bibtexparser 2 {theirs:.1f} s: "
        f"{ours / theirs if theirs else float('nan'):.2f}x; the largest, `{big.name}`: "
        f"{big_ours:.2f} s vs {big_theirs:.2f} s, "
        f"{big_ours / big_theirs if big_theirs else float('nan'):.2f}x"
    )


def _file_row(r: FileResult) -> str:
    t = r.roundtrip
    blocks = " | ".join(f"{t.blocks_in[k]} -> {t.blocks_out[k]}" for k, _ in BLOCKS)
    return (
        f"| `{r.name}` | {r.returncode}{' (traceback)' if r.traceback else ''} "
        f"| {_n(t.entries_in)} -> {_n(t.entries_out)} | {_n(t.merged)} ({_n(t.merged_different)}) "
        f"| {_n(t.keys_kept)} / {_n(t.keys_in)} | {t.crossrefs_out_resolved} / {t.crossrefs_out} "
        f"({t.crossrefs_in}) | {_n(t.fields_changed)} / {_n(t.fields_compared)} "
        f"| {_n(t.fields_added)} | {blocks} | {r.cpu_citetools:.2f} | {r.cpu_bibtexparser:.2f} |"
    )


def render(results: Sequence[FileResult], root: Path, command: str) -> str:
    lines = [
        *_head(results, root, command),
        *_categories(results),
        *_per_file(results),
        *_problems(results, root),
    ]
    return "\n".join(lines) + "\n"


def _head(results: Sequence[FileResult], root: Path, command: str) -> list[str]:
    return [
        "# citetools on the .bib files TeX Live ships (issue 15)",
        "",
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- command: `{command}`",
        f"- corpus: `{root}`, {len(results)} files",
        f"- citetools {_version('citetools')} (git {_git()}), bibtexparser "
        f"{_version('bibtexparser')}, pylatexenc {_version('pylatexenc')}; Python "
        f"{platform.python_version()}; {os.cpu_count()} CPUs",
        "",
        "| what | measured |",
        "| --- | --- |",
        *(f"| {what} | {measured} |" for what, measured in summary(results, root)),
    ]


def _categories(results: Sequence[FileResult]) -> list[str]:
    t = total(results)
    lines = [
        "",
        "## Changed fields, by category",
        "",
        "The first category that fits, in this order. Examples: file:line key.field: the input "
        "value as written -> the output's.",
        "",
        "| category | fields | examples |",
        "| --- | --- | --- |",
    ]
    chosen = examples(results)
    for category in SHOWN:
        shown = "<br>".join(
            f"{_cell(name)}:{e.line} {_cell(e.key)}.{e.field}: `{_cell(e.before)}` -> "
            f"`{_cell(e.after)}`"
            for name, e in chosen[category]
        )
        lines.append(f"| {category} | {_n(t.categories[category])} | {shown} |")
    return lines


def _per_file(results: Sequence[FileResult]) -> list[str]:
    return [
        "",
        "## Per file",
        "",
        "Merged: 'same paper' warnings (pairs that differ in year/volume/number/pages). "
        "Crossrefs: written crossref fields whose key exists in the output / written (in the "
        "input). CPU in seconds.",
        "",
        "| file | exit | entries in -> out | merged (different) | keys kept | crossrefs ok "
        "| fields changed | fields added | @string | @preamble | @comment | free text "
        "| CPU citetools | CPU bibtexparser |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
        *(_file_row(r) for r in results),
    ]


def _problems(results: Sequence[FileResult], root: Path) -> list[str]:
    notes = [
        f"- `{r.name}`: compared as {r.encoding}" for r in results if r.encoding != "utf-8"
    ] + [
        f"- `{r.name}`: bibtexparser exit {r.bibtexparser_returncode}: "
        f"{_cell(r.bibtexparser_error)}"
        for r in results
        if r.bibtexparser_returncode != 0
    ]
    problems = [
        f"- `{r.name}`: exit {r.returncode}, {r.error_lines} error lines; first: "
        f"{_short_error(r.first_error, root)}"
        + (f"; traceback: {_cell(r.traceback)}" if r.traceback else "")
        for r in results
        if r.returncode != 0 or r.traceback
    ]
    lines: list[str] = []
    if problems:
        lines += ["", "## Refused / crashed", "", *problems]
    if notes:
        lines += ["", "## Notes", "", *notes]
    return lines
