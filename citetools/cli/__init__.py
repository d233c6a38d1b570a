"""The ``citetools`` command: options in, pipeline calls, messages and exit codes out.

Exit codes: 0 success; 1 a run that finished with errors, or with warnings or unresolved
records under ``--strict``; 2 unusable input or a usage error (unknown file, layout, format or
option value); 3 the arXiv API could not be reached at all.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec

import typer

from citetools import plugins
from citetools._gc import gc_paused
from citetools.cli.resolve_options import (
    ArxivUrl,
    CachePath,
    Delay,
    Explain,
    NoCache,
    Offline,
    Refresh,
    ResolveOptions,
    Retries,
    Timeout,
    open_resolver,
    report,
    unreachable,
)
from citetools.errors import (
    CitationKeyError,
    CitetoolsError,
    ExportError,
    PluginError,
    Problem,
    ReadError,
)

if TYPE_CHECKING:  # the pipeline loads when a command runs: `citetools --help` stays quick
    from citetools.exporters import Exporter
    from citetools.model import Record

app = typer.Typer(
    help="Turn paper listings copied from research web sites into clean bibliographies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich's formatter doubles start-up time
)

DEFAULT_INPUT = "seeds"


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail(error: CitetoolsError, code: int) -> typer.Exit:
    """``source:line: error: message`` (``citetools: error: message`` when no file is to blame)
    and the exit code."""
    if error.source:
        _say(str(Problem(error.message, error.source, error.line, severity="error")))
    else:
        _say(f"citetools: error: {error}")
    return typer.Exit(code)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _format_for(output: str | None, to: str | None) -> str:
    if to:
        return to
    if output and output != "-":
        return plugins.by_suffix("exporter", Path(output).suffix.lower()) or "bibtex"
    return "bibtex"


P = ParamSpec("P")


def _gc_paused(command: Callable[P, None]) -> Callable[P, None]:
    """Run a bulk command with the cyclic garbage collector paused (see :func:`gc_paused`)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with gc_paused():
            command(*args, **kwargs)

    return run


