"""The last stages: citation keys, then the output, written without losing anyone's work.

:func:`plan` turns the options into an :class:`Output` (the exporter, the key style): every
usage error (an unknown format, suffix, key style or pattern) is raised there, before any input
is read. :func:`export` then

- assigns the keys, once, after resolving: to a new output, from the key style; onto an output
  that exists, papers already there keep their keys (the output is the key lock), and with
  ``merge`` every entry there is kept as it is (:mod:`citetools.update.merge`);
- refuses (:class:`~citetools.errors.RefusedOverwrite`) to replace a .bib someone edited, or
  one citetools never wrote, unless ``merge`` or ``force``;
- writes atomically (a temporary file in the same folder, then a rename), a .bib with the
  generated-file trailer (:mod:`citetools.update.trailer`), or to an open stream; records the
  exporter cannot show (a formatted list: neither title nor author) are left out, each with a
  warning naming it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO, cast

from citetools import plugins
from citetools.errors import (
    CitetoolsError,
    ExportError,
    PluginNotFound,
    Problem,
    ReadError,
    RefusedOverwrite,
)
from citetools.exporters import Exporter, SelectiveExporter
from citetools.files import Source, atomic_writer
from citetools.keys import (
    KeyStyle,
    PatternKeyStyle,
    kept_keys,
    make_keys,
    renamed_keys,
    repoint,
)
from citetools.keys.lock import lock_keys
from citetools.model import Record, evolve
from citetools.normalize.dedup import identities
from citetools.pipeline.inputs import read
from citetools.pipeline.store import RecordStore
from citetools.readers.bibtex import BibtexReader
from citetools.update.merge import merge_into
from citetools.update.trailer import HashingWriter, file_state, retired_keys, trailer

# Formats that carry the generated-file trailer (an @comment): the BibTeX family.
TRAILED = frozenset({"bibtex", "biblatex"})

Target = str | TextIO | None  # a path, "-" or None for standard output, or an open stream
Library = Sequence[Record] | RecordStore


@dataclass(frozen=True, slots=True)
class Output:
    """Where the records go and how: see :func:`plan`."""

    target: Target
    exporter: Exporter
    style: KeyStyle
    rekey: bool = False  # keys from the style for all, not only for records without one
    merge: bool = False
    force: bool = False
    retired: tuple[str, ...] = ()  # keys never to give again: written in a .bib's trailer
    marked: bool = True  # a .bib ends with the generated-file trailer (not one kept by hand)

    @property
    def path(self) -> str | None:
        """The file written, or ``None`` for standard output or a stream."""
        target = self.target
        return target if isinstance(target, str) and target != "-" else None

    @property
    def trailed(self) -> bool:
        return self.exporter.name in TRAILED

    @property
    def keeps_text(self) -> bool:
        """Whether the exporter writes an entry read from a .bib as the file wrote it, with
        only what changed spliced in (:func:`citetools.exporters.bibtex.as_written`)."""
        return bool(getattr(self.exporter, "keeps_text", False))


def format_for(target: Target, to: str | None) -> str:
    """The exporter's name: ``to`` if given, else the one the path's suffix names; BibTeX for a
    stream, standard output or a path without a suffix. An unknown suffix raises
    :class:`PluginNotFound` naming the known ones."""
    if to:
        return to
    if not isinstance(target, str) or target == "-":
        return "bibtex"
    suffix = Path(target).suffix.lower()
    if not suffix:
        return "bibtex"
    if name := plugins.by_suffix("exporter", suffix):
        return name
    known = sorted(
        {s for n in plugins.names("exporter") for s in plugins.load("exporter", n).suffixes}
    )
    raise PluginNotFound(
        f"no exporter writes {suffix!r} files; name a format (--to, or to= in Python) or use "
        f"one of the suffixes {', '.join(known)}",
        source=target,
    )


def plan(
    target: Target,
    *,
    to: str | None = None,
    key_style: KeyStyle | str | None = "default",
    key_pattern: str | None = None,
    rekey: bool = False,
    merge: bool = False,
    force: bool = False,
    options: Mapping[str, object] | None = None,
) -> Output:
    """The output, its exporter (``options`` go to its constructor) and key style: from
    ``key_pattern`` (JabRef syntax) if given, else ``key_style`` (a style or a plugin name;
    ``None``: the default). The style makes the keys of records that have none (a listing's);
    a record read from a bibliography keeps its own key unless ``rekey``. Raises
    :class:`PluginError` or :class:`CitationKeyError` for what cannot be used."""
    exporter = plugins.exporter(format_for(target, to), **dict(options or {}))
    if key_pattern is not None:
        style: KeyStyle = plugins.keystyle("jabref", key_pattern)
    elif isinstance(key_style, str):
        style = plugins.keystyle(key_style)
    else:
        style = key_style or plugins.keystyle("default")
    return Output(target, exporter, style, rekey, merge, force)


def export(records: Library, output: Output, problems: list[Problem]) -> tuple[Library, str | None]:
    """Keys assigned (see :func:`keyed`), then written (see :func:`write`); the keyed records
    and a note for the summary (what ``merge`` did)."""
    keyed_records, note, retired = keyed(records, output, problems)
    write(keyed_records, replace(output, retired=retired), problems)
    return keyed_records, note


def keyed(
    records: Library, output: Output, problems: list[Problem]
) -> tuple[Library, str | None, tuple[str, ...]]:
    """The records with their final keys, a note for the summary (the merge counts), and the
    keys retired from the output (its trailer's, and those of its entries this write drops,
    each named in a warning): a key once given to a paper there is never given to another.
    A key two records of the inputs share is a warning added to ``problems``.

    Raises :class:`RefusedOverwrite` when the output is a .bib someone edited (or one
    citetools never wrote) and neither ``merge`` nor ``force`` is given."""
    path = output.path
    try:
        state = file_state(path) if path else "absent"
    except OSError as exc:
        raise ExportError(f"could not write: {exc.strerror or exc}", source=path) from exc
    keep = not output.rekey
    if state == "absent":
        return with_keys(records, output, problems), None, ()
    assert path is not None
    retired = tuple(retired_keys(path))
    if output.merge:
        old = existing_records(path)
        merged, summary, found = merge_into(old, list(records), output.style, keep_existing=keep)
        problems.extend(found)
        return merged, f"merged into {path}: {summary}", retired
    if output.trailed and state in ("edited", "foreign") and not output.force:
        raise RefusedOverwrite(
            f"{_not_ours(state)}; not replacing it. Use --merge to keep its entries and add the "
            "new ones, or --force to replace it",
            source=path,
        )
    lock = key_view(path) if state == "ours" and output.trailed else existing_records(path)
    locked = lock_keys(list(records), lock, output.style, keep_existing=keep, retired=retired)
    problems.extend(locked.problems)
    if locked.dropped:
        problems.append(_dropped(path, locked.dropped))
    return locked.records, None, (*retired, *locked.dropped)


def _dropped(path: str, keys: Sequence[str]) -> Problem:
    shown = ", ".join(keys[:20]) + (f" and {len(keys) - 20} more" if len(keys) > 20 else "")
    return Problem(
        f"{len(keys)} entries of it are in none of the inputs and are dropped: {shown} (their "
        "keys are retired: never given to another paper here)",
        path,
    )


def with_keys(records: Library, output: Output, problems: list[Problem]) -> Library:
    """Keys from the output's style for records without one (for all, with ``rekey``); a
    :class:`RecordStore` gets them as they are taken out."""
    renamed: dict[str, str] = {}
    if output.rekey:
        keys = make_keys(_keyable(records, output.style), output.style)
        renamed = renamed_keys(records, keys)
    else:
        keys, found = kept_keys(_keyable(records, output.style), output.style)
        problems.extend(found)
    if isinstance(records, RecordStore):
        records.give_keys(keys, renamed)
        return records
    return [
        evolve(repoint(record, renamed), key=key) for record, key in zip(records, keys, strict=True)
    ]


def _keyable(records: Library, style: KeyStyle) -> Iterable[Record]:
    """The records as ``style`` needs them for their keys: a store's without the abstracts it
    keeps on disk, when the style says it reads none of them (reading one back costs a copy).
    A subclass with a ``base_key`` of its own may read any: it gets every record whole."""
    if (
        isinstance(records, RecordStore)
        and isinstance(style, PatternKeyStyle)
        and type(style).base_key is PatternKeyStyle.base_key
    ):
        return records.without_abstracts(but=style.reads_abstract)
    return records


def label(record: Record) -> str:
    """How messages name a record: its title (or abstract, or key), quoted, shortened."""
    text = record.title or record.abstract or record.key or "entry"
    return repr(text if len(text) <= 60 else text[:57] + "...")


def shown(
    records: Iterable[Record], exporter: SelectiveExporter, problems: list[Problem]
) -> Iterator[Record]:
    """The records ``exporter`` can show; a warning naming each one it leaves out, and why."""
    for record in records:
        why = exporter.leaves_out(record)
        if why is None:
            yield record
            continue
        where = record.provenance[0] if record.provenance else None
        problems.append(
            Problem(
                f"left out of the reference list: {record.key} ({label(record)}): {why}",
                where.source if where else None,
                where.line if where else None,
            )
        )


def write(records: Iterable[Record], output: Output, problems: list[Problem]) -> None:
    """Atomically to a file (with the trailer for .bib formats), or to a stream; records the
    exporter leaves out (:class:`~citetools.exporters.SelectiveExporter`) are each a warning in
    ``problems``. An exporter's failure is an :class:`ExportError` naming the output."""
    target, exporter = output.target, output.exporter
    if isinstance(exporter, SelectiveExporter):
        records = shown(records, exporter, problems)
    try:
        if output.path is None:
            stream = sys.stdout if target is None or target == "-" else target
            exporter.write(records, cast(TextIO, stream))
            return
        with atomic_writer(output.path) as handle:
            if not (output.trailed and output.marked):
                exporter.write(records, handle)
                return
            hashing = HashingWriter(handle, raw=handle.buffer)  # (UTF-8, "\n": atomic_writer)
            exporter.write(records, cast(TextIO, hashing))
            handle.write(trailer(hashing.hexdigest(), output.retired))
    except (CitetoolsError, BrokenPipeError):
        raise
    except OSError as exc:
        raise ExportError(f"could not write: {exc.strerror or exc}", source=output.path) from exc
    except Exception as exc:  # a closed stream, or an exporter's own bug: still say which
        raise ExportError(
            f"exporter {exporter.name!r} failed: {type(exc).__name__}: {exc}", source=output.path
        ) from exc


def _not_ours(state: str) -> str:
    """Why an output that exists is not citetools' to replace as it stands."""
    return (
        "was edited since citetools wrote it"
        if state == "edited"
        else ("was not written by citetools")
    )


def check_all_read(output: Output, problems: Sequence[Problem], *, force: bool) -> None:
    """Raises :class:`RefusedOverwrite`, unless ``force``, when some entries of the file to be
    rewritten in place could not be read (``problems`` has errors) and the exporter does not
    keep the file's text (in which they stay as written): rewriting would delete them."""
    unread = sum(p.severity == "error" for p in problems)
    if unread and not force and output.path is not None and not output.keeps_text:
        raise RefusedOverwrite(
            f"{unread} entries of it could not be read (see above); rewriting it would delete "
            "them. Fix them, or use --force to rewrite it without them",
            source=output.path,
        )


def rewrite(
    records: Sequence[Record], output: Output, problems: list[Problem], *, read: Sequence[Record]
) -> list[Record]:
    """``records`` (resolved from ``read``, the file's records as read) written in place of
    what ``output`` holds (``citetools resolve FILE``): their own keys kept, records without one
    given one; no key lock, no refusal. A .bib is written with the generated-file trailer only
    if it had one that holds (a file someone wrote or edited stays theirs); a file whose
    records nothing changed is not written at all."""
    keyed_records = list(with_keys(records, output, problems))
    path = output.path
    if path is not None and list(read) == keyed_records:
        return keyed_records
    retired = tuple(retired_keys(path)) if path else ()
    marked = not output.keeps_text or path is None or file_state(path) == "ours"
    write(keyed_records, replace(output, retired=retired, marked=marked), problems)
    return keyed_records


def key_changes(records: Sequence[Record], path: str) -> list[str]:
    """What writing ``records`` to ``path`` would do to its keys: ``+ key  (new)``,
    ``~ old -> new`` and ``- key  (no longer in the inputs)`` lines."""
    old = existing_records(path)
    old_keys = {identity: r.key for r in old for identity in identities(r)}
    new_keys = {r.key for r in records}
    lines = []
    for record in records:
        before = next((old_keys[i] for i in identities(record) if i in old_keys), None)
        if before is None:
            lines.append(f"+ {record.key}  (new)")
        elif before != record.key:
            lines.append(f"~ {before} -> {record.key}")
    lines.extend(f"- {r.key}  (no longer in the inputs)" for r in old if r.key not in new_keys)
    return lines


def existing_records(path: str) -> list[Record]:
    """The records of an existing output file (its own keys included); none if unreadable."""
    try:
        return list(read([path], []))
    except ReadError:
        return []


# What a paper is known by (see citetools.normalize.dedup): the abstract only without a title.
_IDENTITY_FIELDS = frozenset({"title", "author", "eprint", "doi", "url", "number"})
_OUR_FIELD = re.compile(r"  [A-Za-z]+ = (?:\{.*\}|[a-z]{3}),?\Z")


def key_view(path: str) -> list[Record]:
    """The records of an unchanged .bib of ours (its checksum matches) as far as keys go: each
    key and what its paper is known by. Such a file is laid out by our writer, a field a line,
    so only the lines of the fields that identify a paper are kept, an entry at a time, as the
    file is read (the abstract, most of the bytes, only for an untitled entry): a re-export
    onto its own output reads it several times faster, and never holds all of it. Anything
    unexpected falls back to reading the whole file."""
    lean: list[str] = []
    entry: list[str] = []
    ours = True  # every entry laid out as our writer lays it out

    def keep() -> None:
        nonlocal ours
        fields = _IDENTITY_FIELDS
        if not any(line.startswith("  title = {") for line in entry):
            fields = fields | {"abstract"}
        for line in entry:
            if not line.startswith("  "):
                lean.append(line)
            elif _OUR_FIELD.match(line) is None:
                ours = False  # (an entry kept as a .bib wrote it: any layout)
            elif line[2:].partition(" = ")[0].lower() in fields:
                lean.append(line)
        entry.clear()

    try:
        with open(path, encoding="utf-8", newline="\n") as handle:
            for line in handle:
                if line.startswith("@"):
                    keep()
                entry.append(line.removesuffix("\n"))
    except (OSError, UnicodeDecodeError):
        return existing_records(path)
    keep()
    if not ours:
        return existing_records(path)
    result = BibtexReader().read(Source.from_text("\n".join(lean), path))
    return existing_records(path) if result.problems else result.records


def target_name(output: Output) -> str:
    """How the summary names the output."""
    return output.path or ("standard output" if output.target in (None, "-") else "the stream")
