"""The measured steps: whole child processes (``citetools ...``, or ``python -c ...`` for the
reference libraries), timed around them, with the child's own peak RSS from ``os.wait4``."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench.generate import SeedPool, write_listing
from bench.results import (
    APA_SIZE,
    AS_OF,
    LARGE,
    REPO_ROOT,
    Measured,
    ReexportResult,
    Report,
    Series,
    SizeResult,
)


def measure(argv: Sequence[str], *, cwd: Path, stdout: Path | None = None) -> Measured:
    """Run ``argv`` as a child process: wall time, and its own peak RSS and CPU time from
    ``os.wait4``."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err:
        with open(stdout or os.devnull, "w", encoding="utf-8") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read()
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, usage.ru_maxrss / 1024, proc.returncode, text, cpu)


def citetools_command() -> list[str]:
    """The ``citetools`` console script of this environment, as users run it."""
    script = Path(sys.executable).parent / "citetools"
    if script.exists():
        return [str(script)]
    found = shutil.which("citetools")
    return [found] if found else [sys.executable, "-m", "citetools"]


_BIBTEXPARSER = (
    "import sys, bibtexparser\n"
    "library = bibtexparser.parse_file(sys.argv[1])\n"
    "bibtexparser.write_file(sys.argv[2], library)\n"
    "assert not library.failed_blocks, len(library.failed_blocks)\n"
)
_PYBTEX = (
    "import sys\n"
    "from pybtex.database import parse_file\n"
    "data = parse_file(sys.argv[1], bib_format='bibtex')\n"
    "assert len(data.entries) == int(sys.argv[2]), len(data.entries)\n"
)


class StepFailed(RuntimeError):
    pass


def _checked(result: Measured, what: str, ok: Sequence[int] = (0,)) -> Measured:
    if result.returncode not in ok:
        tail = result.stderr.strip().splitlines()[-3:]
        raise StepFailed(f"{what}: exit {result.returncode}: {' / '.join(tail)}")
    return result


@dataclass(frozen=True, slots=True)
class Options:
    sizes: tuple[int, ...]
    layouts: tuple[str, ...]
    repeat: int
    repeat_large: int
    startup_runs: int
    seed: int
    seeds: Path
    workdir: Path
    arxiv_url: str | None
    read_back_all: bool
    resolver: bool
    apa: bool
    log: Callable[[str], None]


def _mib(path: Path) -> float:
    return path.stat().st_size / 2**20


def _digest(path: Path) -> bytes:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


_SUMMARY = re.compile(r"wrote (\d+) entries")


def _export(
    cli: Sequence[str], source: Path, target: Path, cwd: Path, what: str, *, fresh: bool = True
) -> Measured:
    """``citetools export SOURCE -o TARGET``, into a fresh file unless ``fresh`` is false (every
    round does the same work); exit 1 (errors in some entries) is a result too."""
    if fresh:
        target.unlink(missing_ok=True)
    argv = [*cli, "export", str(source), "-o", str(target), "--as-of", AS_OF]
    return _checked(measure(argv, cwd=cwd), what, ok=(0, 1))


def _python(script: str, *args: str, cwd: Path, what: str) -> Measured:
    return _checked(measure([sys.executable, "-c", script, *args], cwd=cwd), what)


def _reexport_round(
    cli: Sequence[str], listing: Path, folder: Path, what: str, result: ReexportResult
) -> None:
    """The listing to a fresh .bib, then again onto that unchanged .bib (keys locked to it)."""
    target = folder / f"{result.layout}.reexport.bib"
    fresh = _export(cli, listing, target, folder, f"fresh export {what}")
    written = _digest(target)
    again = _export(cli, listing, target, folder, f"re-export {what} onto itself", fresh=False)
    result.fresh.add(fresh)
    result.again.add(again)
    result.ratios.append(again.seconds / fresh.seconds)
    result.same_bytes = result.same_bytes and _digest(target) == written


def bench_size(size: int, pool: SeedPool, options: Options) -> SizeResult:
    """Every layout at ``size`` entries, plus the reference parsers on the feed's .bib and the
    feed's re-export onto its own output."""
    result = SizeResult(size)
    folder = options.workdir / f"n{size}"
    folder.mkdir(parents=True, exist_ok=True)
    cli = citetools_command()
    listings = {}
    for layout in options.layouts:
        path = write_listing(pool, layout, size, folder / f"{layout}.txt", seed=options.seed)
        listings[layout] = path
        result.listing_mib[layout] = _mib(path)
    reference = "feed" if "feed" in options.layouts else options.layouts[0]
    result.reexport.layout = reference
    rounds = options.repeat_large if size >= LARGE else options.repeat
    for round_ in range(rounds):
        options.log(f"  n={size} round {round_ + 1}/{rounds}")
        for layout, listing in listings.items():
            bib, json_out = folder / f"{layout}.bib", folder / f"{layout}.json"
            what = f"{layout} n={size}"
            ran = _export(cli, listing, bib, folder, f"export {what} to BibTeX")
            result.export_bib.setdefault(layout, Series()).add(ran)
            found = _SUMMARY.search(ran.stderr)
            result.entries[layout] = int(found.group(1)) if found else -1
            result.bib_mib[layout] = _mib(bib)
            ran = _export(cli, listing, json_out, folder, f"export {what} to CSL-JSON")
            result.export_json.setdefault(layout, Series()).add(ran)
            result.json_mib[layout] = _mib(json_out)
            if layout == reference or options.read_back_all:
                back = folder / f"{layout}.back.bib"
                ran = _export(cli, bib, back, folder, f"read back {what}")
                result.read_back.setdefault(layout, Series()).add(ran)
        bib = folder / f"{reference}.bib"
        (folder / "btp.bib").unlink(missing_ok=True)
        btp = _python(
            _BIBTEXPARSER,
            str(bib),
            str(folder / "btp.bib"),
            cwd=folder,
            what=f"bibtexparser n={size}",
        )
        pyb = _python(
            _PYBTEX, str(bib), str(result.entries[reference]), cwd=folder, what=f"pybtex n={size}"
        )
        result.bibtexparser.add(btp)
        result.pybtex.add(pyb)
        exported = result.export_bib[reference].runs[-1].seconds
        read_back = result.read_back[reference].runs[-1].seconds
        result.ratio_export_btp.append(exported / btp.seconds)
        result.ratio_back_btp.append(read_back / btp.seconds)
        result.ratio_export_pybtex.append(exported / pyb.seconds)
        result.ratio_back_pybtex.append(read_back / pyb.seconds)
        _reexport_round(cli, listings[reference], folder, f"{reference} n={size}", result.reexport)
    for layout, count in result.entries.items():
        if count != size:
            result.notes.append(f"{layout}: {count} entries written of {size} generated")
    return result


