"""The CSL engine: pandoc's citeproc, run through pandoc's Lua interface, behind one function.

:func:`render_entries` takes CSL-JSON items and a :class:`~citetools.exporters._styles.CslStyle`
and returns the formatted bibliography as :class:`~citetools.exporters._inline.Entry` values in
the style's order. Nothing else in citetools knows which processor runs: measured on the 203
seed entries, pandoc's citeproc renders APA and IEEE as citeproc-js does (the README gives the
numbers and the one known difference); citeproc-py has no Markdown or LaTeX output and fails
about 40% of the CSL test suite.

pandoc comes from the ``pypandoc-binary`` wheel (the ``styles`` extra), or from the path in
``CITETOOLS_PANDOC``. One pandoc process runs every job of a call (``pandoc lua``, calling
``pandoc.utils.citeproc`` once per job) and prints one JSON document per job.

**Speed.** APA and Chicago disambiguate citations by a rule that compares every name with every
other name of the list (``givenname-disambiguation-rule="primary-name-with-initials"``), which
pandoc does in time quadratic in the list: 1,000 APA entries took 13 s, 10,000 would take
twenty minutes. That rule can only change the bibliography through year suffixes (2026a,
2026b), and only for items whose citations could look alike: same first-author family name,
same year. So long lists render in two kinds of job: the whole list with the cheap ``by-cite``
rule, which gives every other entry exactly, and each group of possibly-alike items (joined
through shared keys, packed into small batches) with the style as written, whose entries
replace those of the first job. Numbered styles, whose numbers depend on the whole list, always
render in one job.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from anyascii import anyascii

from citetools.errors import ExportError
from citetools.exporters import _cslsort
from citetools.exporters._inline import Entry, plain
from citetools.exporters._pandoc_ast import bibliography as _bibliography
from citetools.exporters._pandoc_ast import texts as _texts
from citetools.exporters._styles import INSTALL_HINT, CslStyle
from citetools.exporters.csljson import NAME_VARIABLES

PANDOC_ENV = "CITETOOLS_PANDOC"
CLUSTER_ABOVE = 400  # lists longer than this render in the two kinds of job described above
BATCH = 60  # items per job of possibly-alike groups (a larger group is one job of its own)
PROBE = ("ZQXPROBEA", "ZQXPROBEB")
WORKERS = 2  # pandoc processes at once, for lists longer than PARALLEL_ABOVE
PARALLEL_ABOVE = 1000

LUA = """\
-- citetools: one CSL bibliography per line of the job file ("style<TAB>items"),
-- each printed as one line of pandoc JSON.
local handle = assert(io.open(arg[1], 'r'))
local jobs = handle:read('a')
handle:close()
for line in jobs:gmatch('[^\\n]+') do
  local csl, bib = line:match('^(.-)\\t(.*)$')
  local nocite = pandoc.Cite({pandoc.Str('@*')}, {pandoc.Citation('*', 'AuthorInText')})
  local meta = pandoc.Meta({
    bibliography = pandoc.MetaString(bib),
    csl = pandoc.MetaString(csl),
    nocite = pandoc.MetaInlines({nocite}),
  })
  local doc = pandoc.utils.citeproc(pandoc.Pandoc({}, meta))
  io.write(pandoc.write(pandoc.Pandoc(doc.blocks), 'json'), '\\n')
end
"""


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


# ---------------------------------------------------------------------------------------------
# running pandoc


Job = tuple[bytes, Sequence[Mapping[str, Any]]]  # style XML, items


def _run(jobs: Sequence[Job]) -> list[Mapping[str, Any]]:
    """Each job's bibliography as a pandoc JSON document."""
    return _run_parallel([jobs])[0]


def _start(
    pandoc: str, folder: Path, name: str, jobs: Sequence[Job], styles: dict[bytes, Path]
) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """Write the jobs' files into ``folder`` and start pandoc on them."""
    lines = []
    for j, (style, items) in enumerate(jobs):
        if style not in styles:
            styles[style] = folder / f"style{len(styles)}.csl"
            styles[style].write_bytes(style)
        bib = folder / f"items{name}-{j}.json"
        bib.write_text(json.dumps(list(items), ensure_ascii=False), encoding="utf-8")
        lines.append(f"{styles[style]}\t{bib}\n")
    listing = folder / f"jobs{name}.txt"
    listing.write_text("".join(lines), encoding="utf-8")
    out, err = folder / f"out{name}.json", folder / f"err{name}.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        command = [pandoc, "lua", str(folder / "render.lua"), str(listing)]
        return subprocess.Popen(command, stdout=stdout, stderr=stderr), out, err