@app.command()
@_gc_paused
def export(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Listing files, .bib files, folders of them, or - for standard input "
            f"[default: {DEFAULT_INPUT}/]",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Output file (written atomically); - or none: stdout"),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Output format (an exporter name); default: from the suffix"),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Reference date YYYY-MM-DD for dates without a year (May 29 -> the latest "
            "year not after it) [default: today]",
            show_default=False,
        ),
    ] = None,
    key_pattern: Annotated[
        str | None,
        typer.Option(
            "--key-pattern",
            help="Citation key pattern in JabRef syntax, e.g. '[auth:lower][year][shorttitle]'",
        ),
    ] = None,
    key_style: Annotated[
        str, typer.Option("--key-style", help="Key style plugin (see 'citetools plugins')")
    ] = "default",
    style_name: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="Reference lists (--to text|markdown|html|latex): a CSL style name (apa, ieee, "
            "chicago-author-date, harvard1, nature, vancouver ...), a .csl file, or "
            "pybtex:plain|unsrt|alpha|unsrtalpha [default: apa]",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="Reference lists: none, key, author, year or title (a leading - reverses) "
            "instead of the style's order",
        ),
    ] = None,
    arxiv_note: Annotated[
        bool,
        typer.Option(
            "--arxiv-note",
            help="BibTeX: also write 'arXiv preprint arXiv:<id>' as a note, for styles that "
            "ignore eprint (plain, abbrv, plainnat)",
        ),
    ] = False,
    resolve: Annotated[
        bool, typer.Option("--resolve", help="Enrich the records through the arXiv API")
    ] = False,
    arxiv_url: ArxivUrl = None,
    delay: Delay = 3.0,
    retries: Retries = 4,
    timeout: Timeout = 60.0,
    cache: CachePath = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    explain: Explain = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Keep the output's entries (keys, fields, hand edits); add new papers; fill "
            "only empty fields of papers already there",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output even if someone edited it")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit with code 1 on warnings or unresolved records"),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings")] = False,
) -> None:
    """Read listings and bibliographies, normalize them and write one bibliography."""
    from citetools import pipeline
    from citetools.keys import checked_base_key
    from citetools.pipeline import output as output_
    from citetools.pipeline.store import RecordStore

    reference = _parse_date(as_of) if as_of else date.today()
    options = ResolveOptions(arxiv_url, delay, retries, timeout, cache, no_cache, refresh, offline)
    try:
        extra: dict[str, object] = {"arxiv_note": True} if arxiv_note else {}
        if style_name is not None:
            extra["style"] = style_name
        if sort is not None:
            extra["sort"] = sort
        fmt = _format_for(output, to)
        exporter = plugins.exporter(fmt, **extra)
        style = (
            plugins.keystyle("jabref", key_pattern) if key_pattern else plugins.keystyle(key_style)
        )
    except (ReadError, PluginError, CitationKeyError, ExportError) as error:
        raise _fail(error, 2) from None  # a usage error: unknown format, style or option
    # The library goes, a record at a time, from the readers through the normalizer into a
    # store that keeps abstracts on disk and notes each base key (issue 7: memory).
    store = RecordStore(base_key=functools.partial(checked_base_key, style))
    records: Sequence[Record] | RecordStore
    try:
        records, problems = pipeline.library(
            inputs or [DEFAULT_INPUT], as_of=reference, store=store
        )
    except (ReadError, PluginError, CitationKeyError) as error:
        raise _fail(error, 2) from None
    except CitetoolsError as error:
        raise _fail(error, 1) from None
    code = 0
    if resolve:
        records, code = _resolve(list(records), options, problems, explain=explain, strict=strict)
    kept = records.without_abstracts() if isinstance(records, RecordStore) else records
    problems.extend(pipeline.dated_by_listing(kept))
    try:
        records, note = output_.keyed_records(
            records, output=output, fmt=fmt, style=style, merge=merge, force=force
        )
    except output_.RefusedOverwrite as error:
        raise _fail(error, 2) from None
    except CitetoolsError as error:
        raise _fail(error, 2) from None
    _write(records, exporter, output, fmt)
    if note:
        _say(f"citetools: {note}")
    _finish(problems, f"wrote {len(records)} entries to {_where(output)}", quiet=quiet)
    warnings = sum(p.severity == "warning" for p in problems)
    if code:
        raise typer.Exit(code)
    if len(problems) > warnings or (strict and warnings):
        raise typer.Exit(1)


@app.command("resolve")
def resolve_file(
    path: Annotated[str, typer.Argument(help="A .bib or CSL-JSON file, enriched in place")],
    arxiv_url: ArxivUrl = None,
    delay: Delay = 3.0,
    retries: Retries = 4,
    timeout: Timeout = 60.0,
    cache: CachePath = None,
    no_cache: NoCache = False,
    refresh: Refresh = False,
    offline: Offline = False,
    explain: Explain = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 when any record is unresolved")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings")] = False,
) -> None:
    """Enrich an existing bibliography through the arXiv API, in place (atomically).

    Keys and every field written by hand are kept; only missing information is added."""
    from citetools import pipeline

    options = ResolveOptions(arxiv_url, delay, retries, timeout, cache, no_cache, refresh, offline)
    try:
        exporter = plugins.exporter(_format_for(path, None))
        read = pipeline.read([path])
        done = pipeline.normalize(read.records, as_of=date.today())
    except (ReadError, PluginError) as error:
        raise _fail(error, 2) from None
    problems: list[Problem] = read.problems + done.problems
    records, code = _resolve(done.records, options, problems, explain=explain, strict=strict)
    records = _keep_keys(records)
    _write(records, exporter, path, _format_for(path, None))
    _finish(problems, f"updated {len(records)} entries in {path}", quiet=quiet)
    if code:
        raise typer.Exit(code)


