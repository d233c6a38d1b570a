"""citetools inside bibtexparser 2: the middlewares, used the way bibtexparser users use them,
``bibtexparser.parse_file(path, append_middleware=[...])``; the resolver one against the local
arXiv-like server."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import bibtexparser
import pybtex.database
import pytest
from bibtexparser.model import MiddlewareErrorBlock

from citetools.exporters import to_string
from citetools.exporters.bibtex import BibtexExporter
from citetools.integrations import bibtexparser_middlewares as middlewares
from citetools.integrations.bibtexparser_middlewares import (
    KeyMiddleware,
    NormalizeMiddleware,
    ResolveMiddleware,
)
from citetools.keys import DefaultKeyStyle, PatternKeyStyle, assign_keys
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader
from citetools.resolvers.arxiv.client import ArxivClient
from citetools.resolvers.arxiv.resolver import ArxivResolver
from tests.helpers import normalized, normalized_records, seed

AS_OF = date(2026, 11, 24)

TRICKY = r"""
@Article{x1,
  Title = {Training GPUs with ViT and BOOT for 3D},
  Author = {M{\"u}ller, Hans and van der Berg, Jan and others},
  year = 2024,
  month = may,
  journal = {J. of R&D},
  url = {https://example.org/a_b%20c},
  note = {Kept as written: 100% and $x$},
}

@misc{x2,
  title = "Łukasz and Zoë: {A} study",
  author = {{Inferix Team}},
  year = {2025},
}
"""


def parse(text: str, *stack):
    return bibtexparser.parse_string(text, append_middleware=list(stack))


def citetools_bibtex(text: str) -> str:
    """What citetools writes for the entries of a .bib file written anew (as for a listing's:
    a .bib's own are written back as the file has them): its reader, the normalizer, its
    exporter."""
    read = read_string(BibtexReader(), text, "x.bib")
    anew = [replace(record, origin=None) for record in read.records]
    return to_string(BibtexExporter(), normalized_records(anew, as_of=AS_OF).records)


def fields(entry) -> dict[str, str]:
    return {f.key: f.value for f in entry.fields}


@pytest.fixture
def tricky_bib(tmp_path):
    path = tmp_path / "tricky.bib"
    path.write_text(TRICKY, encoding="utf-8")
    return path


def test_normalize_middleware_writes_what_citetools_writes(tricky_bib):
    library = bibtexparser.parse_file(
        str(tricky_bib), append_middleware=[NormalizeMiddleware(as_of=AS_OF)]
    )
    assert library.failed_blocks == []
    first, second = library.entries
    assert fields(first)["title"] == "Training {GPUs} with {ViT} and {BOOT} for {3D}"
    assert fields(first)["author"] == r"M{\"u}ller, Hans and van der Berg, Jan and others"
    assert fields(first)["journal"] == r"J. of R{\&}D"
    assert fields(first)["url"] == "https://example.org/a_b%20c"  # verbatim
    assert fields(second)["author"] == "{Inferix Team}"  # never split
    written = bibtexparser.write_string(library)
    ours = citetools_bibtex(TRICKY)
    assert _normalized_entries(written) == _normalized_entries(ours)
    assert "month = may," in written  # a macro, not a braced string


def _normalized_entries(bib: str) -> list[str]:
    """Entries with their layout folded (bibtexparser indents with a tab, citetools with two
    spaces; bibtexparser separates entries by two blank lines)."""
    text = re.sub(r"^[ \t]+", "  ", bib, flags=re.MULTILINE)
    return [e.strip() for e in re.split(r"\n\s*\n", text) if e.strip()]


def test_normalizing_twice_changes_nothing(tricky_bib):
    once = bibtexparser.write_string(parse(TRICKY, NormalizeMiddleware(as_of=AS_OF)))
    twice = bibtexparser.write_string(parse(once, NormalizeMiddleware(as_of=AS_OF)))
    assert once == twice


def test_normalized_output_parses_everywhere(tricky_bib, tmp_path):
    out = tmp_path / "clean.bib"
    bibtexparser.write_file(
        str(out), parse(TRICKY, NormalizeMiddleware(as_of=AS_OF), KeyMiddleware())
    )
    assert read_string(BibtexReader(), out.read_text(encoding="utf-8"), "clean.bib").problems == []
    assert len(pybtex.database.parse_file(str(out)).entries) == 2


def test_key_middleware_gives_citetools_keys(tmp_path):
    records = normalized([str(seed("003"))], as_of=AS_OF).records
    keyed = assign_keys(records, DefaultKeyStyle())
    scrambled = re.sub(r"^@misc\{[^,]+,", lambda m: "@misc{k" + str(m.start()) + ",",
                       to_string(BibtexExporter(), keyed), flags=re.MULTILINE)  # fmt: skip
    path = tmp_path / "scrambled.bib"
    path.write_text(scrambled, encoding="utf-8")
    library = bibtexparser.parse_file(str(path), append_middleware=[KeyMiddleware()])
    assert [e.key for e in library.entries] == [r.key for r in keyed]
    assert library.entries_dict.keys() == {r.key for r in keyed}


def test_key_middleware_takes_a_pattern_or_a_style_and_makes_keys_unique():
    text = TRICKY + TRICKY.replace("@Article{x1", "@article{y1").replace("@misc{x2", "@misc{y2")
    library = parse(text, KeyMiddleware("[auth:upper][year]"))
    keys = ["MULLER2024", "INFERIXTEAM2025", "MULLER2024a", "INFERIXTEAM2025a"]
    assert [e.key for e in library.entries] == keys
    assert library.failed_blocks == []
    styled = parse(text, KeyMiddleware(style=PatternKeyStyle("[year]")))
    assert [e.key for e in styled.entries] == ["2024", "2025", "2024a", "2025a"]


def test_an_entry_citetools_cannot_handle_fails_alone(monkeypatch):
    real = middlewares.entry_to_record

    def picky(entry, source):
        if entry.key == "x2":
            raise ValueError("cannot handle this one")
        return real(entry, source)

    monkeypatch.setattr(middlewares, "entry_to_record", picky)
    for middleware in (NormalizeMiddleware(as_of=AS_OF), KeyMiddleware()):
        library = parse(TRICKY, middleware)
        assert [e.key for e in library.entries] in (["x1"], ["muller2024training"])
        (failed,) = library.failed_blocks
        assert isinstance(failed, MiddlewareErrorBlock)
        assert "cannot handle this one" in str(failed.error)


@pytest.fixture
def truncated_bib(tmp_path):
    """The seed listing 000 as citetools writes it (truncated author lists, no arXiv ids), with
    a hand-written note on the first entry and an entry arXiv does not have."""
    records = normalized([str(seed("000"))], as_of=AS_OF).records
    text = to_string(BibtexExporter(), assign_keys(records[:6], DefaultKeyStyle()))
    text = text.replace("@misc{xing2026lumos,\n", "@misc{xing2026lumos,\n  note = {Read this},\n")
    text += "\n@misc{nowhere,\n  title = {A Paper That arXiv Has Never Seen},\n  year = {2026}\n}\n"
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def _check_resolved(library):
    entries = {e.key: e for e in library.entries}
    first = fields(entries["xing2026lumos"])
    assert first["eprint"] == "2605.31603"
    assert first["archivePrefix"] == "arXiv"
    assert first["author"].count(" and ") == 5 and "others" not in first["author"]
    assert first["note"] == "Read this"  # hand-written: kept
    assert first["title"].startswith("Lumos-Nexus")
    assert entries["xing2026lumos"].parser_metadata["citetools_resolve"][0] == "resolved"
    assert entries["nowhere"].parser_metadata["citetools_resolve"][0] == "not-found"
    assert "eprint" not in fields(entries["nowhere"])


def test_resolve_middleware_enriches_through_the_arxiv_api(arxiv_server, truncated_bib):
    middleware = ResolveMiddleware(arxiv_url=arxiv_server.url, cache=False, delay=0)
    library = bibtexparser.parse_file(str(truncated_bib), append_middleware=[middleware])
    _check_resolved(library)
    assert [r.status for r in middleware.resolutions].count("resolved") == 6
    assert 1 <= len(arxiv_server.log) <= 3  # batched, never one request per entry
    assert "citetools" in (arxiv_server.log[0].user_agent or "")


def test_resolve_middleware_takes_a_resolver_or_a_url(arxiv_server, truncated_bib, tmp_path):
    client = ArxivClient(arxiv_server.url, delay=0, cache_path=tmp_path / "cache.sqlite")
    with client:
        library = bibtexparser.parse_file(
            str(truncated_bib), append_middleware=[ResolveMiddleware(ArxivResolver(client))]
        )
    _check_resolved(library)
    positional = ResolveMiddleware(arxiv_server.url, cache=False, delay=0)
    _check_resolved(bibtexparser.parse_file(str(truncated_bib), append_middleware=[positional]))


def test_resolve_then_normalize_then_key(arxiv_server, truncated_bib):
    library = bibtexparser.parse_file(
        str(truncated_bib),
        append_middleware=[
            ResolveMiddleware(arxiv_url=arxiv_server.url, cache=False, delay=0),
            NormalizeMiddleware(as_of=AS_OF),
            KeyMiddleware(),
        ],
    )
    assert library.failed_blocks == []
    keys = [e.key for e in library.entries]
    assert keys[0] == "xing2026lumos" and keys[-1] == "anon2026paper"
    assert fields(library.entries[0])["date"] == "2026-05-29"
