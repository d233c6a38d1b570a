"""The CSL engine: pandoc's citeproc, run through pandoc's Lua interface, behind one function.

:func:`render_entries` takes CSL-JSON items and a :class:`~citetools.exporters._styles.CslStyle`
and returns the formatted bibliography as :class:`~citetools.exporters._inline.Entry` values in
the style's order. Nothing else in citetools knows which processor runs: measured on the 203
seed entries, pandoc's citeproc renders APA and IEEE as citeproc-js does (the README gives the
numbers and the one known difference); citeproc-py has no Markdown or LaTeX output and fails
about 40% of the CSL test suite.

pandoc comes from the ``pypandoc-binary`` wheel (the ``styles`` extra), or from the path in
``CITETOOLS_PANDOC``. It runs as ``pandoc lua`` processes that read jobs from their standard
input, one line each, call ``pandoc.utils.citeproc`` once per job and answer each with one line
of pandoc JSON (:mod:`._pandoc_workers`); long lists share their jobs among two processes. The
style's sort is computed apart (:mod:`._cslsort`, its keys rendered by :mod:`._sortkeys`).

**Speed.** APA and Chicago disambiguate citations by a rule that compares every name with every
other name of the list (``givenname-disambiguation-rule="primary-name-with-initials"``), which
pandoc does in time quadratic in the list: 1,000 APA entries took 13 s, 10,000 would take
twenty minutes. That rule can only change the bibliography through year suffixes (2026a,
2026b), and only for items whose citations could look alike: same first-author family name,
same year. So long lists render in two kinds of job: the whole list with the cheap ``by-cite``
rule, which gives every other entry exactly, and each group of possibly-alike items (joined
through shared keys, packed into small batches: :mod:`._alike`) with the style as written,
whose entries replace those of the first job. Numbered styles, whose numbers depend on the
whole list, always render in one job. Groups that share a first author's family name never
share a batch: pandoc lets them change each other's year suffixes, so each item renders as in
a job of its group alone. What makes a long list fast is around them: the processes take the
costliest jobs first and the next before they finish one, pandoc's garbage collector gets a
larger allocation area (:data:`._pandoc_workers.GHC_RTS`), the style is sent without its
indentation, and the sort keys are rendered by a lean variant of the style, those after the
first few only for the items those leave tied (:mod:`._sortkeys`).

What is left is pandoc's own time for the batches (APA, 10,000 entries of the feed listing:
about 11 s of one core for 340 batches of 25-40 items, against under 2 s for the sort keys):
a job costs some 10 ms, plus time quadratic in its items, even when no two of its names are
alike.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.util import find_spec
from typing import Any

from citetools.errors import ExportError
from citetools.exporters import _cslsort, _sortkeys
from citetools.exporters._alike import BATCH, alike_groups, batches
from citetools.exporters._inline import Entry, plain
from citetools.exporters._pandoc_ast import bibliography as _bibliography
from citetools.exporters._pandoc_workers import PARALLEL_ABOVE, Job, run_jobs, workers_for
from citetools.exporters._styles import INSTALL_HINT, CslStyle

__all__ = [
    "PANDOC_ENV",
    "Rendered",
    "alike_groups",
    "find_pandoc",
    "render_entries",
    "sort_items",
    "title_cased_types",
]

PANDOC_ENV = "CITETOOLS_PANDOC"
CLUSTER_ABOVE = 400  # lists longer than this render in the two kinds of job described above
PROBE = ("ZQXPROBEA", "ZQXPROBEB")
CASE_PROBE = ("Zqxcase probe", "Zqxcase Probe")  # a sentence-case title, and in title case


@dataclass(frozen=True, slots=True)
class Rendered:
    entries: list[Entry]
    hanging_indent: bool = False
    connector: str | None = None  # the word between the last two names ("&", "and"), if any


def find_pandoc() -> str:
    """The pandoc binary: ``$CITETOOLS_PANDOC``, else the one inside pypandoc-binary."""
    configured = os.environ.get(PANDOC_ENV)
    if configured:
        return configured
    if find_spec("pypandoc") is not None:
        folder = files("pypandoc") / "files"
        for name in ("pandoc", "pandoc.exe"):
            candidate = folder / name
            if candidate.is_file():
                return str(candidate)
    raise ExportError(
        "formatted reference lists in CSL styles need pandoc's citeproc and the official "
        f"styles: {INSTALL_HINT} (or set {PANDOC_ENV} to a pandoc 3 binary)"
    )


def sort_items(items: Sequence[Mapping[str, Any]], style: CslStyle) -> list[Mapping[str, Any]]:
    """The items in the style's bibliography order, as citeproc-js sorts them."""
    keys = _cslsort.sort_keys(style.root())
    if not keys:
        return list(items)
    numbered = [{**item, "id": _position_id(i)} for i, item in enumerate(items)]
    rendered = _sortkeys.rendered_keys(numbered, style, keys, find_pandoc())
    return [items[i] for i in _cslsort.order(rendered, keys)]


