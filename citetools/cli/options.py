"""The options of ``citetools export`` and ``citetools keys`` (``--encoding``: of every command
that reads), declared once; and the exporter options they give."""

from __future__ import annotations

from typing import Annotated

import typer

DEFAULT_INPUT = "seeds"

Inputs = Annotated[
    list[str] | None,
    typer.Argument(
        help="Listing files, .bib files, folders of them, or - for standard input "
        f"[default: {DEFAULT_INPUT}/]",
        show_default=False,
    ),
]
OutputPath = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Output file (written atomically); - or none: stdout"),
]
To = Annotated[
    str | None,
    typer.Option("--to", help="Output format (an exporter name); default: from the suffix"),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Reference date YYYY-MM-DD for dates without a year (May 29 -> the latest "
        "year not after it) [default: today]",
        show_default=False,
    ),
]
KeyPattern = Annotated[
    str | None,
    typer.Option(
        "--key-pattern",
        help="Citation key pattern in JabRef syntax, e.g. '[auth:lower][year][shorttitle]'",
    ),
]
KeyStyleName = Annotated[
    str, typer.Option("--key-style", help="Key style plugin (see 'citetools plugins')")
]
Style = Annotated[
    str | None,
    typer.Option(
        "--style",
        help="Reference lists (--to text|markdown|html|latex): a CSL style name (apa, ieee, "
        "chicago-author-date, harvard1, nature, vancouver ...), a .csl file, or "
        "pybtex:plain|unsrt|alpha|unsrtalpha [default: apa]",
        show_default=False,
    ),
]
Sort = Annotated[
    str | None,
    typer.Option(
        "--sort",
        help="Reference lists: none, key, author, year or title (a leading - reverses) "
        "instead of the style's order",
    ),
]
ArxivNote = Annotated[
    bool,
    typer.Option(
        "--arxiv-note",
        help="BibTeX: also write 'arXiv preprint arXiv:<id>' as a note, for styles that "
        "ignore eprint (plain, abbrv, plainnat)",
    ),
]
ProtectedTerms = Annotated[
    str | None,
    typer.Option(
        "--protected-terms",
        metavar="FILE",
        help="More words whose capitals every style keeps, one a line as in a sentence-case "
        "title ('Mean Teacher', 'IBN-Net'), added to citetools' own list (Gaussian, Monte "
        "Carlo ...)",
    ),
]
Resolve = Annotated[
    bool, typer.Option("--resolve", help="Enrich the records through the arXiv API")
]
Merge = Annotated[
    bool,
    typer.Option(
        "--merge",
        help="Keep the output's entries (keys, fields, hand edits); add new papers; fill "
        "only empty fields of papers already there",
    ),
]
Force = Annotated[
    bool, typer.Option("--force", help="Replace the output even if someone edited it")
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Exit with code 1 on warnings or unresolved records"),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Do not print warnings")]
Rekey = Annotated[
    bool,
    typer.Option(
        "--rekey",
        help="Make every key from the key style or pattern, also for entries read from a "
        "bibliography (which otherwise keep their own keys)",
    ),
]
Dedupe = Annotated[
    bool,
    typer.Option(
        "--dedupe",
        help="Merge entries of bibliographies that are the same paper under different keys "
        "(otherwise reported and kept); the key merged away is kept in the entry's ids field",
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Read every input in this encoding (utf-8, cp1252, latin-1 ...) [default: UTF-8 "
        "or as a byte-order mark says; any other encoding is detected, with a warning]",
        show_default=False,
    ),
]


def exporter_options(
    arxiv_note: bool, style: str | None, sort: str | None, protected_terms: str | None
) -> dict[str, object]:
    """The exporter options given on the command line (those left at their default omitted)."""
    given = {
        "arxiv_note": True if arxiv_note else None,
        "style": style,
        "sort": sort,
        "protected_terms": protected_terms,
    }
    return {name: value for name, value in given.items() if value is not None}
