"""The ``citetools`` command: options in, pipeline calls, messages and exit codes out.

Every command runs the stages of :mod:`citetools.pipeline` (as the Python API does); this
module only parses options, prints problems and summaries, and maps errors to exit codes:
0 success; 1 a run that finished with errors, or with warnings or unresolved records under
``--strict``; 2 unusable input or a usage error (unknown file, layout, format, suffix, key
style or pattern; an output it refuses to replace); 3 the arXiv API could not be reached.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from citetools import plugins
from citetools.cli import options as opt
from citetools.cli.resolving import (
    ArxivUrl,
    CachePath,
    Delay,
    Explain,
    NoCache,
    Offline,
    Refresh,
    Retries,
    Timeout,
    open_resolver,
    report,
    settings,
)
from citetools.errors import (
    CitationKeyError,
    CitetoolsError,
    PluginError,
    Problem,
    ReadError,
    RefusedOverwrite,
    ServiceUnreachable,
)
from citetools.resolvers.arxiv.setup import DEFAULTS, ArxivSettings

if TYPE_CHECKING:  # the pipeline loads when a command runs: `citetools --help` stays quick
    from citetools.model import Record
    from citetools.pipeline import Library

app = typer.Typer(
    help="Turn paper listings copied from research web sites into clean bibliographies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich's formatter doubles start-up time
)


def _say(message: str) -> None:
    typer.echo(message, err=True)


def exit_code(error: CitetoolsError) -> int:
    """2 for what the user named wrongly (input, format, style, an output it will not replace),
    3 for an unreachable service, 1 for anything that went wrong while working."""
    if isinstance(error, ServiceUnreachable):
        return 3
    usage = (ReadError, PluginError, CitationKeyError, RefusedOverwrite)
    return 2 if isinstance(error, usage) else 1


@contextmanager
def _reported(*, usage: bool = False) -> Iterator[None]:
    """A :class:`CitetoolsError` printed as ``source:line: error: message`` (``citetools:
    error: message`` when no file is to blame), then its exit code (2 for any, with ``usage``:
    the options were wrong); a reader of standard output that went away (``| head``) is no
    error."""
    try:
        yield
    except CitetoolsError as error:
        if error.source:
            _say(str(Problem(error.message, error.source, error.line, severity="error")))
        else:
            _say(f"citetools: error: {error}")
        raise typer.Exit(2 if usage else exit_code(error)) from None
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None


def _parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in the form YYYY-MM-DD") from None


@app.command()
def export(
    inputs: opt.Inputs = None,
    output: opt.OutputPath = None,
    to: opt.To = None,
    as_of: opt.AsOf = None,
    key_pattern: opt.KeyPattern = None,
    key_style: opt.KeyStyleName = "default",
    rekey: opt.Rekey = False,
    dedupe: opt.Dedupe = False,
    style_name: opt.Style = None,
    sort: opt.Sort = None,
    arxiv_note: opt.ArxivNote = False,
    protected_terms: opt.ProtectedTerms = None,
    resolve: opt.Resolve = False,
    arxiv_url: ArxivUrl = None,
    delay: Delay = DEFAULTS.delay,
    retries: Retries = DEFAULTS.retries,
    timeout: Timeout = DEFAULTS.timeout,
    cache: CachePath = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    explain: Explain = False,
    merge: opt.Merge = False,
    force: opt.Force = False,
    strict: opt.Strict = False,
    quiet: opt.Quiet = False,
    encoding: opt.Encoding = None,
) -> None:
    """Read listings and bibliographies, normalize them and write one bibliography."""
    from citetools import pipeline

    reference = _parse_date(as_of)
    resolving = settings(arxiv_url, delay, retries, timeout, cache, no_cache, refresh, offline)
    problems: list[Problem] = []
    code = 0
    with _reported(usage=True):
        out = pipeline.plan(
            output,
            key_style=key_style,
            key_pattern=key_pattern,
            rekey=rekey,
            to=to,
            merge=merge,
            force=force,
            options=opt.exporter_options(arxiv_note, style_name, sort, protected_terms),
        )
    with _reported():
        records = _read(inputs or [opt.DEFAULT_INPUT], problems, reference, dedupe, encoding)
        if resolve:
            records, code = _resolve(list(records), resolving, problems, explain, strict, dedupe)
        problems.extend(_undated(records))
        records, note = pipeline.export(records, out, problems)
    if note:
        _say(f"citetools: {note}")
    _finish(problems, f"wrote {len(records)} entries to {pipeline.target_name(out)}", quiet)
    _exit(code, problems, strict=strict)


def _read(
    inputs: list[str], problems: list[Problem], as_of: date, dedupe: bool, encoding: str | None
) -> Library:
    """The export's inputs read, normalized and deduplicated."""
    from citetools import pipeline

    # A big library goes into a store that keeps its abstracts on disk (issue 7: memory).
    return pipeline.library(
        inputs,
        problems,
        as_of=as_of,
        into=pipeline.RecordStore(),
        dedupe=dedupe,
        encoding=encoding,
    )


