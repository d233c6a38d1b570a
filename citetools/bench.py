"""Benchmark of citetools (issue 7): speed and memory where users feel them.

Run it from the repository root (the resolver part imports the local arXiv-like server from
``tests/arxiv_server.py``, which is not installed; ``--arxiv-url`` points at a running one
instead)::

    python -m citetools.bench              # 1k, 10k, 100k entries; writes bench/results.md
    python -m citetools.bench --sizes 1k,10k --repeat 5 --out /tmp/results.md

What it does, in one run:

- generates listings of N entries in each of the four layouts (feed, profile, abstracts,
  daily) from the seed entries, with varied titles, author names and dates (deterministic:
  ``--seed``), in a temporary folder;
- measures wall time and peak memory (the child's maximum resident set size, read with
  ``os.wait4``) of whole ``citetools`` processes: ``export`` to BibTeX, to CSL-JSON, and
  reading the written .bib back (``export x.bib -o y.bib``);
- runs the reference points side by side, in the same rounds: bibtexparser 2 parsing and
  writing the same .bib, pybtex parsing it; ratios are taken per round, then the median;
- startup: ``citetools --help`` and a one-entry export, repeated, min and median;
- resolver: the 203 seed entries against the local arXiv-like server with ``--delay 0``,
  counting requests and computing the time they take at the default 3 s spacing, then a
  warm (cached) rerun;
- a formatted APA list of 10k entries, when an exporter named ``text`` exists;
- writes a Markdown table with the machine's facts (``--out``).

Times are medians over ``--repeat`` rounds (``--repeat-large`` for 100k entries and more).
No step sleeps: the resolver's spacing is computed, not waited.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol, TextIO

LAYOUTS = ("feed", "profile", "abstracts", "daily")
AS_OF = "2026-11-24"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
LARGE = 100_000
ARXIV_SPACING = 3.0  # seconds between requests, citetools' default --delay
APA_SIZE = 10_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAILY_CHROME = (
    "New",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
)

# Targets of issue 7.
TARGET_100K_BIB = 10.0
TARGET_BIBTEXPARSER_RATIO = 2.0
TARGET_FLAT = 1.5  # per-entry time, largest N over smallest N
TARGET_HELP = 0.3
TARGET_ONE_ENTRY = 0.5
TARGET_REQUESTS = 15
TARGET_APA_10K = 10.0

_ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------
# Seed material


@dataclass(frozen=True, slots=True)
class SeedPool:
    """What the generated entries are made of, taken from the seed listings."""

    titles: tuple[str, ...]
    abstracts: tuple[tuple[str, ...], ...]  # sentences
    given: tuple[str, ...]
    family: tuple[str, ...]
    categories: tuple[str, ...]
    orgs: tuple[str, ...]
    affiliations: tuple[str, ...]


# Names the seeds lack: accents, strokes, particles, so transliteration and name splitting work.
_EXTRA_GIVEN = ("Łukasz", "Zoë", "José", "Søren", "Ana María", "Chloé", "Jürgen", "Dóra")
_EXTRA_FAMILY = ("Müller", "García", "Ødegaard", "Kowalczyk", "van der Berg", "de la Cruz")
_EXTRA_AFFILIATIONS = ("ETH Zürich, Switzerland", "Universidad de São Paulo, Brazil")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def load_seeds(folder: Path) -> SeedPool:
    """The seed listings read by citetools' own listing reader, broken into parts."""
    from citetools import pipeline

    records = pipeline.read([str(folder)]).records
    people = [p for r in records for p in r.authors if not p.literal and p.given]
    return SeedPool(
        titles=tuple(sorted({r.title for r in records if r.title})),
        abstracts=tuple(
            tuple(_SENTENCE.split(r.abstract)) for r in records if r.abstract and r.title
        ),
        given=tuple(sorted({p.given for p in people})) + _EXTRA_GIVEN,
        family=tuple(sorted({(f"{p.particle} " if p.particle else "") + p.family for p in people}))
        + _EXTRA_FAMILY,
        categories=tuple(sorted({c for r in records for c in r.categories})),
        orgs=tuple(sorted({o for r in records for o in r.orgs})),
        affiliations=tuple(sorted({r.affiliation for r in records if r.affiliation}))
        + _EXTRA_AFFILIATIONS,
    )


