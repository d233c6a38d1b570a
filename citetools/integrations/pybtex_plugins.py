"""citetools inside pybtex: an input format, an output format and a label style.

Registered through pybtex's own entry-point groups (``pyproject.toml``), so pybtex finds them
with :func:`pybtex.plugin.find_plugin`, in its Python API and in its command-line tools:

``pybtex.database.input`` ``citetools-listing`` (and the suffix ``.txt``): :class:`ListingParser`
    reads the paper listings citetools reads (feed, profile, abstracts, daily layouts) and gives
    pybtex the entries citetools would write to a .bib: normalized, de-duplicated, keyed, with
    LaTeX-escaped, case-protected fields::

        pybtex-convert seeds/003_3ccc255ab273d0b2.txt out.bib
        parse_file("listing.txt", bib_format="citetools-listing", as_of="2026-11-24")

    Options (keyword arguments of ``parse_file``): ``as_of`` (date or ``YYYY-MM-DD``; reference
    date for year-less dates, default today) and ``key_pattern`` (JabRef syntax). Warnings go to
    the ``citetools`` logger and to the parser's ``problems``; an entry that cannot be read goes
    through :func:`pybtex.errors.report_error` (an exception in pybtex's strict mode, a warning
    otherwise); an input that is not a listing at all raises ``PybtexError``.
``pybtex.database.output`` ``citetools-csljson`` (and the suffix ``.json``): :class:`CslJsonWriter`
    writes any pybtex bibliography as citetools' CSL-JSON: ``pybtex-convert refs.bib refs.json``.
``pybtex.style.labels`` ``citetools``: :class:`CitetoolsLabelStyle` labels entries with citetools
    citation keys (``xing2026lumos``), made unique over the whole sorted list the way
    :func:`citetools.keys.assign_keys` does: ``style = find_plugin("pybtex.style.formatting",
    "alpha")(label_style="citetools")``.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any, ClassVar, TextIO

import pybtex.errors
from pybtex.database import BibliographyData, Entry, parse_string
from pybtex.database.input import BaseParser
from pybtex.database.output import BaseWriter
from pybtex.exceptions import PybtexError
from pybtex.style.labels import BaseLabelStyle

from citetools.errors import CitetoolsError, Problem
from citetools.exporters.bibtex import BibtexExporter
from citetools.exporters.csljson import CslJsonExporter
from citetools.files import decode_bytes
from citetools.keys import DefaultKeyStyle, KeyStyle, PatternKeyStyle, assign_keys
from citetools.model import Record
from citetools.normalize import check, default_steps, normalize_record
from citetools.normalize.dedup import deduplicate
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader
from citetools.readers.listing import ListingReader

log = logging.getLogger("citetools")


def _as_date(value: date | str | None) -> date:
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PybtexError(f"as_of {value!r} is not a date in the form YYYY-MM-DD") from None


def to_pybtex(records: Iterable[Record]) -> BibliographyData:
    """Keyed records as pybtex data: the fields citetools writes to a .bib, parsed by pybtex."""
    buffer = io.StringIO()
    BibtexExporter().write(records, buffer)
    return parse_string(buffer.getvalue(), "bibtex")


def bibtex_source(bib_data: BibliographyData) -> str:
    """pybtex data as BibTeX source, field values exactly as pybtex holds them (LaTeX).

    Not pybtex's own BibTeX writer: it encodes values as if they were plain text again, so a
    ``\\%`` it has read comes out as ``\\\\%``.
    """
    entries = []
    for key, entry in bib_data.entries.items():
        fields = list(entry.fields.items())
        fields += [
            (role, " and ".join(str(person) for person in persons))
            for role, persons in entry.persons.items()
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{entry.original_type}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def from_pybtex(bib_data: BibliographyData, *, source: str = "<pybtex>") -> list[Record]:
    """pybtex data as records (keys kept), read the way citetools reads a .bib file."""
    result = read_string(BibtexReader(), bibtex_source(bib_data), source)
    _report(result.problems)
    return result.records


def _report(problems: Iterable[Problem], filename: str | None = None) -> None:
    """Warnings to the log; entries that could not be read through pybtex's error handling."""
    for problem in problems:
        if problem.severity == "error":
            pybtex.errors.report_error(PybtexError(str(problem), filename=filename))
        else:
            log.warning("%s", problem)