def _undated(records: Library) -> list[Problem]:
    """A warning for each record without a date (abstracts not read back from the store)."""
    from citetools import pipeline

    held = records.without_abstracts() if isinstance(records, pipeline.RecordStore) else records
    return pipeline.undated(held)


def _exit(code: int, problems: list[Problem], *, strict: bool = False) -> None:
    """Exit with ``code`` if the resolve stage called for one, else with 1 if any problem is an
    error (or, ``strict``, a warning); return for a run without either."""
    if code:
        raise typer.Exit(code)
    if any(p.severity == "error" for p in problems) or (strict and problems):
        raise typer.Exit(1)


@app.command("resolve")
def resolve_file(
    path: Annotated[str, typer.Argument(help="A .bib or CSL-JSON file, enriched in place")],
    arxiv_url: ArxivUrl = None,
    delay: Delay = DEFAULTS.delay,
    retries: Retries = DEFAULTS.retries,
    timeout: Timeout = DEFAULTS.timeout,
    cache: CachePath = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    explain: Explain = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 when any record is unresolved")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rewrite the file even where that loses something: a file written or edited "
            "by hand in a format written anew, entries that cannot be read (a .bib keeps both "
            "as written)",
        ),
    ] = False,
    quiet: opt.Quiet = False,
    encoding: opt.Encoding = None,
) -> None:
    """Enrich an existing bibliography through the arXiv API, in place (atomically).

    Keys and every field written by hand are kept; only missing information is added. In a
    .bib, only the fields resolved change: every other byte stays as it was. A file nothing
    was resolved for is left alone."""
    from citetools import pipeline

    resolving = settings(arxiv_url, delay, retries, timeout, cache, no_cache, refresh, offline)
    problems: list[Problem] = []
    with _reported(usage=True):
        out = pipeline.plan(path, key_style=None)
    with _reported():
        held = pipeline.records_of([path], problems, as_of=date.today(), encoding=encoding)
        if not force and any(p.severity == "error" for p in problems):
            for problem in problems:
                _say(str(problem))
        pipeline.check_all_read(out, problems, force=force)
        records, code = _resolve(held, resolving, problems, explain, strict)
        records = pipeline.rewrite(records, out, problems, read=held)
    _finish(problems, f"updated {len(records)} entries in {path}", quiet)
    _exit(code, problems)


