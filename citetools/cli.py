"""The ``citetools`` command: options in, pipeline calls, messages and exit codes out.

Exit codes: 0 success; 1 a run that finished with errors, or with warnings under ``--strict``;
2 unusable input or a usage error (unknown file, layout, format or option value).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from citetools import pipeline, plugins
from citetools._io import atomic_writer
from citetools.errors import (
    CitationKeyError,
    CitetoolsError,
    PluginError,
    Problem,
    ReadError,
)
from citetools.keys import assign_keys

app = typer.Typer(
    help="Turn paper listings copied from research web sites into clean bibliographies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_INPUT = "seeds"


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail(error: CitetoolsError, code: int) -> typer.Exit:
    kind = "error"
    _say(f"{error}" if error.source else f"citetools: {kind}: {error}")
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
        suffix = Path(output).suffix.lower()
        for name in plugins.names("exporter"):
            if suffix in plugins.load("exporter", name).suffixes:
                return name
    return "bibtex"


@app.command()
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
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 when there are warnings")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings")] = False,
) -> None:
    """Read listings and bibliographies, normalize them and write one bibliography."""
    reference = _parse_date(as_of) if as_of else date.today()
    try:
        fmt = _format_for(output, to)
        exporter = plugins.exporter(fmt)
        style = (
            plugins.keystyle("jabref", key_pattern) if key_pattern else plugins.keystyle(key_style)
        )
        read = pipeline.read(inputs or [DEFAULT_INPUT])
        done = pipeline.normalize(read.records, as_of=reference)
        records = assign_keys(done.records, style)
    except (ReadError, PluginError, CitationKeyError) as error:
        raise _fail(error, 2) from None
    except CitetoolsError as error:
        raise _fail(error, 1) from None
    problems: list[Problem] = read.problems + done.problems
    try:
        if output and output != "-":
            with atomic_writer(output) as handle:
                exporter.write(records, handle)
        else:
            exporter.write(records, sys.stdout)
    except CitetoolsError as error:
        raise _fail(error, 1) from None
    except OSError as error:
        _say(f"{output}: error: {error.strerror or error}")
        raise typer.Exit(1) from None
    if not quiet:
        for problem in problems:
            _say(str(problem))
    warnings = sum(p.severity == "warning" for p in problems)
    errors = len(problems) - warnings
    where = output if output and output != "-" else "standard output"
    _say(
        f"citetools: wrote {len(records)} entries to {where} ({warnings} warnings, {errors} errors)"
    )
    if errors or (strict and warnings):
        raise typer.Exit(1)


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