# --------------------------------------------------------------------------------------------
# Generated entries


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    authors: tuple[str, ...]
    truncated: bool
    orgs: tuple[str, ...]
    category: str
    year: int | None
    month: int
    day: int
    code: bool
    abstract: str


_SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou")  # 70, all two letters
_NAME_ENDINGS = ("", "", "", "Net", "-XL", "++", "Former", "-3D", "Diff", "GPT")
# Every title holds its coined name, so titles (and so papers) stay distinct; some keep the seed
# title's first word, so citation keys collide as they do in real libraries.
_TITLE_JOINS = ("{coined}: {tail}", "{head}: {coined} for {tail_lower}", "{head} with {coined}")
_TITLE_JOINS_PLAIN = ("{coined}: {title}", "{title} with {coined}", "{title} ({coined})")


def coined(index: int) -> str:
    """A made-up method name, distinct for every index (fixed-width syllables, no collisions)."""
    digits: list[str] = []
    number = index
    while True:
        number, rest = divmod(number, len(_SYLLABLES))
        digits.append(_SYLLABLES[rest])
        if not number:
            break
    digits += [_SYLLABLES[0]] * (2 - len(digits))  # leading zeros: at least two syllables
    return "".join(reversed(digits)).capitalize()


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def generate(pool: SeedPool, count: int, seed: int) -> Iterator[Entry]:
    """``count`` distinct entries (titles and abstracts unique), the same for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        name = coined(index) + rng.choice(_NAME_ENDINGS)
        title = rng.choice(pool.titles)
        head, colon, tail = title.partition(": ")
        template = rng.choice(_TITLE_JOINS if colon else _TITLE_JOINS_PLAIN)
        new_title = template.format(
            coined=name, tail=tail, head=head, tail_lower=_lower_first(tail), title=title
        )
        sentences = list(rng.choice(pool.abstracts))
        middle = sentences[1:-1]
        rng.shuffle(middle)
        statement = f"We call the method {name}."
        abstract = " ".join([sentences[0], statement, *middle, *sentences[1:][-1:]])
        listed = rng.choice((1, 2, 3, 3, 3, 3))
        authors = tuple(
            f"{rng.choice(pool.given)} {rng.choice(pool.family)}" for _ in range(listed)
        )
        yield Entry(
            title=new_title,
            authors=authors,
            truncated=listed == 3 and rng.random() < 0.8,
            orgs=tuple(rng.sample(pool.orgs, rng.choice((1, 2)))) if rng.random() < 0.2 else (),
            category=rng.choice(pool.categories),
            year=None if rng.random() < 0.25 else rng.randint(2015, 2026),
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            code=rng.random() < 0.4,
            abstract=abstract,
        )


def _header(entry: Entry) -> str:
    year = f", {entry.year}" if entry.year is not None else ""
    code = "Code" if entry.code else ""
    return f"{entry.category}{MONTHS[entry.month - 1]} {entry.day}{year}{code}"


def _author_line(entry: Entry) -> str:
    text = ", ".join(entry.authors) + (" et al." if entry.truncated else "")
    return text + (" · " + ", ".join(entry.orgs) if entry.orgs else "")


def _write_feed(entries: Iterator[Entry], out: TextIO, count: int) -> None:
    for entry in entries:
        out.write(f"{_header(entry)}\n{entry.title}{_author_line(entry)}\n{entry.abstract}\n")


def _write_profile(entries: Iterator[Entry], out: TextIO, count: int) -> None:
    out.write(f"Xinmei Tian\n\nCV\nh-index34\n{count:,}papers\n4,246citations\n")
    out.write(f"Novelty55%\nAI Score64\n\n{count} Papers\n\n")
    for entry in entries:
        out.write(f"{_header(entry)}\n{entry.title}\n\n{_author_line(entry)}\n\n")
        out.write(f"{entry.abstract}\n\n")


def _write_abstracts(
    entries: Iterator[Entry], out: TextIO, count: int, affiliation: str = ""
) -> None:
    out.write(f"{affiliation}\n")
    for entry in entries:
        out.write(f"Abstract:{entry.abstract}\n")


def _write_daily(entries: Iterator[Entry], out: TextIO, count: int) -> None:
    out.write("".join(f"{line}\n\n" for line in DAILY_CHROME))
    for entry in entries:
        out.write(f"{entry.title}\n\n{entry.abstract}\n\n")


def write_listing(pool: SeedPool, layout: str, count: int, path: Path, *, seed: int) -> Path:
    """A listing of ``count`` generated entries in ``layout`` at ``path``."""
    entries = generate(pool, count, seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        if layout == "feed":
            _write_feed(entries, out, count)
        elif layout == "profile":
            _write_profile(entries, out, count)
        elif layout == "abstracts":
            affiliation = random.Random(seed).choice(pool.affiliations)
            _write_abstracts(entries, out, count, affiliation)
        elif layout == "daily":
            _write_daily(entries, out, count)
        else:
            raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    return path


# --------------------------------------------------------------------------------------------
# Measuring whole processes


@dataclass(frozen=True, slots=True)
class Measured:
    seconds: float
    peak_rss_mib: float
    returncode: int
    stderr: str


def measure(argv: Sequence[str], *, cwd: Path, stdout: Path | None = None) -> Measured:
    """Run ``argv`` as a child process: wall time, and its own peak RSS from ``os.wait4``."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err:
        with open(stdout or os.devnull, "w", encoding="utf-8") as out:
            start = time.perf_counter()
            proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read()
    return Measured(seconds, usage.ru_maxrss / 1024, proc.returncode, text)


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