def _connector(entries: Sequence[Entry]) -> str | None:
    text = plain(entries[0].content) if entries else ""
    match = re.search(f"{PROBE[0]}(.*?){PROBE[1]}", text, flags=re.IGNORECASE)
    if not match:
        return None
    return match.group(1).strip(" \u00a0,;") or None


def _cost(job: Job, global_names: bool) -> float:
    """About how long pandoc takes for ``job``, in milliseconds: a style's global name
    disambiguation costs time quadratic in the job's items (see the module docstring)."""
    n = len(job[1])
    return 10 + 0.3 * n + (0.017 * n * n if global_names else 0.0)


def render_entries(
    items: Sequence[Mapping[str, Any]],
    style: CslStyle,
    *,
    keep_sort: bool = True,
    probe: bool = False,
    cluster_above: int = CLUSTER_ABOVE,
    batch: int = BATCH,
) -> Rendered:
    """The bibliography of ``items`` in ``style``: sorted by the style, or in the items' order
    (``keep_sort=False``). ``probe`` also finds the style's connector before a last author.
    ``cluster_above``, ``batch``: how long lists are split (see the module docstring)."""
    if not items:
        return Rendered([])
    if keep_sort:  # pandoc's own sort differs from citeproc-js: see _cslsort
        items = sort_items(items, style)
    # pandoc gives year suffixes (2026a, 2026b) in the order of the items' ids, citeproc-js in
    # bibliography order: ids that sort in bibliography order make the two agree.
    keys = [str(item.get("id", "")) for item in items]
    items = [{**item, "id": _position_id(i)} for i, item in enumerate(items)]
    written = style.variant(keep_sort=False)
    global_names = style.global_name_disambiguation
    split = len(items) > cluster_above and global_names
    split = split and not style.order_dependent
    packed = batches(alike_groups(items), items, batch) if split else []
    grouped = {i for batch in packed for i in batch}
    main = style.variant(keep_sort=False, by_cite=True) if split else written
    rest = [item for i, item in enumerate(items) if i not in grouped]
    jobs: list[Job] = [(main, rest)] if rest else []
    costs = [_cost(jobs[0], global_names and not split)] if rest else []
    jobs += [(written, [items[i] for i in batch]) for batch in packed]
    costs += [_cost(job, global_names) for job in jobs[len(costs) :]]
    if probe:
        names = [{"literal": name} for name in PROBE]
        jobs.append((written, [{"id": "probe", "type": "book", "title": "T", "author": names}]))
        costs.append(0.0)
    roomy = len(items) > PARALLEL_ABOVE and global_names
    workers = workers_for(len(items))
    documents = run_jobs(
        find_pandoc(), jobs, _bibliography, workers=workers, costs=costs, roomy=roomy
    )
    rendered: dict[str, Entry] = {}
    hanging = False
    for found, hanging_here in documents[: len(documents) - probe]:
        hanging = hanging or hanging_here
        rendered.update((e.key, e) for e in found)
    # In the items' order; pandoc omits an item the style prints nothing for (as citeproc-js).
    entries = [
        replace(rendered[_position_id(i)], key=keys[i])
        for i in range(len(items))
        if _position_id(i) in rendered
    ]
    connector = _connector(documents[-1][0]) if probe else None
    return Rendered(entries, hanging, connector)


def title_cased_types(style: CslStyle, types: Iterable[str]) -> frozenset[str]:
    """The CSL types among ``types`` whose titles ``style`` puts in title case itself
    (``text-case="title"``: Chicago and MLA every type, Nature and AMA books); the others it
    prints as the data has them. Found by rendering an item of each type, titled in sentence
    case, in one job: a style's choice may depend on the type, and only the engine knows."""
    kinds = sorted(set(types))
    if not kinds:
        return frozenset()
    author = [{"family": "Zqxauthor", "given": "A"}]
    items = [
        {"id": f"case{i}", "type": kind, "title": CASE_PROBE[0], "author": author}
        for i, kind in enumerate(kinds)
    ]
    job: Job = (style.variant(keep_sort=False), items)
    [(entries, _)] = run_jobs(find_pandoc(), [job], _bibliography)
    texts = {entry.key: plain(entry.content) for entry in entries}
    return frozenset(k for i, k in enumerate(kinds) if CASE_PROBE[1] in texts.get(f"case{i}", ""))


def _position_id(index: int) -> str:
    return f"r{index:08d}"
