"""The Python API: a curated ``__all__`` locked here, a light ``import citetools``, and read /
normalize / resolve / export, whose failures are always citetools errors."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import logging
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citetools
from citetools import plugins
from tests.arxiv_server import unused_url
from tests.helpers import ROOT, SEEDS, seed

AS_OF = date(2026, 11, 24)

PUBLIC = [
    "BadResponse",
    "CitationKeyError",
    "CitetoolsError",
    "DefaultKeyStyle",
    "ExportError",
    "Exporter",
    "Ids",
    "KeyCollisionError",
    "KeyStyle",
    "NormalizeError",
    "NotFound",
    "PartialDate",
    "PatternKeyStyle",
    "Person",
    "PluginError",
    "PluginLoadError",
    "PluginNotFound",
    "Problem",
    "Provenance",
    "RateLimited",
    "ReadError",
    "ReadResult",
    "Reader",
    "Record",
    "RecordParseError",
    "RefusedOverwrite",
    "Resolution",
    "ResolveError",
    "Resolver",
    "ResolverHTTPError",
    "ServiceUnreachable",
    "Source",
    "assign_keys",
    "export",
    "normalize_records",
    "read",
    "resolve",
]
HEAVY = {"requests", "requests_cache", "bibtexparser", "pybtex", "rapidfuzz", "typer", "yaml"}

# The README's ten-line script (the resolve line needs the network: commented out there too).
README_SCRIPT = """
from datetime import date

import citetools