def _resolve(
    records: list[Record],
    resolving: ArxivSettings,
    problems: list[Problem],
    explain: bool,
    strict: bool,
    dedupe: bool = False,
) -> tuple[list[Record], int]:
    """The resolve stage; the records and the exit code it calls for (0, 1 or 3)."""
    from citetools import pipeline

    with open_resolver(resolving, len(records) // 20 + 2) as resolver:
        resolved = pipeline.resolve(records, resolver, problems, dedupe=dedupe)
    notes, summary = report(resolved, explain=explain)
    for note in notes:
        _say(note)
    _say(f"citetools: {summary}")
    if resolved.unreachable:
        _say("citetools: error: the arXiv API could not be reached")
        return resolved.records, 3
    unresolved = any(not r.resolved for r in resolved.resolutions)
    return resolved.records, 1 if strict and unresolved else 0


def _finish(problems: list[Problem], done: str, quiet: bool) -> None:
    if not quiet:
        for problem in problems:
            _say(str(problem))
    warnings = sum(p.severity == "warning" for p in problems)
    errors = len(problems) - warnings
    _say(f"citetools: {done} ({warnings} warnings, {errors} errors)")


@app.command("check")
def check_command(
    path: Annotated[str, typer.Argument(help="A .bib or CSL-JSON file")],
    target: Annotated[
        str, typer.Option("--target", help="What will read it: bibtex, biblatex or csl")
    ] = "bibtex",
    fmt: Annotated[str, typer.Option("--format", help="Output: text or json")] = "text",
    encoding: opt.Encoding = None,
) -> None:
    """Lint a bibliography for CI: exit 1 when anything is found.

    Duplicate keys and papers, keys with illegal characters, 'others' as a person, fields the
    target needs, unescaped LaTeX specials, arXiv ids the target would not print."""
    from citetools import lint, pipeline

    if target not in lint.TARGETS or fmt not in ("text", "json"):
        raise typer.BadParameter(
            f"--target is one of {', '.join(lint.TARGETS)}; --format text|json"
        )
    with _reported():
        findings = pipeline.lint(path, target=target, encoding=encoding)
    if fmt == "json":
        typer.echo(lint.as_json(findings))
    else:
        for finding in findings:
            typer.echo(str(finding))
        _say(f"citetools: {len(findings)} findings in {path}")
    if findings:
        raise typer.Exit(1)


@app.command("keys")
def keys_command(
    inputs: Annotated[list[str], typer.Argument(help="Inputs, as for export")],
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="The bibliography the keys go into")
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Only the changes against the output's keys")
    ] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="As for export")] = None,
    key_pattern: Annotated[str | None, typer.Option("--key-pattern", help="As for export")] = None,
    encoding: opt.Encoding = None,
) -> None:
    """Show the citation keys an export would write (with --diff: what would change)."""
    from citetools import pipeline

    reference = _parse_date(as_of)
    with _reported(usage=True):
        out = pipeline.plan(output, key_pattern=key_pattern, force=True)
    with _reported():
        held = pipeline.records_of(inputs, [], as_of=reference, encoding=encoding)
        keyed, _, _ = pipeline.keyed(held, out, [])
        records = list(keyed)
        changes = pipeline.key_changes(records, output) if diff and output else None
    if changes is not None:
        for line in changes:
            typer.echo(line)
        return
    for record in records:
        if not diff:
            typer.echo(f"{record.key}\t{record.title or record.abstract or ''}"[:120])
        else:
            typer.echo(f"+ {record.key}  (new)")


@app.command("plugins")
def list_plugins(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only this kind: reader, exporter, keystyle ...")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """List every installed plugin with its kind and a one-line description."""
    infos = [i for i in plugins.describe_all() if kind is None or i.kind == kind]
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "kind": i.kind,
                "name": i.name,
                "description": i.description,
                "distribution": i.distribution,
                "version": i.version,
                "broken": i.error,
            }
            for i in infos
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for info in infos:
        text = f"BROKEN: {info.error}" if info.error else info.description
        typer.echo(f"{info.kind:<9} {info.name:<12} {text}  [{info.distribution} {info.version}]")


def main() -> None:
    # A one-shot process: records hold no cycles, and reference counting frees them, so the
    # cyclic collector runs rarely (it would walk a big library's millions of live objects for
    # nothing) -- but it runs: pylatexenc makes a class, a cycle, for each text it parses
    # (disabled, a 100k-entry listing took 916 MB instead of 190).
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    app()