# --------------------------------------------------------------------------------------------
# Results


@dataclass(slots=True)
class Series:
    """Repeated measurements of one step."""

    runs: list[Measured] = field(default_factory=list)

    def add(self, result: Measured) -> None:
        self.runs.append(result)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def minimum(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.peak_rss_mib for r in self.runs)


@dataclass(slots=True)
class SizeResult:
    size: int
    export_bib: dict[str, Series] = field(default_factory=dict)
    export_json: dict[str, Series] = field(default_factory=dict)
    read_back: dict[str, Series] = field(default_factory=dict)
    bib_mib: dict[str, float] = field(default_factory=dict)
    json_mib: dict[str, float] = field(default_factory=dict)
    listing_mib: dict[str, float] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    bibtexparser: Series = field(default_factory=Series)
    pybtex: Series = field(default_factory=Series)
    ratio_export_btp: list[float] = field(default_factory=list)
    ratio_back_btp: list[float] = field(default_factory=list)
    ratio_export_pybtex: list[float] = field(default_factory=list)
    ratio_back_pybtex: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ResolverResult:
    cold_requests: int | None = None
    server_requests: int | None = None
    cold_seconds: float | None = None
    summary: str = ""
    warm_requests: int | None = None
    warm_seconds: float | None = None
    note: str = ""


@dataclass(slots=True)
class Report:
    sizes: list[SizeResult] = field(default_factory=list)
    help: Series = field(default_factory=Series)
    one_entry: Series = field(default_factory=Series)
    resolver: ResolverResult = field(default_factory=ResolverResult)
    apa_seconds: float | None = None
    apa_note: str = ""
    started: datetime = field(default_factory=lambda: datetime.now().astimezone())
    command: str = ""
    note: str = ""
    failures: list[str] = field(default_factory=list)
    load_start: float = field(default_factory=lambda: _load())
    repeat: int = 3
    repeat_large: int = 1
    startup_runs: int = 10


# --------------------------------------------------------------------------------------------
# The steps


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


_SUMMARY = re.compile(r"wrote (\d+) entries")