def _resolve(
    records: list[Record],
    options: ResolveOptions,
    problems: list[Problem],
    *,
    explain: bool,
    strict: bool,
) -> tuple[list[Record], int]:
    """Run the resolver; returns the records and the exit code it calls for (0, 1 or 3)."""
    from citetools import pipeline

    steps = len(records) // 20 + 2
    with open_resolver(options, steps) as resolver:
        outcome, resolutions = pipeline.resolve(records, resolver)
        stats = resolver.client.stats
    found, notes, summary = report(
        resolutions, explain=explain, requests=stats.requests, cache_hits=stats.cache_hits
    )
    problems.extend(found)
    problems.extend(outcome.problems)
    for note in notes:
        _say(note)
    _say(f"citetools: {summary}")
    if unreachable(resolutions, stats.requests, stats.unreachable):
        _say("citetools: error: the arXiv API could not be reached")
        return outcome.records, 3
    unresolved = any(not r.resolved for r in resolutions)
    return outcome.records, 1 if strict and unresolved else 0


def _keep_keys(records: list[Record]) -> list[Record]:
    """Existing keys stay; records without one get a default key that collides with none."""
    from citetools.keys import assign_keys

    taken = [r.key for r in records if r.key]
    fresh = iter(
        assign_keys([r for r in records if not r.key], plugins.keystyle("default"), taken=taken)
    )
    return [r if r.key else next(fresh) for r in records]


def _write(records: Iterable[Record], exporter: Exporter, output: str | None, fmt: str) -> None:
    from citetools.pipeline import output as output_

    try:
        output_.write(records, exporter, output, fmt)
    except CitetoolsError as error:
        raise _fail(error, 1) from None
    except BrokenPipeError:  # the reader of standard output went away (| head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as error:
        _say(f"{output or '<stdout>'}: error: {error.strerror or error}")
        raise typer.Exit(1) from None


def _where(output: str | None) -> str:
    return output if output and output != "-" else "standard output"


def _finish(problems: list[Problem], done: str, *, quiet: bool) -> None:
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
) -> None:
    """Lint a bibliography for CI: exit 1 when anything is found.

    Duplicate keys and papers, keys with illegal characters, 'others' as a person, fields the
    target needs, unescaped LaTeX specials, arXiv ids the target would not print."""
    from citetools import lint as check
    from citetools.files import read_text

    if target not in check.TARGETS or fmt not in ("text", "json"):
        raise typer.BadParameter(
            f"--target is one of {', '.join(check.TARGETS)}; --format text|json"
        )
    try:
        findings = check.check_file(path, read_text(path), target=target)
    except ReadError as error:
        raise _fail(error, 2) from None
    if fmt == "json":
        typer.echo(check.as_json(findings))
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
) -> None:
    """Show the citation keys an export would write (with --diff: what would change)."""
    from citetools import pipeline
    from citetools.normalize.dedup import identities
    from citetools.pipeline import output as output_

    reference = _parse_date(as_of) if as_of else date.today()
    try:
        style = (
            plugins.keystyle("jabref", key_pattern) if key_pattern else plugins.keystyle("default")
        )
        done = pipeline.normalize(pipeline.read(inputs).records, as_of=reference)
        records, _ = output_.keyed_records(
            done.records, output=output, fmt="keys", style=style, merge=False, force=True
        )
    except CitetoolsError as error:
        raise _fail(error, 2) from None
    if not diff:
        for record in records:
            typer.echo(f"{record.key}\t{record.title or record.abstract or ''}"[:120])
        return
    old = output_.existing_records(output) if output else []
    old_keys = {identity: r.key for r in old for identity in identities(r)}
    new_keys = {r.key for r in records}
    for record in records:
        before = next((old_keys[i] for i in identities(record) if i in old_keys), None)
        if before is None:
            typer.echo(f"+ {record.key}  (new)")
        elif before != record.key:
            typer.echo(f"~ {before} -> {record.key}")
    for record in old:
        if record.key not in new_keys:
            typer.echo(f"- {record.key}  (no longer in the inputs)")


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
    app()