def _run_parallel(workloads: Sequence[Sequence[Job]]) -> list[list[Mapping[str, Any]]]:
    """:func:`_run` for several lists of jobs at once, one pandoc process each."""
    pandoc = find_pandoc()
    results: list[list[Mapping[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="citetools-") as tmp:
        folder = Path(tmp)
        (folder / "render.lua").write_text(LUA, encoding="utf-8")
        styles: dict[bytes, Path] = {}
        running: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
        try:
            for w, jobs in enumerate(workloads):
                running.append(_start(pandoc, folder, str(w), jobs, styles))
        except OSError as error:
            for process, _, _ in running:
                process.kill()
                process.wait()
            raise ExportError(f"cannot run pandoc ({pandoc}): {error.strerror or error}") from None
        codes = [process.wait() for process, _, _ in running]
        for (_, out, err), code, jobs in zip(running, codes, workloads, strict=True):
            if code != 0:
                message = err.read_text("utf-8", "replace").strip()[-800:]
                raise ExportError(f"pandoc failed to render the bibliography: {message}")
            outputs = out.read_text("utf-8").splitlines()
            if len(outputs) != len(jobs):
                raise ExportError(f"pandoc rendered {len(outputs)} of {len(jobs)} bibliographies")
            results.append([json.loads(line) for line in outputs])
    return results


# ---------------------------------------------------------------------------------------------
# possibly-alike groups


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", anyascii(text).lower())


def _year(item: Mapping[str, Any]) -> str:
    issued = item.get("issued")
    if not isinstance(issued, Mapping):
        return ""
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal") or issued.get("raw") or "")


def _name_keys(item: Mapping[str, Any]) -> set[str]:
    """The first names a citation of the item could start with: the first author's, or for an
    item without authors the first name of every name variable (whichever the style
    substitutes). Both the family name alone and with its particle, folded."""
    variables = ["author"] if item.get("author") else sorted(NAME_VARIABLES & set(item))
    keys: set[str] = set()
    for variable in variables:
        names = item.get(variable)
        if not isinstance(names, list) or not names or not isinstance(names[0], Mapping):
            continue
        first = names[0]
        family = str(first.get("family") or first.get("literal") or "")
        particle = str(first.get("non-dropping-particle") or "")
        keys.update(k for k in (_fold(family), _fold(particle + family)) if k)
    return keys


def alike_groups(items: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """Indexes of items whose citations could render alike, in groups of two or more: items
    sharing a (first name, year) key, joined transitively. Items without names cite by title
    and are not affected by name disambiguation: they are in no group."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        year = _year(item)
        for name in _name_keys(item):
            j = owner.setdefault((name, year), i)
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _batches(groups: list[list[int]]) -> list[list[int]]:
    batches: list[list[int]] = []
    for group in groups:
        if batches and len(batches[-1]) + len(group) <= BATCH:
            batches[-1].extend(group)
        else:
            batches.append(list(group))
    return [sorted(b) for b in batches]


# ---------------------------------------------------------------------------------------------


def _connector(document: Mapping[str, Any]) -> str | None:
    entries, _ = _bibliography(document)
    text = plain(entries[0].content) if entries else ""
    match = re.search(f"{PROBE[0]}(.*?){PROBE[1]}", text, flags=re.IGNORECASE)
    if not match:
        return None
    return match.group(1).strip(" \u00a0,;") or None


def _workers() -> int:
    return max(1, min(WORKERS, os.cpu_count() or 1))


def _split(items: Sequence[Mapping[str, Any]], parts: int) -> list[Sequence[Mapping[str, Any]]]:
    size = -(-len(items) // parts)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run_balanced(jobs: Sequence[Job]) -> list[Mapping[str, Any]]:
    """:func:`_run` with the jobs shared out among :func:`_workers` processes by size."""
    loads: list[list[int]] = [[] for _ in range(_workers())]
    sizes = [0] * len(loads)
    for j in sorted(range(len(jobs)), key=lambda j: -len(jobs[j][1])):
        lightest = sizes.index(min(sizes))
        loads[lightest].append(j)
        sizes[lightest] += len(jobs[j][1]) + 20  # a job costs about 20 items' time to start
    loads = [sorted(load) for load in loads if load]
    documents: dict[int, Mapping[str, Any]] = {}
    results = _run_parallel([[jobs[j] for j in load] for load in loads])
    for load, docs in zip(loads, results, strict=True):
        documents.update(zip(load, docs, strict=True))
    return [documents[j] for j in range(len(jobs))]


def sort_items(items: Sequence[Mapping[str, Any]], style: CslStyle) -> list[Mapping[str, Any]]:
    """The items in the style's bibliography order, as citeproc-js sorts them."""
    keys = _cslsort.sort_keys(style.root())
    if not keys:
        return list(items)
    numbered = [{**item, "id": _position_id(i)} for i, item in enumerate(items)]
    variant = _cslsort.keys_variant(style.root(), keys)
    # Keys do not depend on the other items, except a citation number: then one job.
    parts = 1 if any(k.variable == "citation-number" for k in keys) else _workers()
    parts = parts if len(items) > PARALLEL_ABOVE else 1
    documents = _run_parallel([[(variant, chunk)] for chunk in _split(numbered, parts)])
    texts: dict[str, list[str]] = {}
    for (document,) in documents:
        texts.update((i, _cslsort.parse_keys(text, len(keys))) for i, text in _texts(document))
    rendered = [texts.get(_position_id(i), [""] * len(keys)) for i in range(len(items))]
    return [items[i] for i in _cslsort.order(rendered, keys)]


def render_entries(
    items: Sequence[Mapping[str, Any]],
    style: CslStyle,
    *,
    keep_sort: bool = True,
    probe: bool = False,
    cluster_above: int = CLUSTER_ABOVE,
) -> Rendered:
    """The bibliography of ``items`` in ``style``: sorted by the style, or in the items' order
    (``keep_sort=False``). ``probe`` also finds the style's connector before a last author."""
    if not items:
        return Rendered([])
    if keep_sort:  # pandoc's own sort differs from citeproc-js: see _cslsort
        items = sort_items(items, style)
    # pandoc gives year suffixes (2026a, 2026b) in the order of the items' ids, citeproc-js in
    # bibliography order: ids that sort in bibliography order make the two agree.
    keys = [str(item.get("id", "")) for item in items]
    items = [{**item, "id": _position_id(i)} for i, item in enumerate(items)]
    written = style.variant(keep_sort=False)
    split = len(items) > cluster_above and style.global_name_disambiguation
    split = split and not style.order_dependent
    batches = _batches(alike_groups(items)) if split else []
    grouped = {i for batch in batches for i in batch}
    main = style.variant(keep_sort=False, by_cite=True) if split else written
    rest = [item for i, item in enumerate(items) if i not in grouped]
    jobs: list[Job] = [(main, rest)] if rest else []
    jobs += [(written, [items[i] for i in batch]) for batch in batches]
    if probe:
        names = [{"literal": name} for name in PROBE]
        jobs.append((written, [{"id": "probe", "type": "book", "title": "T", "author": names}]))
    documents = _run_balanced(jobs) if len(items) > PARALLEL_ABOVE else _run(jobs)
    rendered: dict[str, Entry] = {}
    hanging = False
    for document in documents[: len(documents) - probe]:
        found, hanging_here = _bibliography(document)
        hanging = hanging or hanging_here
        rendered.update((e.key, e) for e in found)
    # In the items' order; pandoc omits an item the style prints nothing for (as citeproc-js).
    entries = [
        replace(rendered[_position_id(i)], key=keys[i])
        for i in range(len(items))
        if _position_id(i) in rendered
    ]
    connector = _connector(documents[-1]) if probe else None
    return Rendered(entries, hanging, connector)


def _position_id(index: int) -> str:
    return f"r{index:08d}"
