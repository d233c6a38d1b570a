"""The command line: ``python -m bench`` parses its options, runs every part and
rewrites the table after each size, so a long run that breaks keeps what it measured."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import measure as steps
from bench.generate import LAYOUTS, SeedPool, load_seeds
from bench.report import render
from bench.results import DEFAULT_SIZES, LARGE, REPO_ROOT, Report


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
        prog="python -m bench",
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
    parser.add_argument("--seeds", type=Path, default=REPO_ROOT / "seeds", help="seed listings")
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
    with contextlib.ExitStack() as stack:
        options = _options(args, _workdir(args, stack))
        report = Report(
            command=" ".join(["python -m bench", *(argv or sys.argv[1:])]),
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

        _run_parts(pool, options, report, save)
        text = save()
    sys.stdout.write(text)
    return 1 if report.failures else 0


def _workdir(args: argparse.Namespace, stack: contextlib.ExitStack) -> Path:
    """``--workdir``, made if need be; else a temporary folder, removed when ``stack`` closes."""
    if args.workdir is None:
        return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="citebench-")))
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    return workdir


def _options(args: argparse.Namespace, workdir: Path) -> steps.Options:
    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    return steps.Options(
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


def _run_parts(
    pool: SeedPool, options: steps.Options, report: Report, save: Callable[[], object]
) -> None:
    """Every part into ``report``, in turn: startup, each size (then ``save``), the resolver,
    the APA list. A failed step is noted in the report and the run goes on."""
    log = options.log
    log("startup ...")
    try:
        steps.bench_startup(pool, options, report)
    except steps.StepFailed as error:
        report.failures.append(str(error))
    for size in options.sizes:
        log(f"n={size} ...")
        try:
            report.sizes.append(steps.bench_size(size, pool, options))
        except steps.StepFailed as error:
            report.failures.append(str(error))
        save()
    if options.resolver:
        log("resolver ...")
        steps.bench_resolver(options, report)
    else:
        report.resolver.note = "skipped (--no-resolver)"
    if options.apa:
        log("APA ...")
        steps.bench_apa(pool, options, report)
    else:
        report.apa_note = "skipped (--no-apa)"
