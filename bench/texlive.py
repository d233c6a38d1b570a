"""``python -m bench.texlive``: the .bib files TeX Live ships, each through ``citetools export
IN.bib -o OUT.bib`` (issue 15, "nothing lost, nothing invented"), and what came out.

Run from the repository root::

    python -m bench.texlive                          # $TEXMFDIST/bibtex/bib, table to stdout
    python -m bench.texlive --corpus DIR --out r.md --json r.json

Per file: the ``citetools`` command of this environment in a folder of its own (its exit code,
first error line, any traceback, and its CPU time from ``os.wait4``); bibtexparser 2 parsing
and writing the same file in a child process, timed the same way; then the input and the
output compared by :mod:`bench.roundtrip`. The table is :mod:`bench.texlive_report`'s.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.bibfields import Bib, Normalizer, read_bib
from bench.measure import citetools_command, measure
from bench.roundtrip import RoundTrip, compare
from bench.texlive_report import render, total

BIBTEXPARSER = (
    "import sys, bibtexparser\n"
    "library = bibtexparser.parse_file(sys.argv[1])\n"
    "bibtexparser.write_string(library)\n"
)
# The same work as libraries, in a child process each, timed after their imports (a command's
# start-up is most of its time on a small file: typer alone imports pydantic).
IN_PROCESS = {
    "citetools": (
        "import sys, time, citetools, citetools.api  # (citetools imports its modules lazily)\n"
        "start = time.process_time()\n"
        "records = citetools.read([sys.argv[1]], on_problem=lambda problem: None)\n"
        "citetools.export(records, sys.argv[2], force=True, on_problem=lambda problem: None)\n"
        "print(time.process_time() - start)\n"
    ),
    "bibtexparser": (
        "import sys, time, bibtexparser\n"
        "start = time.process_time()\n"
        "library = bibtexparser.parse_file(sys.argv[1])\n"
        "bibtexparser.write_string(library)\n"
        "print(time.process_time() - start)\n"
    ),
}
_MERGED = re.compile(r"^.*?:(\d+): warning: same paper as .*?:(\d+): merged into one entry", re.M)


@dataclass(slots=True)
class FileResult:
    name: str
    returncode: int = 0
    first_error: str = ""  # the first ``error:`` line (or the last line, exiting non-zero)
    error_lines: int = 0
    traceback: str = ""  # the last line of a Python traceback, if citetools printed one
    cpu_citetools: float = 0.0  # seconds, user + system of the child
    cpu_bibtexparser: float = 0.0
    # The same as libraries, after their imports (see IN_PROCESS); None where one failed.
    cpu_citetools_library: float | None = None
    cpu_bibtexparser_library: float | None = None
    bibtexparser_returncode: int = 0
    bibtexparser_error: str = ""
    encoding: str = "utf-8"  # how this tool decoded the input to compare it
    roundtrip: RoundTrip = field(default_factory=RoundTrip)


def plain(value: object) -> object:
    """Dataclasses, counters, lists and dicts as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def corpus_dir() -> Path:
    """``$TEXMFDIST/bibtex/bib`` of the TeX installation ``kpsewhich`` belongs to."""
    done = subprocess.run(
        ["kpsewhich", "-var-value", "TEXMFDIST"], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip()) / "bibtex" / "bib"


def corpus_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.bib") if path.is_file())


def _decoded(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _stderr_facts(result: FileResult, stderr: str) -> None:
    lines = stderr.splitlines()
    errors = [line for line in lines if ": error: " in line or line.startswith("error:")]
    result.error_lines = len(errors)
    if errors:
        result.first_error = errors[0]
    elif result.returncode != 0 and lines:
        result.first_error = lines[-1]
    if "Traceback (most recent call last)" in stderr:
        result.traceback = next((line for line in reversed(lines) if line.strip()), "")


def merges(stderr: str) -> list[tuple[int, int]]:
    """citetools' "same paper" warnings: (line of the entry merged away, line of the one kept)."""
    return [(int(away), int(kept)) for away, kept in _MERGED.findall(stderr)]


def measure_file(
    path: Path,
    workdir: Path,
    *,
    name: str | None = None,
    cli: Sequence[str] | None = None,
    normalize: Normalizer | None = None,
    reference: bool = True,
) -> FileResult:
    """One file: ``citetools export PATH -o WORKDIR/STEM.bib`` (``--force`` when that exists),
    bibtexparser on the same file (unless ``reference`` is false), and the comparison."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"{path.stem}.bib"
    argv = [*(cli or citetools_command()), "export", str(path), "-o", str(out)]
    if out.exists():
        argv.append("--force")
    run = measure(argv, cwd=workdir)
    (workdir / f"{path.stem}.stderr.txt").write_text(run.stderr, encoding="utf-8")
    result = FileResult(name or path.name, run.returncode, cpu_citetools=run.cpu_seconds)
    _stderr_facts(result, run.stderr)
    if reference:
        parsed = measure([sys.executable, "-c", BIBTEXPARSER, str(path)], cwd=workdir)
        result.cpu_bibtexparser = parsed.cpu_seconds
        result.bibtexparser_returncode = parsed.returncode
        if parsed.returncode != 0:
            result.bibtexparser_error = (parsed.stderr.strip().splitlines() or [""])[-1]
        result.cpu_citetools_library = _in_process("citetools", path, workdir)
        result.cpu_bibtexparser_library = _in_process("bibtexparser", path, workdir)
    text, result.encoding = _decoded(path)
    written: Bib | None = None
    if out.exists():
        written = read_bib(out.read_text(encoding="utf-8"))
    result.roundtrip = compare(read_bib(text), written, merges(run.stderr), normalize)
    return result


def _in_process(tool: str, path: Path, workdir: Path) -> float | None:
    """CPU seconds of :data:`IN_PROCESS`'s ``tool`` on ``path``, after its imports."""
    out = workdir / f"{path.stem}.{tool}-library.bib"
    stdout = workdir / f"{path.stem}.{tool}-library.txt"
    run = measure(
        [sys.executable, "-c", IN_PROCESS[tool], str(path), str(out)], cwd=workdir, stdout=stdout
    )
    try:
        return float(stdout.read_text(encoding="utf-8").strip()) if run.returncode == 0 else None
    except ValueError:
        return None


def run_corpus(
    files: Sequence[Path], root: Path, workdir: Path, log: Callable[[str], None]
) -> list[FileResult]:
    normalize = Normalizer()
    results = []
    for number, path in enumerate(files, 1):
        name = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
        log(f"[{number}/{len(files)}] {name}")
        results.append(
            measure_file(path, workdir / f"{number:03d}", name=name, normalize=normalize)
        )
    return results


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.texlive",
        description="Export every .bib TeX Live ships with citetools and count what was lost, "
        "changed or invented (issue 15). Run from the repository root.",
    )
    parser.add_argument("--corpus", type=Path, help="folder of .bib files (default: TeX Live's)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument("--json", type=Path, help="per-file numbers and totals as JSON")
    parser.add_argument("--workdir", type=Path, help="keep the outputs here (default: temp)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)  # its notes on unreadable blocks
    root = (args.corpus or corpus_dir()).resolve()
    files = corpus_files(root)
    if not files:
        print(f"no .bib files under {root}", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        if args.workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="citetex-")))
        else:
            workdir = args.workdir.resolve()
        results = run_corpus(files, root, workdir, log)
    command = " ".join(["python -m bench.texlive", *(sys.argv[1:] if argv is None else argv)])
    text = render(results, root, command)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        numbers = {"corpus": str(root), "files": results, "total": total(results)}
        args.json.write_text(json.dumps(plain(numbers), indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