problems: list[citetools.Problem] = []
records = citetools.read(["seeds/"], as_of=date(2026, 11, 24), on_problem=problems.append)
# records = citetools.resolve(records)                # full author lists, ids: arXiv API
keyed = citetools.export(records, "references.bib")   # keys assigned, written atomically
citetools.export(keyed, "references.json", style=None)  # CSL-JSON, the same keys
print(f"{len(keyed)} entries, {len(problems)} warnings; first: {keyed[0].key}")
"""


def test_all_is_the_curated_list():
    assert citetools.__all__ == PUBLIC
    assert citetools.__version__ == "0.1.0"


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_is_importable(name):
    namespace: dict[str, object] = {}
    exec(f"from citetools import {name}", namespace)
    assert namespace[name] is getattr(citetools, name)
    assert name in dir(citetools)


def test_errors_are_one_tree():
    errors = [getattr(citetools, n) for n in PUBLIC if n.endswith(("Error", "NotFound"))]
    errors += [citetools.RateLimited, citetools.ServiceUnreachable, citetools.BadResponse]
    assert all(issubclass(e, citetools.CitetoolsError) for e in errors)


def test_import_is_light():
    code = "import sys, citetools; print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(ast.literal_eval(done.stdout))
    assert "citetools" in loaded and loaded & HEAVY == set()


def test_the_readme_script_runs(tmp_path, monkeypatch, capsys):
    (tmp_path / "seeds").symlink_to(SEEDS)
    monkeypatch.chdir(tmp_path)
    exec(compile(textwrap.dedent(README_SCRIPT), "README", "exec"), {})
    assert capsys.readouterr().out.startswith("203 entries, ")
    bib = (tmp_path / "references.bib").read_text(encoding="utf-8")
    ids = [item["id"] for item in json.loads((tmp_path / "references.json").read_text())]
    assert bib.startswith("@misc{xing2026lumos,") and ids[0] == "xing2026lumos"
    assert len(ids) == 203


# --- read / normalize ----------------------------------------------------------------------


def test_read_takes_a_path_a_list_or_a_folder():
    one = citetools.read(seed("000"), as_of=AS_OF, on_problem=lambda p: None)
    also = citetools.read([str(seed("000"))], as_of=AS_OF, on_problem=lambda p: None)
    every = citetools.read(SEEDS, as_of=AS_OF, on_problem=lambda p: None)
    assert one == also and len(every) == 203
    assert all(isinstance(r, citetools.Record) for r in every)
    assert one[0].date == citetools.PartialDate(2026, 5, 29)  # "May 29" got its year


def test_raw_read_then_normalize_gives_the_same():
    raw = citetools.read(seed("000"), raw=True, on_problem=lambda p: None)
    assert raw[0].date == citetools.PartialDate(None, 5, 29)
    done = citetools.normalize_records(raw, as_of=AS_OF, on_problem=lambda p: None)
    assert done == citetools.read(seed("000"), as_of=AS_OF, on_problem=lambda p: None)


def test_problems_go_to_on_problem_or_to_the_log(caplog):
    found: list[citetools.Problem] = []
    citetools.read(seed("002"), as_of=AS_OF, on_problem=found.append)
    assert found and all(isinstance(p, citetools.Problem) for p in found)
    assert all(p.source == str(seed("002")) for p in found)
    with caplog.at_level(logging.WARNING, logger="citetools"):
        citetools.read(seed("002"), as_of=AS_OF)
    assert [r.getMessage() for r in caplog.records] == [str(p) for p in found]


BROKEN_BIB = "@misc{a, title = {One}}\n@misc{a, title = {Two}}\n@misc{b, title = {Three}}\n"


def test_strict_raises_at_the_first_entry_that_could_not_be_read(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN_BIB, encoding="utf-8")
    found: list[citetools.Problem] = []
    assert len(citetools.read(path, on_problem=found.append)) == 2
    assert [p.severity for p in found] == ["error"]
    with pytest.raises(citetools.RecordParseError, match="duplicate key 'a'") as caught:
        citetools.read(path, strict=True)
    assert (caught.value.source, caught.value.line) == (str(path), 2)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file or folder"),
        ("empty.txt", b"", "empty input"),
        ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary|UTF-16"),
        ("no-encoding.txt", bytes(range(128, 256)), "not valid UTF-8.*nor in any encoding"),
        ("notes.txt", b"just some notes\n", "not a listing in any known layout"),
        ("broken.json", b"[{", "CSL|not a listing"),
    ],
    ids=["missing", "empty", "binary", "no-encoding", "no-layout", "bad-json"],
)
def test_unusable_inputs_raise_read_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(citetools.ReadError, match=message) as caught:
        citetools.read([seed("000"), path])
    assert caught.value.source == str(path)


GERMAN = "@misc{a, title = {\u00dcber die M\u00fcller-Lyer T\u00e4uschung}, author = {J\u00fcrgen Gro\u00df}}\n"


def test_read_decodes_a_legacy_encoding_with_a_warning_and_encoding_forces_one(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(GERMAN.encode("latin-1"))
    found: list[citetools.Problem] = []
    (record,) = citetools.read(path, on_problem=found.append)
    assert record.title == "\u00dcber die M\u00fcller-Lyer T\u00e4uschung"
    assert record.authors[0].family == "Gro\u00df"
    assert [(p.source, p.line, p.severity) for p in found] == [(str(path), 1, "warning")]
    assert "decoded as cp1252" in found[0].message
    found.clear()
    (forced,) = citetools.read(path, encoding="latin-1", on_problem=found.append, raw=True)
    assert forced.title == record.title and found == []
    with pytest.raises(citetools.ReadError, match="unknown encoding 'klingon'"):
        citetools.read(path, encoding="klingon")


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    suffix=st.sampled_from([".bib", ".json", ".ris", ".jsonl", ".txt", ".yml", ""]),
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from([b"@misc{", b'[{"author": 5}]', b"TY  - \n", b'{"x": 1}\n', b"\xff\xfe"]),
    ),
)
def test_no_lower_layer_exception_escapes_read(tmp_path, suffix, data):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    try:
        records = citetools.read(path, on_problem=lambda p: None)
    except citetools.CitetoolsError:
        return
    assert all(isinstance(r, citetools.Record) for r in records)


# --- export --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records():
    return citetools.read(seed("000"), as_of=AS_OF, on_problem=lambda p: None)[:5]


@pytest.mark.parametrize(
    ("suffix", "start"),
    [(".bib", "@misc{xing2026lumos,"), (".json", "["), (".ris", "TY  - GEN"), (".jsonl", "{")],
)
def test_export_picks_the_format_from_the_suffix_and_writes_atomically(
    tmp_path, records, suffix, start
):
    path = tmp_path / f"refs{suffix}"
    keyed = citetools.export(records, path)
    assert path.read_text(encoding="utf-8").startswith(start)
    assert [r.key for r in keyed][:1] == ["xing2026lumos"]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_export_to_a_stream_or_stdout(records, capsys):
    out = io.StringIO()
    citetools.export(records, out, to="csljson")
    assert json.loads(out.getvalue())[0]["id"] == "xing2026lumos"
    citetools.export(records, "-")
    assert capsys.readouterr().out.startswith("@misc{xing2026lumos,")


def test_export_keys(records):
    out = io.StringIO()
    assert citetools.export(records, out, key_pattern="[auth:upper][year]")[0].key == "XING2026"
    assert citetools.export(records, out, style="jabref")[0].key == "xing2026lumos"
    style = citetools.PatternKeyStyle("[year]")
    assert [r.key for r in citetools.export(records, out, style=style)][:2] == ["2026", "2025"]
    mixed = [records[0].__class__(title="No Key"), *citetools.export(records[1:], out, style=style)]
    kept = citetools.export(mixed, out, style=None)  # keys kept, missing ones made
    assert kept[0].key.startswith("anon") and kept[1:] == mixed[1:]
    with pytest.raises(citetools.CitationKeyError):
        citetools.export(records, out, key_pattern="[auth")


def test_export_options_go_to_the_exporter(records):
    out = io.StringIO()
    citetools.export([records[0].__class__(key="k", ids=citetools.Ids(arxiv="2605.31603"))], out,
                     arxiv_note=True)  # fmt: skip
    assert "note = {arXiv preprint arXiv:2605.31603}" in out.getvalue()
    with pytest.raises(citetools.PluginError, match="takes no option"):
        citetools.export(records, io.StringIO(), to="ris", arxiv_note=True)


def test_export_refuses_unknown_formats_with_the_known_ones(tmp_path, records):
    with pytest.raises(citetools.PluginNotFound, match=r"no exporter writes '\.docx'.*\.bib"):
        citetools.export(records, tmp_path / "refs.docx")
    with pytest.raises(citetools.PluginNotFound, match=r"unknown exporter 'bib'; known: .*bibtex"):
        citetools.export(records, tmp_path / "refs.bib", to="bib")
    assert list(tmp_path.iterdir()) == []


class Exploding:
    name = "exploding"
    description = "writes one record, then fails"
    suffixes = (".boom",)

    def write(self, records, out):
        out.write("half")
        raise RuntimeError("disk on fire")


def test_no_lower_layer_exception_escapes_export(tmp_path, records):
    with pytest.raises(citetools.ExportError, match="could not write") as caught:
        citetools.export(records, tmp_path / "no" / "such" / "folder" / "refs.bib")
    assert caught.value.source.endswith("refs.bib")
    with pytest.raises(citetools.ExportError):
        citetools.export(records, tmp_path)  # a folder, not a file (its suffix is empty)
    closed = io.StringIO()
    closed.close()
    with pytest.raises(citetools.ExportError, match="I/O operation on closed file"):
        citetools.export(records, closed)
    target = tmp_path / "refs.boom"
    target.write_text("the old contents\n", encoding="utf-8")
    plugins.register("exporter", "exploding", Exploding)
    try:
        with pytest.raises(citetools.ExportError, match="'exploding' failed: RuntimeError"):
            citetools.export(records, target)
    finally:
        plugins.unregister("exporter", "exploding")
    assert target.read_text(encoding="utf-8") == "the old contents\n"  # atomic
    assert [p.name for p in tmp_path.iterdir()] == ["refs.boom"]


# --- resolve ---------------------------------------------------------------------------------


def test_resolve_through_the_arxiv_api(arxiv_server, records, tmp_path):
    found: list[citetools.Problem] = []
    unknown = citetools.Record(
        title="A Paper That arXiv Has Never Seen", authors=records[0].authors
    )
    done = citetools.resolve(
        [*records, unknown],
        arxiv_url=arxiv_server.url,
        cache=tmp_path / "cache.sqlite",
        delay=0,
        on_problem=found.append,
    )
    assert done[0].ids.arxiv == "2605.31603" and not done[0].authors_truncated
    assert done[-1] == unknown
    assert [p.message.split(":")[0] for p in found] == ["not-found"]
    requests = len(arxiv_server.log)
    again = citetools.resolve(
        [*records, unknown], arxiv_url=arxiv_server.url, cache=tmp_path / "cache.sqlite", delay=0,
        on_problem=lambda p: None,
    )  # fmt: skip

    # The same records, but for the time each field was filled (sources: "arxiv <UTC time>",
    # the second of each run: the two runs may fall in different seconds).
    def timeless(found):
        return [dataclasses.replace(r, sources={k: v.split()[0] for k, v in r.sources.items()})
                for r in found]  # fmt: skip

    assert timeless(again) == timeless(done)
    assert all(v.startswith("arxiv 20") for v in again[0].sources.values())
    assert len(arxiv_server.log) == requests  # answered from the cache


def test_resolve_raises_when_the_service_cannot_be_reached(records):
    with pytest.raises(citetools.ServiceUnreachable, match="could not be reached") as caught:
        citetools.resolve(
            records, arxiv_url=unused_url(), cache=False, delay=0, retries=0, on_problem=print
        )
    assert caught.value.url is not None


def test_resolve_takes_any_resolver(records):
    class Echo:
        name = "echo"
        description = "resolves nothing"

        def resolve(self, items):
            return [citetools.Resolution(r, "skipped", "echo") for r in items]

    found: list[citetools.Problem] = []
    assert citetools.resolve(records, resolver=Echo(), on_problem=found.append) == records
    assert len(found) == len(records)


def test_normalize_records_is_not_shadowed_by_the_normalize_package():
    import citetools.normalize.dedup  # every submodule loaded

    assert callable(citetools.normalize_records)
    assert citetools.normalize.__name__ == "citetools.normalize"  # the subpackage


def test_the_example_script_of_the_docstring_names_real_functions():
    for name in ("read", "resolve", "export"):
        assert f"citetools.{name}(" in citetools.__doc__
    assert (ROOT / "README.md").exists()
