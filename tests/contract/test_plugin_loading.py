"""The plugin mechanism itself (after pybtex's test_plugin_loader): in-process plugins come and
go with register/unregister; a broken installed plugin is reported by name, with the reason, and
never breaks the others; the contract checks catch misbehaving plugins."""

from __future__ import annotations

import json
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from citetools import plugins
from citetools.cli import app
from citetools.errors import PluginLoadError, PluginNotFound
from citetools.model import Record
from citetools.readers import ReadResult
from tests.contract.checks import check_exporter, check_keystyle, check_reader
from tests.helpers import read_raw, seed

runner = CliRunner()


class MockExporter:
    name = "mock"
    description = "one line per record: its key"
    suffixes = (".mock",)

    def write(self, records, out):
        for record in records:
            out.write(f"{record.key}\n")


class MockKeyStyle:
    name = "mockkeys"
    description = "key-<n> by title length"

    def base_key(self, record):
        return f"key-{len(record.title or '')}"


@pytest.fixture
def mock_plugins():
    plugins.register("exporter", "mock", MockExporter)
    plugins.register("keystyle", "mockkeys", MockKeyStyle)
    yield
    plugins.unregister("exporter", "mock")
    plugins.unregister("keystyle", "mockkeys")


def test_registered_plugins_are_found_used_and_listed(mock_plugins, tmp_path):
    assert "mock" in plugins.names("exporter")
    assert isinstance(plugins.exporter("mock"), MockExporter)
    out = tmp_path / "keys.mock"
    result = runner.invoke(
        app, ["export", str(seed("000")), "-o", str(out), "--key-style", "mockkeys"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[0].startswith("key-")  # chosen by the .mock suffix
    listed = json.loads(runner.invoke(app, ["plugins", "--json"]).stdout)
    mine = {(row["kind"], row["name"]): row for row in listed}
    assert mine["exporter", "mock"]["distribution"] == plugins.IN_PROCESS
    assert mine["exporter", "mock"]["broken"] is None
    assert mine["keystyle", "mockkeys"]["description"] == MockKeyStyle.description


def test_unregistered_plugins_are_gone(mock_plugins):
    plugins.unregister("exporter", "mock")
    assert "mock" not in plugins.names("exporter")
    with pytest.raises(PluginNotFound, match=r"unknown exporter 'mock'; known: .*bibtex"):
        plugins.exporter("mock")
    plugins.unregister("exporter", "mock")  # twice is fine


def test_a_registered_plugin_wins_over_an_installed_one_until_unregistered():
    plugins.register("exporter", "bibtex", MockExporter)
    try:
        assert isinstance(plugins.exporter("bibtex"), MockExporter)
    finally:
        plugins.unregister("exporter", "bibtex")
    assert type(plugins.exporter("bibtex")).__name__ == "BibtexExporter"


@pytest.mark.parametrize(
    ("kind", "obj", "reason"),
    [
        ("exporter", MockKeyStyle, "lacks suffixes, write"),
        ("keystyle", MockExporter, "lacks base_key"),
        ("exporter", MockExporter(), "is not a class"),
        ("reader", len, "is not a class"),
        ("frobnicator", MockExporter, "unknown plugin kind 'frobnicator'"),
    ],
    ids=["exporter-lacks-write", "keystyle-lacks-base-key", "instance", "function", "kind"],
)
def test_register_refuses_what_is_not_a_plugin(kind, obj, reason):
    with pytest.raises((PluginLoadError, PluginNotFound), match=reason):
        plugins.register(kind, "bad", obj)
    assert "bad" not in plugins.names(kind if kind in plugins.GROUPS else "reader")


# --- broken installed plugins: a tiny distribution put on sys.path -------------------------

BROKEN_MODULE = """
class BadNameType:
    name = 42
    description = "an exporter whose name is not a string"
    suffixes = (".x",)

    def write(self, records, out):
        pass


class NoDotSuffix:
    name = "no-dot-suffix"
    description = "suffixes without the dot"
    suffixes = ("bib",)

    def write(self, records, out):
        pass


class NoBaseKey:
    name = "no-base-key"
    description = "a key style without base_key"


def make_exporter():
    return BadNameType()
"""
ENTRY_POINTS = """
[citetools.readers]
missing-module = citetools_no_such_module:Reader

[citetools.exporters]
not-a-class = citetools_broken_plugins:make_exporter
bad-name-type = citetools_broken_plugins:BadNameType
no-dot-suffix = citetools_broken_plugins:NoDotSuffix
missing-attribute = citetools_broken_plugins:NoSuchClass

[citetools.keystyles]
no-base-key = citetools_broken_plugins:NoBaseKey

[citetools.resolvers]
raises-on-import = citetools_raising_plugin:Resolver
"""
BROKEN = {
    ("reader", "missing-module"): "ModuleNotFoundError",
    ("exporter", "not-a-class"): "is not a class but function",
    ("exporter", "bad-name-type"): "name is int, not str",
    ("exporter", "no-dot-suffix"): "suffixes must be a tuple of '.ext' strings",
    ("exporter", "missing-attribute"): "AttributeError",
    ("keystyle", "no-base-key"): "lacks base_key",
    ("resolver", "raises-on-import"): "ZeroDivisionError",
}


@pytest.fixture
def broken_distribution(tmp_path, monkeypatch):
    """``citetools-broken-plugins 1.0``, installed the way pip would: a module and a dist-info
    folder with entry points, in a folder on sys.path."""
    site = tmp_path / "site"
    info = site / "citetools_broken_plugins-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: citetools-broken-plugins\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS))
    (site / "citetools_broken_plugins.py").write_text(BROKEN_MODULE)
    (site / "citetools_raising_plugin.py").write_text("1 / 0\n")
    monkeypatch.syspath_prepend(str(site))
    yield
    for module in ("citetools_broken_plugins", "citetools_raising_plugin"):
        sys.modules.pop(module, None)


def test_broken_plugins_show_as_broken_in_plugins_json(broken_distribution):
    result = runner.invoke(app, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {(row["kind"], row["name"]): row for row in json.loads(result.stdout)}
    for (kind, name), reason in BROKEN.items():
        row = rows[kind, name]
        assert row["broken"] and reason in row["broken"], row
        assert f"{kind} plugin {name!r}" in row["broken"]  # reported by name
        assert (row["distribution"], row["version"]) == ("citetools-broken-plugins", "1.0")
    healthy = [row for key, row in rows.items() if key not in BROKEN]
    assert healthy and all(row["broken"] is None for row in healthy)
    assert rows["exporter", "bibtex"]["distribution"] == "citetools"


def test_broken_plugins_show_as_broken_in_the_plugin_list(broken_distribution):
    result = runner.invoke(app, ["plugins", "--kind", "exporter"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[1]: line for line in result.stdout.splitlines()}
    assert "BROKEN:" in lines["not-a-class"] and "BROKEN:" not in lines["bibtex"]


def test_broken_plugins_do_not_break_the_others(broken_distribution, tmp_path):
    for kind, name in BROKEN:
        assert name not in plugins.names(kind)
        with pytest.raises(PluginLoadError, match=BROKEN[kind, name]):
            plugins.load(kind, name)
    out = tmp_path / "refs.bib"
    result = runner.invoke(
        app, ["export", str(seed("003")), "-o", str(out), "--as-of", "2026-11-24"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("@misc{")
    refused = runner.invoke(app, ["export", str(seed("003")), "--to", "not-a-class"])
    assert refused.exit_code == 2
    assert "exporter plugin 'not-a-class'" in refused.stderr


class FailsToStart:
    name = "fails-to-start"
    description = "a reader whose constructor raises"
    suffixes = (".fail",)

    def __init__(self):
        raise RuntimeError("no licence key")

    def read(self, source):
        return ReadResult()


def test_a_plugin_that_fails_to_start_is_a_plugin_load_error():
    plugins.register("reader", "fails-to-start", FailsToStart)
    try:
        with pytest.raises(PluginLoadError, match="could not be created: RuntimeError: no lic"):
            plugins.reader("fails-to-start")
        assert "fails-to-start" not in [r.name for r in plugins.readers()]
        assert {"bibtex", "listing"} <= {r.name for r in plugins.readers()}
    finally:
        plugins.unregister("reader", "fails-to-start")


# --- the contract checks catch misbehaving plugins -----------------------------------------


class RaisingReader:
    name = "raising"
    description = "raises KeyError on a NUL character"
    suffixes = (".r",)

    def read(self, source):
        if "\x00" in source.text():
            raise KeyError("boom")
        return ReadResult()


class ForgetfulExporter(MockExporter):
    name = "forgetful"
    calls = 0

    def write(self, records, out):
        type(self).calls += 1
        out.write(f"run {self.calls}\n")


class SpaceyKeys(MockKeyStyle):
    name = "spacey"

    def base_key(self, record):
        return "key with spaces"


def test_the_contract_catches_misbehaving_plugins(seed_records):
    with pytest.raises(KeyError):
        check_reader(RaisingReader, "raising")
    with pytest.raises(AssertionError, match="same instance twice"):
        check_exporter(ForgetfulExporter, "forgetful", seed_records[:3])
    with pytest.raises(AssertionError):
        check_keystyle(SpaceyKeys, "spacey", seed_records[:3])
    with pytest.raises(AssertionError, match="entry point"):
        check_keystyle(MockKeyStyle, "not-its-name", seed_records[:3])


class LinesOnly:
    """A reader that takes its input as lines, never as one text."""

    name = "linesonly"
    description = "one untitled record per non-blank line"
    suffixes = (".lines",)

    def read(self, source):
        source.text = None  # (asking for the whole text would now fail)
        records = [Record(title=line) for line in source.lines() if line.strip()]
        return ReadResult(records=records)


def test_a_reader_may_take_a_file_as_its_decoded_lines(tmp_path):
    plugins.register("reader", "linesonly", LinesOnly)
    try:
        path = tmp_path / "papers.lines"
        path.write_bytes(b"First paper\r\n\r\nSecond paper \xe2\x80\x94 with a dash\n")
        records = read_raw([str(path)]).records
    finally:
        plugins.unregister("reader", "linesonly")
    assert [r.title for r in records] == ["First paper", "Second paper \u2014 with a dash"]