def _export(cli: Sequence[str], source: Path, target: Path, cwd: Path, what: str) -> Measured:
    """``citetools export SOURCE -o TARGET`` into a fresh file (every round does the same work);
    exit 1 (errors in some entries) is a result too."""
    target.unlink(missing_ok=True)
    argv = [*cli, "export", str(source), "-o", str(target), "--as-of", AS_OF]
    return _checked(measure(argv, cwd=cwd), what, ok=(0, 1))


def bench_size(size: int, pool: SeedPool, options: Options) -> SizeResult:
    """Every layout at ``size`` entries, plus the reference parsers on the feed's .bib."""
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
        btp = _checked(
            measure(
                [sys.executable, "-c", _BIBTEXPARSER, str(bib), str(folder / "btp.bib")],
                cwd=folder,
            ),
            f"bibtexparser n={size}",
        )
        pyb = _checked(
            measure(
                [sys.executable, "-c", _PYBTEX, str(bib), str(result.entries[reference])],
                cwd=folder,
            ),
            f"pybtex n={size}",
        )
        result.bibtexparser.add(btp)
        result.pybtex.add(pyb)
        exported = result.export_bib[reference].runs[-1].seconds
        read_back = result.read_back[reference].runs[-1].seconds
        result.ratio_export_btp.append(exported / btp.seconds)
        result.ratio_back_btp.append(read_back / btp.seconds)
        result.ratio_export_pybtex.append(exported / pyb.seconds)
        result.ratio_back_pybtex.append(read_back / pyb.seconds)
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
    """The arXiv-like test server from ``tests/arxiv_server.py`` (run from the repo root)."""
    for root in (Path.cwd(), _ROOT):
        if (root / "tests" / "arxiv_server.py").is_file():
            if str(root) not in sys.path:
                sys.path.insert(0, str(root))
            module = importlib.import_module("tests.arxiv_server")
            server: _Server = module.ArxivServer.start(corpus=module.load_corpus())
            return server
    raise StepFailed(
        "tests/arxiv_server.py not found: run from the repository root, or pass --arxiv-url"
    )


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


# --------------------------------------------------------------------------------------------
# The table


def _fmt(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def _ok(met: bool | None) -> str:
    return "n/a" if met is None else ("yes" if met else "**no**")


def _size_label(size: int) -> str:
    if size % 1000 == 0 and size >= 1000:
        return f"{size // 1000}k"
    return str(size)


def _git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' with uncommitted changes' if dirty else ''}"


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine_lines(report: Report) -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return [
        f"- date: {report.started.isoformat(timespec='seconds')}",
        f"- command: `{report.command}`",
        f"- CPUs: {os.cpu_count()} ({affinity} usable), {_cpu_model()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}",
        f"- citetools {_version('citetools')} (git {_git_state()}), bibtexparser "
        f"{_version('bibtexparser')}, pybtex {_version('pybtex')}",
        f"- load average (1 min) at start {report.load_start:.2f}, at end "
        f"{_load():.2f}: other processes share these cores",
        *([f"- note: {report.note}"] if report.note else []),
        f"- repeats: median of {report.repeat} runs per step ({report.repeat_large} at "
        f"{_size_label(LARGE)} entries and more); startup: {report.startup_runs} runs",
    ]


def _per_entry_us(seconds: float, size: int, baseline: float) -> float:
    return max(seconds - baseline, 0.0) / size * 1e6


