"""Benchmark of citetools (issue 7): speed and memory where users feel them.

Not part of the installed package: it lives at the repository root beside ``tests/``, and runs
from there, in an environment where citetools is installed (the resolver part imports the
local arXiv-like server from ``tests/arxiv_server.py``; ``--arxiv-url`` points at a running
one instead)::

    python -m bench              # 1k, 10k, 100k entries; writes bench/results.md
    python -m bench --sizes 1k,10k --repeat 5 --out /tmp/results.md

What it does, in one run:

- generates listings of N entries in each of the four layouts (feed, profile, abstracts,
  daily) from the seed entries, with varied titles, author names and dates (deterministic:
  ``--seed``), in a temporary folder;
- measures wall time and peak memory (the child's maximum resident set size, read with
  ``os.wait4``) of whole ``citetools`` processes: ``export`` to BibTeX, to CSL-JSON, and
  reading the written .bib back (``export x.bib -o y.bib``);
- runs the reference points side by side, in the same rounds: bibtexparser 2 parsing and
  writing the same .bib, pybtex parsing it; ratios are taken per round, then the median;
- re-export onto its own output: the feed's listing to a fresh .bib, then again onto that
  unchanged .bib (citetools locks the keys to it); both times and their ratio per round;
- startup: ``citetools --help`` and a one-entry export, repeated, min and median;
- resolver: the 203 seed entries against the local arXiv-like server with ``--delay 0``,
  counting requests and computing the time they take at the default 3 s spacing, then a
  warm (cached) rerun;
- a formatted APA list of 10k entries, when an exporter named ``text`` exists;
- writes a Markdown table with the machine's facts (``--out``).

Times are medians over ``--repeat`` rounds (``--repeat-large`` for 100k entries and more).
No step sleeps: the resolver's spacing is computed, not waited.

The package: ``generate`` (seed pool and listings), ``measure`` (whole processes and the
steps), ``results`` (constants, targets and the records), ``report`` (the Markdown table),
``goals`` (the targets next to what was measured), ``cells`` (how a measurement is written),
``cli`` (options and :func:`main`). Of citetools it uses only what users have: the public
API (``citetools.read``) and the ``citetools`` command, run as child processes.
"""

from bench.cli import build_parser, main, parse_size
from bench.generate import (
    LAYOUTS,
    Entry,
    SeedPool,
    coined,
    load_seeds,
    write_listing,
)
from bench.goals import targets
from bench.measure import (
    Options,
    StepFailed,
    bench_apa,
    bench_resolver,
    bench_size,
    bench_startup,
    citetools_command,
)
from bench.report import machine_lines, reexport_lines, render
from bench.results import (
    AS_OF,
    DEFAULT_SIZES,
    LARGE,
    Measured,
    ReexportResult,
    Report,
    ResolverResult,
    Series,
    SizeResult,
)

__all__ = [
    "AS_OF",
    "DEFAULT_SIZES",
    "LARGE",
    "LAYOUTS",
    "Entry",
    "Measured",
    "Options",
    "ReexportResult",
    "Report",
    "ResolverResult",
    "SeedPool",
    "Series",
    "SizeResult",
    "StepFailed",
    "bench_apa",
    "bench_resolver",
    "bench_size",
    "bench_startup",
    "build_parser",
    "citetools_command",
    "coined",
    "load_seeds",
    "machine_lines",
    "main",
    "parse_size",
    "reexport_lines",
    "render",
    "targets",
    "write_listing",
]