class ListingParser(BaseParser):  # type: ignore[misc]
    """pybtex input format ``citetools-listing``: paper listings copied from web pages."""

    default_suffix = ".txt"
    unicode_io = False

    def __init__(
        self,
        encoding: str | None = None,
        wanted_entries: Iterable[str] | None = None,
        min_crossrefs: int = 2,
        *,
        as_of: date | str | None = None,
        key_pattern: str | None = None,
        **kwargs: object,  # pybtex's own parser options (keyless_entries): unused
    ) -> None:
        super().__init__(
            encoding=encoding, wanted_entries=wanted_entries, min_crossrefs=min_crossrefs
        )
        self.explicit_encoding = encoding
        self.as_of = _as_date(as_of)
        try:
            self.key_style: KeyStyle = (
                PatternKeyStyle(key_pattern) if key_pattern else DefaultKeyStyle()
            )
        except CitetoolsError as exc:
            raise PybtexError(str(exc)) from exc
        self.problems: list[Problem] = []

    def _text(self, data: str | bytes) -> str:
        if isinstance(data, str):
            return data.replace("\r\n", "\n").replace("\r", "\n")
        if self.explicit_encoding:
            try:
                return data.decode(self.explicit_encoding).replace("\r\n", "\n")
            except (UnicodeDecodeError, LookupError) as exc:
                raise PybtexError(str(exc), filename=self.filename) from None
        return decode_bytes(data, source=self.filename)

    def parse_stream(self, stream: IO[Any]) -> BibliographyData:
        source = str(self.filename)
        try:
            text = self._text(stream.read())
            result = read_string(ListingReader(), text, source)
        except CitetoolsError as exc:
            raise PybtexError(exc.message, filename=source) from exc
        steps = default_steps(as_of=self.as_of)
        problems = list(result.problems)
        normalized = []
        for record in result.records:
            done = normalize_record(record, steps)
            problems.extend(check(done))
            normalized.append(done)
        records, merged = deduplicate(normalized)
        problems.extend(merged)
        self.problems.extend(problems)
        _report(problems, source)
        taken = list(self.data.entries.keys())  # keys of files parsed before (parse_files)
        keyed = assign_keys(records, self.key_style, taken=taken)
        for key, entry in to_pybtex(keyed).entries.items():
            self.data.add_entry(key, entry)
        return self.data


class CslJsonWriter(BaseWriter):  # type: ignore[misc]
    """pybtex output format ``citetools-csljson``: CSL-JSON as citetools writes it."""

    unicode_io = True

    def __init__(self, encoding: str | None = None) -> None:
        super().__init__(encoding=encoding or "utf-8")

    def write_stream(self, bib_data: BibliographyData, stream: TextIO) -> None:
        CslJsonExporter().write(from_pybtex(bib_data), stream)


class CitetoolsLabelStyle(BaseLabelStyle):  # type: ignore[misc]
    """pybtex label style ``citetools``: citetools citation keys as labels.

    Subclass and set :attr:`key_pattern` (JabRef syntax) for other keys.
    """

    key_pattern: ClassVar[str | None] = None

    def format_labels(self, sorted_entries: Iterable[Any]) -> Iterator[str]:
        entries = list(sorted_entries)
        # Copies under neutral keys: adding an entry to pybtex data overwrites its key, and the
        # labels come from the data, never from the entries' own keys.
        data = BibliographyData(
            entries={
                f"e{i}": Entry(entry.original_type, fields=entry.fields, persons=entry.persons)
                for i, entry in enumerate(entries)
            }
        )
        records = from_pybtex(data)
        style = PatternKeyStyle(self.key_pattern) if self.key_pattern else DefaultKeyStyle()
        for record in assign_keys(records, style):
            yield record.key or ""