def render(report: Report) -> str:
    baseline = report.one_entry.minimum if report.one_entry.runs else 0.0
    lines = [
        "# citetools benchmark results",
        "",
        "Written by `python -m citetools.bench` (see `bench/README.md`). Times are medians of",
        "whole-process wall times in seconds; memory is the child process's peak resident set",
        "(RSS, MiB). µs/entry is the time per entry net of the fastest one-entry export (the",
        "process start-up, least disturbed by other load).",
        "",
        *machine_lines(report),
        "",
        "## Export, per layout",
        "",
        "| N | layout | listing MiB | → BibTeX s | µs/entry | RSS MiB | .bib MiB "
        "| → CSL-JSON s | RSS MiB | .json MiB | .bib read back s | RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in report.sizes:
        for layout, series in res.export_bib.items():
            js, back = res.export_json[layout], res.read_back.get(layout)
            read_back = f"{_fmt(back.median)} | {back.rss:.0f}" if back else "- | -"
            lines.append(
                f"| {_size_label(res.size)} | {layout} | {res.listing_mib[layout]:.1f} "
                f"| {_fmt(series.median)} | {_per_entry_us(series.median, res.size, baseline):.0f} "
                f"| {series.rss:.0f} | {res.bib_mib[layout]:.1f} "
                f"| {_fmt(js.median)} | {js.rss:.0f} | {res.json_mib[layout]:.1f} "
                f"| {read_back} |"
            )
    notes = [f"- {_size_label(r.size)}: {n}" for r in report.sizes for n in r.notes]
    if notes:
        lines += ["", *notes]
    lines += [
        "",
        "## Reference points (the feed layout's .bib, run side by side in each round)",
        "",
        "Ratios are taken per round, then the median. *export* is citetools listing → .bib;",
        "*read back* is citetools .bib → .bib (it parses with bibtexparser itself).",
        "",
        "| N | bibtexparser 2 parse+write s | RSS MiB | pybtex parse s | RSS MiB "
        "| export / bibtexparser | read back / bibtexparser | export / pybtex "
        "| read back / pybtex |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in report.sizes:
        if not res.bibtexparser.runs:
            continue
        lines.append(
            f"| {_size_label(res.size)} | {_fmt(res.bibtexparser.median)} "
            f"| {res.bibtexparser.rss:.0f} | {_fmt(res.pybtex.median)} | {res.pybtex.rss:.0f} "
            f"| {statistics.median(res.ratio_export_btp):.2f} "
            f"| {statistics.median(res.ratio_back_btp):.2f} "
            f"| {statistics.median(res.ratio_export_pybtex):.2f} "
            f"| {statistics.median(res.ratio_back_pybtex):.2f} |"
        )
    lines += ["", "## Startup (whole processes)", ""]
    if report.help.runs:
        lines += [
            "| command | runs | min s | median s | peak RSS MiB |",
            "|---|---:|---:|---:|---:|",
            f"| `citetools --help` | {len(report.help.runs)} | {report.help.minimum:.3f} "
            f"| {report.help.median:.3f} | {report.help.rss:.0f} |",
            f"| `citetools export` one entry | {len(report.one_entry.runs)} "
            f"| {report.one_entry.minimum:.3f} | {report.one_entry.median:.3f} "
            f"| {report.one_entry.rss:.0f} |",
        ]
    else:
        lines.append("skipped")
    res_r = report.resolver
    lines += ["", "## Resolver (203 seed entries, local arXiv-like server, `--delay 0`)", ""]
    if res_r.note:
        lines.append(res_r.note)
    else:
        simulated = (
            f"{res_r.cold_requests * ARXIV_SPACING:.0f}" if res_r.cold_requests is not None else "?"
        )
        lines += [
            "| run | requests | time at 3 s spacing s | wall s (delay 0) | outcome |",
            "|---|---:|---:|---:|---|",
            f"| cold | {res_r.cold_requests} | {simulated} | {_fmt(res_r.cold_seconds or 0)} "
            f"| {res_r.summary} |",
            f"| warm (cached) | {res_r.warm_requests} | "
            f"{(res_r.warm_requests or 0) * ARXIV_SPACING:.0f} "
            f"| {_fmt(res_r.warm_seconds or 0)} | |",
        ]
        if res_r.server_requests is not None:
            lines += ["", f"The server logged {res_r.server_requests} requests on the cold run."]
    lines += ["", "## Formatted APA list (10k entries)", ""]
    if report.apa_seconds is None:
        lines.append(report.apa_note or "skipped")
    else:
        lines.append(f"`citetools export --to text`: {_fmt(report.apa_seconds)} s")
    if report.failures:
        lines += ["", "## Failed steps", "", *(f"- {failure}" for failure in report.failures)]
    lines += ["", "## Targets (issue 7)", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {_ok(ok)} |" for t, m, ok in targets(report)]
    return "\n".join(lines) + "\n"


def targets(report: Report) -> list[tuple[str, str, bool | None]]:
    """(target, measurement, met) rows; met is None when the run did not measure it."""
    rows: list[tuple[str, str, bool | None]] = []
    by_size = {r.size: r for r in report.sizes}
    large = by_size.get(LARGE)
    if large and large.export_bib:
        worst = max(large.export_bib, key=lambda layout: large.export_bib[layout].median)
        feed = large.export_bib.get("feed")
        measured = f"worst {_fmt(large.export_bib[worst].median)} s ({worst})"
        if feed is not None:
            measured = f"feed {_fmt(feed.median)} s; " + measured
        rows.append(
            ("100k entries to BibTeX < 10 s", measured, large.export_bib[worst].median < 10)
        )
    else:
        rows.append(("100k entries to BibTeX < 10 s", "not run (no 100k size)", None))
    biggest = max(report.sizes, key=lambda r: r.size) if report.sizes else None
    if biggest and biggest.ratio_export_btp:
        ratio = statistics.median(biggest.ratio_export_btp)
        back = statistics.median(biggest.ratio_back_btp)
        rows.append(
            (
                "within 2x of bibtexparser 2 parse+write",
                f"{ratio:.2f}x export, {back:.2f}x read back ({_size_label(biggest.size)})",
                ratio <= TARGET_BIBTEXPARSER_RATIO,
            )
        )
    baseline = report.one_entry.minimum if report.one_entry.runs else 0.0
    if len(report.sizes) >= 2:
        small, big = min(report.sizes, key=lambda r: r.size), biggest
        assert big is not None
        parts, worst_ratio = [], 0.0
        for layout in big.export_bib:
            if layout not in small.export_bib:
                continue
            a = _per_entry_us(small.export_bib[layout].median, small.size, baseline)
            b = _per_entry_us(big.export_bib[layout].median, big.size, baseline)
            ratio = b / a if a else float("inf")
            worst_ratio = max(worst_ratio, ratio)
            parts.append(f"{layout} {a:.0f}→{b:.0f} µs ({ratio:.2f}x)")
        rows.append(
            (
                f"time per entry flat from {_size_label(small.size)} to "
                f"{_size_label(big.size)} (≤ {TARGET_FLAT}x)",
                "; ".join(parts),
                worst_ratio <= TARGET_FLAT,
            )
        )
        growth = []
        grows_ok = True
        for layout in big.export_bib:
            if layout not in small.export_bib:
                continue
            d_rss = big.export_bib[layout].rss - small.export_bib[layout].rss
            d_out = big.bib_mib[layout] - small.bib_mib[layout]
            factor = d_rss / d_out if d_out > 0 else float("inf")
            grows_ok = grows_ok and factor <= 1.0
            growth.append(f"{layout} {factor:.1f}")
        rows.append(
            (
                "memory grows no faster than the output (ΔRSS / Δ.bib size ≤ 1)",
                ", ".join(growth),
                grows_ok,
            )
        )
    if report.help.runs:
        rows.append(
            (
                "`citetools --help` < 0.3 s",
                f"median {report.help.median:.3f} s",
                report.help.median < TARGET_HELP,
            )
        )
        rows.append(
            (
                "one-entry export < 0.5 s",
                f"median {report.one_entry.median:.3f} s",
                report.one_entry.median < TARGET_ONE_ENTRY,
            )
        )
    res = report.resolver
    if res.cold_requests is not None:
        rows.append(
            (
                "resolver ≤ 15 requests for the 203 seeds",
                f"{res.cold_requests} requests ({res.cold_requests * ARXIV_SPACING:.0f} s at 3 s)",
                res.cold_requests <= TARGET_REQUESTS,
            )
        )
    if res.warm_requests is not None:
        rows.append(
            (
                "warm rerun makes 0 requests",
                f"{res.warm_requests} requests, {_fmt(res.warm_seconds or 0)} s",
                res.warm_requests == 0,
            )
        )
    rows.append(
        (
            "APA list of 10k entries < 10 s",
            _fmt(report.apa_seconds) + " s"
            if report.apa_seconds is not None
            else report.apa_note.split(":", 1)[0] or "skipped",
            None if report.apa_seconds is None else report.apa_seconds < TARGET_APA_10K,
        )
    )
    return rows


# --------------------------------------------------------------------------------------------
# Command line


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("k"):
        text, factor = text[:-1], 1000
    elif text.endswith("m"):
        text, factor = text[:-1], 1_000_000
    try:
        value = int(float(text) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("sizes must be at least 1")
    return value


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(parse_size(part) for part in text.split(",") if part.strip())


def _layouts(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [layout for layout in chosen if layout not in LAYOUTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"layouts are {', '.join(LAYOUTS)}")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m citetools.bench",
        description="Benchmark citetools (speed and memory, startup, resolver requests). "
        "Run from the repository root.",
    )
    parser.add_argument(
        "--sizes", type=_sizes, default=DEFAULT_SIZES, help="entries per listing: 1k,10k,100k"
    )
    parser.add_argument(
        "--layouts", type=_layouts, default=LAYOUTS, help="feed,profile,abstracts,daily"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median); 3")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help=f"runs per step at {LARGE:,}+ entries; 1"
    )
    parser.add_argument("--startup-runs", type=int, default=10, help="startup runs; 10")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generator")
    parser.add_argument("--seeds", type=Path, default=_ROOT / "seeds", help="seed listings")
    parser.add_argument("--out", type=Path, default=Path("bench/results.md"), help="table")
    parser.add_argument("--workdir", type=Path, help="keep generated files here (default: temp)")
    parser.add_argument("--arxiv-url", help="a running arXiv-like server instead of the local one")
    parser.add_argument(
        "--read-back-all",
        action="store_true",
        help="read back the .bib of every layout (default: the feed layout's only)",
    )
    parser.add_argument("--no-resolver", action="store_true", help="skip the resolver part")
    parser.add_argument("--no-apa", action="store_true", help="skip the APA part")
    parser.add_argument("--note", default="", help="a line for the table, e.g. what was run")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if min(args.repeat, args.repeat_large, args.startup_runs) < 1:
        raise SystemExit("--repeat, --repeat-large and --startup-runs must be at least 1")

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        if args.workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="citebench-")))
        else:
            workdir = args.workdir.resolve()
            workdir.mkdir(parents=True, exist_ok=True)
        options = Options(
            sizes=tuple(sorted(set(args.sizes))),
            layouts=args.layouts,
            repeat=args.repeat,
            repeat_large=args.repeat_large,
            startup_runs=args.startup_runs,
            seed=args.seed,
            seeds=args.seeds.resolve(),
            workdir=workdir,
            arxiv_url=args.arxiv_url,
            read_back_all=args.read_back_all,
            resolver=not args.no_resolver,
            apa=not args.no_apa,
            log=log,
        )
        report = Report(
            command=" ".join(["python -m citetools.bench", *(argv or sys.argv[1:])]),
            note=args.note,
            repeat=args.repeat,
            repeat_large=args.repeat_large,
            startup_runs=args.startup_runs,
        )
        pool = load_seeds(options.seeds)
        args.out.parent.mkdir(parents=True, exist_ok=True)

        def save() -> str:  # after every part, so a long run that fails keeps what it measured
            text = render(report)
            args.out.write_text(text, encoding="utf-8")
            return text

        log("startup ...")
        try:
            bench_startup(pool, options, report)
        except StepFailed as error:
            report.failures.append(str(error))
        for size in options.sizes:
            log(f"n={size} ...")
            try:
                report.sizes.append(bench_size(size, pool, options))
            except StepFailed as error:
                report.failures.append(str(error))
            save()
        if options.resolver:
            log("resolver ...")
            bench_resolver(options, report)
        else:
            report.resolver.note = "skipped (--no-resolver)"
        if options.apa:
            log("APA ...")
            bench_apa(pool, options, report)
        else:
            report.apa_note = "skipped (--no-apa)"
        text = save()
    sys.stdout.write(text)
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
