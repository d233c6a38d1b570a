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
of pandoc JSON (:func:`_run`); long lists share their jobs among :data:`WORKERS` processes.

**Speed.** APA and Chicago disambiguate citations by a rule that compares every name with every
other name of the list (``givenname-disambiguation-rule="primary-name-with-initials"``), which
pandoc does in time quadratic in the list: 1,000 APA entries took 13 s, 10,000 would take
twenty minutes. That rule can only change the bibliography through year suffixes (2026a,
2026b), and only for items whose citations could look alike: same first-author family name,
same year. So long lists render in two kinds of job: the whole list with the cheap ``by-cite``
rule, which gives every other entry exactly, and each group of possibly-alike items (joined
through shared keys, packed into small batches) with the style as written, whose entries
replace those of the first job. Numbered styles, whose numbers depend on the whole list, always
render in one job. Which items share a batch decides their year suffixes (the rule compares the
names of a batch), so the batches are what they have always been; what makes a long list fast
is around them: the processes take the costliest jobs first and the next before they finish
one, pandoc's garbage collector gets a larger allocation area (:data:`GHC_RTS`), the style is
sent without its indentation, and sort keys after the first few are rendered only for the
items those leave tied (:func:`_render_keys_lazily`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import subprocess
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

from defusedxml import ElementTree as SafeET

from citetools.errors import ExportError
from citetools.exporters import _cslsort
from citetools.exporters._inline import Entry, plain
from citetools.exporters._pandoc_ast import bibliography as _bibliography
from citetools.exporters._pandoc_ast import texts as _texts
from citetools.exporters._styles import CSL_NS, INSTALL_HINT, CslStyle
from citetools.exporters.csljson import NAME_VARIABLES
from citetools.normalize.dedup import fold

PANDOC_ENV = "CITETOOLS_PANDOC"
CLUSTER_ABOVE = 400  # lists longer than this render in the two kinds of job described above
BATCH = 60  # items per job of possibly-alike groups (a larger group is one job of its own)
PROBE = ("ZQXPROBEA", "ZQXPROBEB")
WORKERS = 2  # pandoc processes at once, for lists longer than PARALLEL_ABOVE
PARALLEL_ABOVE = 1000
KEYS_PART = 1000  # items per job of sort keys, for lists longer than PARALLEL_ABOVE
FIRST_KEYS = 3  # long lists: the sort keys rendered for every item; the rest only for ties
IN_FLIGHT = 2  # jobs sent to a pandoc process before its first result is read
GHC_RTS = "-A256m"  # pandoc's GC settings for global name disambiguation of long lists

LUA = """\
-- citetools: one CSL bibliography per line of standard input ("style<TAB>items"), each
-- printed as one line of pandoc JSON as soon as it is done, until the input ends.
for line in io.lines() do
  local csl, bib = line:match('^(.-)\\t(.*)$')
  local nocite = pandoc.Cite({pandoc.Str('@*')}, {pandoc.Citation('*', 'AuthorInText')})
  local meta = pandoc.Meta({
    bibliography = pandoc.MetaString(bib),
    csl = pandoc.MetaString(csl),
    nocite = pandoc.MetaInlines({nocite}),
  })
  local doc = pandoc.utils.citeproc(pandoc.Pandoc({}, meta))
  io.write(pandoc.write(pandoc.Pandoc(doc.blocks), 'json'), '\\n')
  io.flush()
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
_T = TypeVar("_T")


class _Failed(Exception):
    """A pandoc process ended before printing the result of the job it was sent."""


def _run(
    jobs: Sequence[Job],
    parse: Callable[[Mapping[str, Any]], _T],
    *,
    workers: int = 1,
    costs: Sequence[float] | None = None,
    roomy: bool = False,
) -> list[_T]:
    """Each job's bibliography, a pandoc JSON document, through ``parse``; in the jobs' order.

    Up to ``workers`` pandoc processes share the jobs, the costliest first (``costs``): each
    is sent its next job as soon as it has started one (:data:`IN_FLIGHT`), so pandoc never
    waits for Python to write a job's items or to parse a result, and the processes finish
    together whatever the jobs cost. ``roomy``: pandoc's garbage collector gets a larger
    allocation area (:data:`GHC_RTS`), which pays for the global name disambiguation of long
    lists (a quarter faster) but not for other work; a pandoc that takes no RTS options
    ignores it."""
    if not jobs:
        return []
    pandoc = find_pandoc()
    order = sorted(range(len(jobs)), key=lambda j: -costs[j]) if costs else range(len(jobs))
    pending = deque(order)
    results: dict[int, _T] = {}
    failures: list[tuple[int, BaseException]] = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="citetools-") as tmp:
        folder = Path(tmp)
        script = folder / "render.lua"
        script.write_text(LUA, encoding="utf-8")
        styles: dict[bytes, Path] = {}
        for style, _ in jobs:
            if style not in styles:
                styles[style] = folder / f"style{len(styles)}.csl"
                styles[style].write_bytes(_compact(style))

        def line(j: int) -> bytes:
            """The job's line for pandoc, its items written to a file first."""
            style, items = jobs[j]
            bib = folder / f"items{j}.json"
            bib.write_text(json.dumps(list(items), ensure_ascii=False), encoding="utf-8")
            return f"{styles[style]}\t{bib}\n".encode()

        processes = _start(pandoc, script, folder, min(workers, len(jobs)), roomy=roomy)

        def work(w: int) -> None:
            stdin, stdout = processes[w].stdin, processes[w].stdout
            assert stdin is not None and stdout is not None
            sent: deque[int] = deque()
            try:
                while not failures:
                    while len(sent) < IN_FLIGHT and pending:
                        try:
                            j = pending.popleft()
                        except IndexError:  # another thread took the last one
                            break
                        try:
                            stdin.write(line(j))
                            stdin.flush()
                        except BrokenPipeError:
                            raise _Failed from None
                        sent.append(j)
                    if not sent:
                        break
                    j = sent.popleft()
                    output = stdout.readline()
                    if not output.endswith(b"\n"):
                        raise _Failed
                    results[j] = parse(json.loads(output))
            except BaseException as error:  # raised again in the calling thread
                stop(w, error)

        def stop(w: int, error: BaseException) -> None:
            with lock:
                failures.append((w, error))
            for process in processes:
                process.kill()

        threads = [threading.Thread(target=work, args=(w,)) for w in range(len(processes))]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        except BaseException as error:  # KeyboardInterrupt: no more jobs, no pandoc left
            stop(-1, error)
            for thread in threads:
                if thread.is_alive():
                    thread.join()
            raise
        finally:
            codes = [_finish(process) for process in processes]
        if failures:
            w, first = failures[0]
            if not isinstance(first, _Failed):
                raise first
            raise _pandoc_failed(folder, w)
        for w, code in enumerate(codes):
            if code != 0:
                raise _pandoc_failed(folder, w)
    return [results[j] for j in range(len(jobs))]


def _finish(process: subprocess.Popen[bytes]) -> int:
    """Its exit code, once it has read the end of its input."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):  # it has died already: its code says so
            process.stdin.close()
    code = process.wait()
    if process.stdout is not None:
        process.stdout.close()
    return code


def _pandoc_failed(folder: Path, w: int) -> ExportError:
    message = (folder / f"err{w}.txt").read_text("utf-8", "replace").strip()[-800:]
    return ExportError(f"pandoc failed to render the bibliography: {message}")


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _compact(style: bytes) -> bytes:
    """The style without the indentation between its elements (text of white space and line
    breaks beside child elements), which pandoc would parse for every job: a third of the time
    a job takes to start, for a long style (APA)."""
    root: ET.Element = SafeET.fromstring(style)

    def strip(element: ET.Element) -> None:
        if element.get(_XML_SPACE) == "preserve":
            return
        if len(element) and _indentation(element.text):
            element.text = None
        for child in element:
            if _indentation(child.tail):
                child.tail = None
            strip(child)

    strip(root)
    ET.register_namespace("", CSL_NS)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _indentation(text: str | None) -> bool:
    return text is not None and "\n" in text and not text.strip()


def _start(
    pandoc: str, script: Path, folder: Path, count: int, *, roomy: bool
) -> list[subprocess.Popen[bytes]]:
    """``count`` pandoc processes running ``script``; the standard error of number ``w`` goes
    to ``err<w>.txt`` in ``folder``."""
    env = None
    if roomy and "GHCRTS" not in os.environ:
        env = {**os.environ, "GHCRTS": GHC_RTS}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for w in range(count):
            with (folder / f"err{w}.txt").open("wb") as stderr:
                command = [pandoc, "lua", str(script)]
                processes.append(
                    subprocess.Popen(
                        command,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=stderr,
                        env=env,
                    )
                )
    except OSError as error:
        for process in processes:
            process.kill()
            process.wait()
        raise ExportError(f"cannot run pandoc ({pandoc}): {error.strerror or error}") from None
    return processes


# ---------------------------------------------------------------------------------------------
# possibly-alike groups


_fold = functools.lru_cache(maxsize=65536)(fold)


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


def _connector(entries: Sequence[Entry]) -> str | None:
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


def _cost(job: Job, global_names: bool) -> float:
    """About how long pandoc takes for ``job``, in milliseconds: a style's global name
    disambiguation costs time quadratic in the job's items (see the module docstring)."""
    n = len(job[1])
    return 10 + 0.3 * n + (0.017 * n * n if global_names else 0.0)


def _key_texts(count: int) -> Callable[[Mapping[str, Any]], list[tuple[str, list[str]]]]:
    def parse(document: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
        return [(i, _cslsort.parse_keys(text, count)) for i, text in _texts(document)]

    return parse


def sort_items(items: Sequence[Mapping[str, Any]], style: CslStyle) -> list[Mapping[str, Any]]:
    """The items in the style's bibliography order, as citeproc-js sorts them."""
    keys = _cslsort.sort_keys(style.root())
    if not keys:
        return list(items)
    numbered = [{**item, "id": _position_id(i)} for i, item in enumerate(items)]
    if len(items) <= PARALLEL_ABOVE:
        rendered = _render_keys(numbered, style, keys, parts=1)
    elif style.order_dependent or not _cslsort.keys_per_item(style.root(), keys):
        # in parts exactly as ever: a key may depend on the other items of its job
        parts = 1 if any(k.variable == "citation-number" for k in keys) else _workers()
        rendered = _render_keys(numbered, style, keys, parts=parts)
    else:
        rendered = _render_keys_lazily(numbered, style, keys)
    return [items[i] for i in _cslsort.order(rendered, keys)]


def _render_keys(
    items: Sequence[Mapping[str, Any]],
    style: CslStyle,
    keys: Sequence[_cslsort.SortKey],
    *,
    parts: int | None = None,
) -> list[list[str]]:
    """Each item's sort key texts, rendered by pandoc in ``parts`` jobs (by default: jobs
    small enough to share out evenly, keys depending on nothing but their item)."""
    if parts is None:
        parts = max(_workers(), -(-len(items) // KEYS_PART))
    variant = _cslsort.keys_variant(style.root(), keys)
    jobs: list[Job] = [(variant, chunk) for chunk in _split(items, parts)]
    workers = _workers() if len(items) > PARALLEL_ABOVE else 1
    texts: dict[str, list[str]] = {}
    for found in _run(jobs, _key_texts(len(keys)), workers=workers):
        texts.update(found)
    return [texts.get(str(item["id"]), [""] * len(keys)) for item in items]


def _render_keys_lazily(
    items: Sequence[Mapping[str, Any]], style: CslStyle, keys: Sequence[_cslsort.SortKey]
) -> list[list[str]]:
    """:func:`_render_keys`, the keys after the first :data:`FIRST_KEYS` only for the items
    that those leave tied (the later keys, titles above all, cost as much again). The first
    keys print the same whatever follows them in the keys variant's layout, and items apart
    after them are in order whatever their later keys, so the order is the same."""
    if len(keys) <= FIRST_KEYS:
        return _render_keys(items, style, keys)
    first = _render_keys(items, style, keys[:FIRST_KEYS])
    classes: dict[tuple[object, ...], list[int]] = {}
    for i, row in enumerate(first):
        collated = tuple(_cslsort.collation_key(k) if k else None for k in row)
        classes.setdefault(collated, []).append(i)
    tied = sorted(i for members in classes.values() if len(members) > 1 for i in members)
    rows = [[*row, *[""] * (len(keys) - FIRST_KEYS)] for row in first]
    if tied:
        for i, row in zip(tied, _render_keys([items[i] for i in tied], style, keys), strict=True):
            rows[i] = row
    return rows


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
    global_names = style.global_name_disambiguation
    split = len(items) > cluster_above and global_names
    split = split and not style.order_dependent
    batches = _batches(alike_groups(items)) if split else []
    grouped = {i for batch in batches for i in batch}
    main = style.variant(keep_sort=False, by_cite=True) if split else written
    rest = [item for i, item in enumerate(items) if i not in grouped]
    jobs: list[Job] = [(main, rest)] if rest else []
    costs = [_cost(jobs[0], global_names and not split)] if rest else []
    jobs += [(written, [items[i] for i in batch]) for batch in batches]
    costs += [_cost(job, global_names) for job in jobs[len(costs) :]]
    if probe:
        names = [{"literal": name} for name in PROBE]
        jobs.append((written, [{"id": "probe", "type": "book", "title": "T", "author": names}]))
        costs.append(0.0)
    big = len(items) > PARALLEL_ABOVE
    workers = _workers() if big else 1
    documents = _run(jobs, _bibliography, workers=workers, costs=costs, roomy=big and global_names)
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


def _position_id(index: int) -> str:
    return f"r{index:08d}"
