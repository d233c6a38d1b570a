"""pandoc processes that render CSL bibliographies: jobs in, one line of pandoc JSON out for each.

:func:`run_jobs` starts ``pandoc lua`` processes running :data:`LUA`. Each reads jobs from its
standard input, one line each (``style<TAB>items``: the paths of a CSL style and of a CSL-JSON
file), calls ``pandoc.utils.citeproc`` once per job and answers each with one line of pandoc
JSON, in the order it was sent them. Long lists share their jobs among several processes.

The protocol is lines of bytes split at ``\\n`` only. pandoc's JSON escapes every ``\\n`` inside
its strings but not U+0085 (NEL), U+2028 or U+2029, which text-mode line splitting (Python's
``str.splitlines``) would also take for line ends: pandoc writes a NEL when it runs out of
year-suffix letters (the 963rd alike item's ``2026\\x85a``), and a list cut there once came back
as "27 of 1 bibliographies".

A process that stops before it has answered every job it was sent, or that exits with an error
code, stops the others and raises :class:`~citetools.errors.ExportError` with the end of its
standard error; so does an answer that is no JSON. Nothing waits on a process that is gone.
The error names the first job it did not answer: when it stops, the next job's line may be
written before it ends or fail to be written after (a broken pipe), as the two processes happen
to be scheduled, so a failed write only stops the sending, and the answers to the jobs sent
before it are still read.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from defusedxml import ElementTree as SafeET

from citetools.errors import ExportError
from citetools.exporters._styles import CSL_NS

WORKERS = 2  # pandoc processes at once, for lists longer than PARALLEL_ABOVE
PARALLEL_ABOVE = 1000
IN_FLIGHT = 2  # jobs sent to a pandoc process before its first result is read
GHC_RTS = "-A256m"  # pandoc's GC settings for long lists: name disambiguation, sort keys
_EXIT_WAIT = 2.0  # seconds a process that closed its output gets to exit, for its exit code

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

Job = tuple[bytes, Sequence[Mapping[str, Any]]]  # style XML, items
_T = TypeVar("_T")


def cpu_workers() -> int:
    """:data:`WORKERS`, or fewer on a machine with fewer cores."""
    return max(1, min(WORKERS, os.cpu_count() or 1))


def workers_for(count: int) -> int:
    """How many pandoc processes share the jobs of a list of ``count`` items."""
    return cpu_workers() if count > PARALLEL_ABOVE else 1


class _Stopped(Exception):
    """A pandoc process ended (or answered nonsense) before the result of a job it was sent."""

    def __init__(self, job: int, reason: str) -> None:
        super().__init__(job, reason)
        self.job = job
        self.reason = reason


def run_jobs(
    pandoc: str,
    jobs: Sequence[Job],
    parse: Callable[[Mapping[str, Any]], _T],
    *,
    workers: int = 1,
    costs: Sequence[float] | None = None,
    roomy: bool = False,
) -> list[_T]:
    """Each job's bibliography, a pandoc JSON document, through ``parse``; in the jobs' order.

    Up to ``workers`` processes of ``pandoc`` share the jobs, the costliest first (``costs``):
    each is sent its next job as soon as it has started one (:data:`IN_FLIGHT`), so pandoc
    never waits for Python to write a job's items or to parse a result, and the processes
    finish together whatever the jobs cost. ``roomy``: pandoc's garbage collector gets a larger
    allocation area (:data:`GHC_RTS`), which pays for the global name disambiguation and the
    sort keys of long lists (a quarter and a sixth faster) but not for one job of a whole
    numbered list; a pandoc that takes no RTS options ignores it."""
    if not jobs:
        return []
    order = sorted(range(len(jobs)), key=lambda j: -costs[j]) if costs else range(len(jobs))
    with tempfile.TemporaryDirectory(prefix="citetools-") as tmp:
        folder = Path(tmp)
        script, styles = _write_inputs(folder, jobs)
        processes = _start(pandoc, script, folder, min(workers, len(jobs)), roomy=roomy)
        run = _Run(jobs, parse, folder, styles, processes, order)
        return run.outcome(run.wait())


def _write_inputs(folder: Path, jobs: Sequence[Job]) -> tuple[Path, dict[bytes, Path]]:
    """The Lua script and each distinct style of ``jobs`` (:func:`compact`) written to
    ``folder``: the script's path, and each style's."""
    script = folder / "render.lua"
    script.write_text(LUA, encoding="utf-8")
    styles: dict[bytes, Path] = {}
    for style, _ in jobs:
        if style not in styles:
            styles[style] = folder / f"style{len(styles)}.csl"
            styles[style].write_bytes(compact(style))
    return script, styles


class _Run(Generic[_T]):
    """One call of :func:`run_jobs`: what its threads share, one thread per process. Each
    thread (:meth:`work`) takes jobs from ``pending``, the costliest first, and puts their
    results in ``results``; the first to fail notes it in ``failures`` and kills every process
    (:meth:`stop`), and :meth:`outcome` raises it."""

    def __init__(
        self,
        jobs: Sequence[Job],
        parse: Callable[[Mapping[str, Any]], _T],
        folder: Path,
        styles: Mapping[bytes, Path],
        processes: Sequence[subprocess.Popen[bytes]],
        order: Iterable[int],
    ) -> None:
        self.jobs, self.parse, self.folder, self.styles = jobs, parse, folder, styles
        self.processes = processes
        self.pending = deque(order)  # the jobs not sent yet
        self.results: dict[int, _T] = {}
        self.failures: list[tuple[int, BaseException]] = []  # (worker, error); -1: the caller
        self.lock = threading.Lock()

    def line(self, j: int) -> bytes:
        """The job's line for pandoc, its items written to a file first."""
        style, items = self.jobs[j]
        bib = self.folder / f"items{j}.json"
        bib.write_text(json.dumps(list(items), ensure_ascii=False), encoding="utf-8")
        return f"{self.styles[style]}\t{bib}\n".encode()

    def wait(self) -> list[int]:
        """Runs every worker's thread to its end; then each process's exit code, once it has
        read the end of its input (:func:`_finish`)."""
        threads = [
            threading.Thread(target=self.work, args=(w,)) for w in range(len(self.processes))
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        except BaseException as error:  # KeyboardInterrupt: no more jobs, no pandoc left
            self.stop(-1, error)
            for thread in threads:
                if thread.is_alive():
                    thread.join()
            raise
        finally:
            codes = [_finish(process) for process in self.processes]
        return codes

    def work(self, w: int) -> None:
        """Worker ``w``'s thread: process ``w`` fed until no job is left or a worker failed."""
        process = self.processes[w]
        stdin, stdout = process.stdin, process.stdout
        assert stdin is not None and stdout is not None
        try:
            self._feed(process, stdin, stdout)
        except BaseException as error:  # raised again in the calling thread
            self.stop(w, error)

    def _feed(self, process: subprocess.Popen[bytes], stdin: IO[bytes], stdout: IO[bytes]) -> None:
        """Keeps up to :data:`IN_FLIGHT` jobs sent to ``process`` and reads their answers, in
        the order they were sent; raises :class:`_Stopped` when it fails to answer one."""
        sent: deque[int] = deque()
        unsent: int | None = None  # the job whose line it stopped reading: it sends no more
        while not self.failures:
            if unsent is None:
                unsent = self._send(stdin, sent)
            if not sent:
                break
            j = sent.popleft()
            if j == unsent:
                raise _Stopped(j, _ended(process, "it stopped reading its jobs"))
            self.results[j] = self.parse(_answer(process, stdout, j))

    def _send(self, stdin: IO[bytes], sent: deque[int]) -> int | None:
        """Jobs from ``pending`` written to ``stdin`` and added to ``sent``, until
        :data:`IN_FLIGHT` are unanswered or none is left; the job whose line could not be
        written (the process stopped reading), if there is one."""
        while len(sent) < IN_FLIGHT and self.pending:
            try:
                j = self.pending.popleft()
            except IndexError:  # another thread took the last one
                return None
            sent.append(j)
            try:
                stdin.write(self.line(j))
                stdin.flush()
            except BrokenPipeError:  # its answers to the jobs before may be there
                return j
        return None

    def stop(self, w: int, error: BaseException) -> None:
        """Notes that worker ``w`` failed (-1: the calling thread) and kills every process."""
        with self.lock:
            self.failures.append((w, error))
        for process in self.processes:
            process.kill()

    def outcome(self, codes: Sequence[int]) -> list[_T]:
        """The results in the jobs' order, or the first failure raised: an :class:`ExportError`
        for a process that stopped early or exited with an error code (``codes``, in the
        workers' order); any other error (the parser's) as it is."""
        if self.failures:
            w, first = self.failures[0]
            if not isinstance(first, _Stopped):
                raise first
            raise _failed(
                self.folder, w, f"{first.reason} before the result of job {first.job + 1}"
            )
        for w, code in enumerate(codes):
            if code != 0:
                raise _failed(self.folder, w, f"it exited with code {code}")
        return [self.results[j] for j in range(len(self.jobs))]


def _answer(process: subprocess.Popen[bytes], stdout: IO[bytes], j: int) -> Mapping[str, Any]:
    """The next line ``process`` printed, read as JSON: its answer to job ``j``."""
    output = stdout.readline()
    if not output.endswith(b"\n"):
        raise _Stopped(j, _ended(process, "it closed its output"))
    try:
        document: Mapping[str, Any] = json.loads(output)
    except ValueError:
        raise _Stopped(j, f"it printed no JSON ({output[:60]!r})") from None
    return document


def _ended(process: subprocess.Popen[bytes], otherwise: str) -> str:
    """How a process that closed its output or its input ended: its exit code, if it exits
    soon (it is ending: either pipe is closed for good when it exits); ``otherwise`` what it
    did, if it lives on."""
    try:
        return f"it exited with code {process.wait(timeout=_EXIT_WAIT)}"
    except subprocess.TimeoutExpired:
        return otherwise


def _finish(process: subprocess.Popen[bytes]) -> int:
    """Its exit code, once it has read the end of its input."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):  # it has died already: its code says so
            process.stdin.close()
    code = process.wait()
    if process.stdout is not None:
        process.stdout.close()
    return code


def _failed(folder: Path, w: int, what: str) -> ExportError:
    message = (folder / f"err{w}.txt").read_text("utf-8", "replace").strip()[-800:]
    said = f": {message}" if message else " (it printed no error)"
    return ExportError(f"pandoc failed to render the bibliography, {what}{said}")


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
# the style as pandoc reads it for every job

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def compact(style: bytes) -> bytes:
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
