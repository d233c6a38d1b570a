"""citetools inside bibtexparser 2: middlewares to append to its default parse stack.

bibtexparser has no plugin discovery; import the classes and pass them::

    import bibtexparser
    from citetools.integrations.bibtexparser_middlewares import (
        KeyMiddleware, NormalizeMiddleware, ResolveMiddleware,
    )

    library = bibtexparser.parse_file(
        "refs.bib",
        append_middleware=[
            ResolveMiddleware(arxiv_url="http://export.arxiv.org/api/query"),
            NormalizeMiddleware(),
            KeyMiddleware("[auth:lower][year][veryshorttitle:lower]"),
        ],
    )
    bibtexparser.write_file("clean.bib", library)

They expect field values as the default parse stack leaves them (LaTeX source without the
enclosing braces; a list from ``SeparateCoAuthors`` is joined back), so put them after it and
before middlewares that change the values' types (name splitting, month to int, LaTeX decoding).
They write values in the same form: canonical BibTeX source text, exactly what the citetools
``bibtex`` exporter writes, ready for :func:`bibtexparser.write_string`. An entry citetools
cannot handle becomes a :class:`~bibtexparser.model.MiddlewareErrorBlock` in
``library.failed_blocks``, the others go on.

- :class:`NormalizeMiddleware` (a ``BlockMiddleware``): names split the BibTeX way, ``et al.``
  as ``and others``, only inherent capitals case-protected, LaTeX specials escaped, accents as
  LaTeX, canonical field order; ``url``/``doi``/``eprint`` verbatim. Warnings are kept in each
  entry's ``parser_metadata["citetools_problems"]``.
- :class:`KeyMiddleware` (a ``LibraryMiddleware``: keys must be unique over the library): every
  entry gets a citetools key (default style, a JabRef pattern, or any key style); repeated keys
  get ``a``, ``b``, ... (Entries bibtexparser already rejected as duplicate keys stay in
  ``library.failed_blocks``: no middleware has seen their values.)
- :class:`ResolveMiddleware` (a ``LibraryMiddleware``: the resolver batches): enriches entries
  through a citetools resolver (arXiv by default); only fields the resolver changed are
  rewritten, hand-written ones are kept; what arXiv filled in is decoded from its LaTeX as
  ``citetools --resolve`` decodes it (stray markup dropped is added to the entry's
  ``citetools_problems``). Each entry's ``parser_metadata["citetools_resolve"]`` says
  ``(status, reason)``; :attr:`ResolveMiddleware.resolutions` has them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from datetime import date

from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import BlockMiddleware, LibraryMiddleware
from bibtexparser.model import Block, Entry, Field, MiddlewareErrorBlock

from citetools.exporters.bibtex import FIELD_NAMES, bibtex_fields, ordered_fields
from citetools.keys import DefaultKeyStyle, KeyStyle, PatternKeyStyle, assign_keys
from citetools.model import Record
from citetools.normalize import check, default_steps, normalize_record
from citetools.pipeline import decode_resolution
from citetools.readers.bibtex import entry_to_record
from citetools.resolvers import Resolution, Resolver
from citetools.resolvers.arxiv.setup import DEFAULTS, ArxivSettings, CachePath, arxiv_resolver

SOURCE = "<bibtexparser>"
PROBLEMS_KEY = "citetools_problems"
RESOLVE_KEY = "citetools_resolve"


def _plain(entry: Entry) -> Entry:
    """``entry`` with list values (``SeparateCoAuthors``) joined back into BibTeX text."""
    for field in entry.fields:
        if isinstance(field.value, list | tuple):
            field.value = " and ".join(str(v) for v in field.value)
    return entry


def record_of(entry: Entry) -> Record:
    """The citetools record of a bibtexparser entry (the key is kept)."""
    return entry_to_record(_plain(entry), SOURCE)


def _field(name: str, value: str, start_line: int | None) -> Field:
    spelled = FIELD_NAMES.get(name, name)
    return Field(spelled, value, start_line, "no-enclosing" if name == "month" else None)


def canonical_fields(record: Record, start_line: int | None = None) -> list[Field]:
    """The record's fields as citetools writes them, in citetools' field order."""
    return [_field(n, v, start_line) for n, v in ordered_fields(bibtex_fields(record))]


class NormalizeMiddleware(BlockMiddleware):
    """Normalize every entry the way citetools does (see the module docstring)."""

    def __init__(
        self, *, as_of: date | None = None, allow_inplace_modification: bool = True
    ) -> None:
        super().__init__(
            allow_inplace_modification=allow_inplace_modification, allow_parallel_execution=True
        )
        self.steps = default_steps(as_of=as_of or date.today())

    @classmethod
    def metadata_key(cls) -> str:
        return "citetools_normalize"

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        try:
            record = normalize_record(record_of(entry), self.steps)
            fields = canonical_fields(record, entry.start_line)
        except Exception as exc:  # one entry citetools cannot handle must not stop the rest
            return MiddlewareErrorBlock(entry, exc)
        entry.fields = fields
        entry.parser_metadata[PROBLEMS_KEY] = [p.message for p in check(record)]
        return entry


class KeyMiddleware(LibraryMiddleware):
    """Give every entry a citetools citation key, unique over the library.

    ``pattern`` is a JabRef key pattern (``[auth:lower][year]``); ``style`` any key style
    (e.g. a plugin: ``citetools.plugins.keystyle("default")``); neither: the default style.
    """

    def __init__(
        self,
        pattern: str | None = None,
        *,
        style: KeyStyle | None = None,
        allow_inplace_modification: bool = True,
    ) -> None:
        super().__init__(allow_inplace_modification=allow_inplace_modification)
        if style is None:
            style = PatternKeyStyle(pattern) if pattern else DefaultKeyStyle()
        self.style = style

    @classmethod
    def metadata_key(cls) -> str:
        return "citetools_keys"

    def transform(self, library: Library) -> Library:
        if not self.allow_inplace_modification:
            library = deepcopy(library)
        blocks: list[Block] = []
        keyed: list[tuple[int, Entry, Record]] = []
        for block in library.blocks:
            if isinstance(block, Entry):
                try:
                    keyed.append((len(blocks), block, record_of(block)))
                except Exception as exc:
                    blocks.append(MiddlewareErrorBlock(block, exc))
                    continue
            blocks.append(block)
        records = assign_keys([record for _, _, record in keyed], self.style)
        for (_, entry, _), record in zip(keyed, records, strict=True):
            entry.key = record.key or entry.key
        return Library(blocks=blocks, fail_on_duplicate_key=False)


class ResolveMiddleware(LibraryMiddleware):
    """Enrich entries through a resolver: ``resolver``, or the arXiv API at ``arxiv_url``.

    Without a resolver, an arXiv resolver is made (and closed) for each library, with the
    command line's defaults: ``arxiv_url`` (default ``CITETOOLS_ARXIV_URL`` or the public API),
    ``cache`` (``True``: the user cache folder; ``False``: none; or a file), ``delay``,
    ``retries``, ``timeout``.
    """

    def __init__(
        self,
        resolver: Resolver | str | None = None,
        *,
        arxiv_url: str | None = None,
        cache: CachePath = DEFAULTS.cache,
        delay: float = DEFAULTS.delay,
        retries: int = DEFAULTS.retries,
        timeout: float = DEFAULTS.timeout,
        allow_inplace_modification: bool = True,
    ) -> None:
        super().__init__(allow_inplace_modification=allow_inplace_modification)
        if isinstance(resolver, str):  # ResolveMiddleware("http://...") reads naturally too
            resolver, arxiv_url = None, resolver
        self.resolver = resolver
        self.arxiv_url, self.cache = arxiv_url, cache
        self.delay, self.retries, self.timeout = delay, retries, timeout
        self.resolutions: list[Resolution] = []

    @classmethod
    def metadata_key(cls) -> str:
        return "citetools_resolve"

    def _resolve(self, records: Sequence[Record]) -> list[Resolution]:
        if self.resolver is not None:
            return self.resolver.resolve(records)
        settings = ArxivSettings(self.arxiv_url, self.cache, self.delay, self.retries, self.timeout)
        with arxiv_resolver(settings) as resolver:
            return resolver.resolve(records)

    def transform(self, library: Library) -> Library:
        if not self.allow_inplace_modification:
            library = deepcopy(library)
        pairs: list[tuple[Entry, Record]] = []
        for entry in library.entries:
            try:
                pairs.append((entry, record_of(entry)))
            except Exception as exc:
                entry.parser_metadata[RESOLVE_KEY] = ("failed", f"{type(exc).__name__}: {exc}")
        found = self._resolve([record for _, record in pairs]) if pairs else []
        self.resolutions = []
        for (entry, record), resolution in zip(pairs, found, strict=True):
            decoded, problems = decode_resolution(record, resolution)
            self.resolutions.append(decoded)
            entry.parser_metadata[RESOLVE_KEY] = (decoded.status, decoded.reason)
            if problems:
                entry.parser_metadata[PROBLEMS_KEY] = [
                    *entry.parser_metadata.get(PROBLEMS_KEY, ()),
                    *(p.message for p in problems),
                ]
            if decoded.resolved:
                _update(entry, record, decoded.record)
        return library


def _update(entry: Entry, before: Record, after: Record) -> None:
    """Write the fields whose citetools form the resolver changed; keep every other field."""
    old = bibtex_fields(before)
    by_name = {field.key.lower(): field for field in entry.fields}
    for name, value in ordered_fields(bibtex_fields(after)):
        if old.get(name) == value and name in by_name:
            continue
        if name in by_name:
            field = by_name[name]
            field.value = value
            field.enclosing = "no-enclosing" if name == "month" else None
        else:
            entry.set_field(_field(name, value, entry.start_line))