def bench_startup(pool: SeedPool, options: Options, report: Report) -> None:
    cli = citetools_command()
    folder = options.workdir / "startup"
    folder.mkdir(parents=True, exist_ok=True)
    one = write_listing(pool, "feed", 1, folder / "one.txt", seed=options.seed)
    for _ in range(options.startup_runs):
        report.help.add(_checked(measure([*cli, "--help"], cwd=folder), "citetools --help"))
        report.one_entry.add(_export(cli, one, folder / "one.bib", folder, "one-entry export"))


_REQUESTS = re.compile(r"(\d+) requests, (\d+) cache hits")
_RESOLVED = re.compile(r"resolved \d+, ambiguous \d+, not found \d+, failed \d+")


class _Server(Protocol):
    """What the bench uses of ``tests.arxiv_server.ArxivServer``."""

    @property
    def url(self) -> str: ...

    @property
    def log(self) -> Sequence[object]: ...

    def stop(self) -> None: ...


def _local_server() -> _Server:
    """The arXiv-like test server of ``tests/arxiv_server.py``, beside ``bench/`` in the
    source checkout."""
    if not (REPO_ROOT / "tests" / "arxiv_server.py").is_file():
        raise StepFailed(
            f"{REPO_ROOT / 'tests' / 'arxiv_server.py'} not found: run from a source checkout, "
            "or pass --arxiv-url"
        )
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    module = importlib.import_module("tests.arxiv_server")
    server: _Server = module.ArxivServer.start(corpus=module.load_corpus())
    return server


def bench_resolver(options: Options, report: Report) -> None:
    result = report.resolver
    server: _Server | None = None
    try:
        if options.arxiv_url:
            url = options.arxiv_url
        else:
            server = _local_server()
            url = server.url
        folder = options.workdir / "resolver"
        folder.mkdir(parents=True, exist_ok=True)
        argv = [
            *citetools_command(),
            "export",
            str(options.seeds),
            "--resolve",
            "--arxiv-url",
            url,
            "--delay",
            "0",
            "--cache",
            str(folder / "cache.sqlite"),
            "-o",
            str(folder / "resolved.bib"),
            "--as-of",
            AS_OF,
        ]
        for warm in (False, True):
            before = len(server.log) if server is not None else 0
            ran = _checked(measure(argv, cwd=folder), "resolve", ok=(0, 1))
            found = _REQUESTS.search(ran.stderr)
            requests = int(found.group(1)) if found else None
            if warm:
                result.warm_requests, result.warm_seconds = requests, ran.seconds
            else:
                result.cold_requests, result.cold_seconds = requests, ran.seconds
                summary = _RESOLVED.search(ran.stderr)
                result.summary = summary.group(0) if summary else ""
                if server is not None:
                    result.server_requests = len(server.log) - before
    except (StepFailed, ImportError, OSError) as error:
        result.note = f"skipped: {error}"
    finally:
        if server is not None:
            server.stop()


def bench_apa(pool: SeedPool, options: Options, report: Report) -> None:
    cli = citetools_command()
    listed = subprocess.run(
        [*cli, "plugins", "--kind", "exporter", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        names = {item["name"] for item in json.loads(listed.stdout)}
    except (ValueError, TypeError, KeyError):
        names = set()
    if "text" not in names:
        report.apa_note = (
            "skipped: no exporter named `text` is installed "
            f"(exporters: {', '.join(sorted(names)) or 'none found'})"
        )
        return
    folder = options.workdir / "apa"
    folder.mkdir(parents=True, exist_ok=True)
    listing = write_listing(pool, "feed", APA_SIZE, folder / "feed.txt", seed=options.seed)
    runs = Series()
    argv = [*cli, "export", str(listing), "--to", "text", "-o", str(folder / "apa.txt")]
    try:
        for _ in range(options.repeat):
            (folder / "apa.txt").unlink(missing_ok=True)
            runs.add(_checked(measure([*argv, "--as-of", AS_OF], cwd=folder), "APA", ok=(0, 1)))
    except StepFailed as error:
        report.apa_note = f"failed: {error}"
        return
    report.apa_seconds = runs.median
