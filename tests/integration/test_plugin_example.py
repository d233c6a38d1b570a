"""The third-party plugin distribution of examples/plugin-example, installed with pip (offline,
into a folder put on sys.path: entry points are found there like anywhere else), working
through ``citetools export`` and listed by ``citetools plugins``; its Hayagriva output read by
Typst itself."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import citetools
from citetools import plugins
from citetools.cli import app
from citetools.keys import DefaultKeyStyle, assign_keys
from tests.contract.checks import check_exporter, check_keystyle, check_reader, export_text
from tests.helpers import ROOT, SEEDS, normalized, run_ok, seed

EXAMPLE = ROOT / "examples" / "plugin-example"
DISTRIBUTION = "citetools-example-plugins"
OURS = {("reader", "idlist"), ("exporter", "hayagriva"), ("keystyle", "house")}
IDS = """\
# a reading list: ids, DOIs and URLs, one per line
2605.31603
arXiv:2605.31603v1
https://arxiv.org/pdf/1706.03762v7
https://doi.org/10.1145/3292500.3330701

10.48550/arXiv.2104.12255
hep-th/9901001
https://example.org/papers/one.html
"""
runner = CliRunner()


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """``pip install --target`` of a copy of the example (build files stay out of the tree),
    offline: no index, no dependencies, the setuptools of this environment."""
    source = tmp_path_factory.mktemp("example-src") / "plugin-example"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = tmp_path_factory.mktemp("example-site")
    run_ok(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(source),
        ],
        timeout=300,
    )
    assert list(target.glob("citetools_example_plugins-0.1.0.dist-info/entry_points.txt"))
    return target


@pytest.fixture(scope="module")
def installed(example_site):
    """The example distribution visible to this process for this module's tests only."""
    sys.path.insert(0, str(example_site))
    importlib.invalidate_caches()
    yield example_site
    sys.path.remove(str(example_site))
    for name in [m for m in sys.modules if m.startswith("citetools_example_plugins")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def seed_records():
    done = normalized([str(SEEDS)], as_of=date(2026, 11, 24))
    return assign_keys(done.records, DefaultKeyStyle())


def test_citetools_plugins_lists_the_example_plugins(installed):
    result = runner.invoke(app, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["kind"], r["name"]): r for r in json.loads(result.stdout)}
    for key in OURS:
        assert rows[key]["distribution"] == DISTRIBUTION
        assert rows[key]["version"] == "0.1.0"
        assert rows[key]["broken"] is None and rows[key]["description"]
    text = runner.invoke(app, ["plugins", "--kind", "exporter"]).stdout
    assert re.search(
        r"^exporter +hayagriva +Hayagriva YAML .*citetools-example-plugins 0\.1\.0", text, re.M
    )


def test_the_example_plugins_pass_the_contract(installed, seed_records):
    samples = [IDS, export_text(plugins.exporter("hayagriva"), seed_records[:5])]
    check_reader(plugins.load("reader", "idlist"), "idlist", samples)
    check_exporter(plugins.load("exporter", "hayagriva"), "hayagriva", seed_records)
    check_keystyle(plugins.load("keystyle", "house"), "house", seed_records)


def test_export_reads_an_id_list_and_writes_hayagriva(installed, tmp_path):
    ids = tmp_path / "reading-list.txt"  # a .txt that is no listing: claimed by sniffing
    ids.write_text(IDS, encoding="utf-8")
    out = tmp_path / "refs.yml"
    result = runner.invoke(app, ["export", str(ids), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(data) == 6  # 2605.31603 twice: one entry
    entries = list(data.values())
    assert entries[0]["serial-number"] == "2605.31603"
    assert entries[0]["url"] == "https://arxiv.org/abs/2605.31603"
    assert entries[2]["doi"] == "10.1145/3292500.3330701"
    assert entries[4]["serial-number"] == "hep-th/9901001"
    assert entries[5] == {"type": "misc", "url": "https://example.org/papers/one.html"}


def test_a_line_that_is_no_identifier_is_an_error_with_its_line(installed, tmp_path):
    ids = tmp_path / "list.ids"
    ids.write_text("2605.31603\nsee the paper by Xing\n", encoding="utf-8")
    result = runner.invoke(app, ["export", str(ids)])
    assert result.exit_code == 1
    assert f"{ids}:2: error: not a DOI, arXiv id or URL" in result.stderr


def test_export_with_the_house_key_style(installed, tmp_path):
    out = tmp_path / "refs.yml"
    args = ["export", str(seed("000")), "-o", str(out), "--key-style", "house"]
    result = runner.invoke(app, [*args, "--as-of", "2026-11-24"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    keys = list(data)
    assert keys[0] == "Xing:2026:LumosNexus"
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+:(\d{4}|nd):[A-Za-z0-9]+[a-z]?", k) for k in keys)
    assert len({k.lower() for k in keys}) == len(keys)
    first = data["Xing:2026:LumosNexus"]
    assert first["author"][:2] == ["Xing, Jiazheng", "Yuan, Hangjie"]
    assert first["date"] == "2026-05-29" and first["type"] == "misc"


def test_an_id_list_resolved_through_arxiv(installed, tmp_path, arxiv_server):
    ids = tmp_path / "list.ids"
    ids.write_text("arXiv:2605.31603v1\n", encoding="utf-8")
    out = tmp_path / "refs.bib"
    result = runner.invoke(
        app,
        [
            "export",
            str(ids),
            "--resolve",
            "--arxiv-url",
            arxiv_server.url,
            "--delay",
            "0",
            "--no-cache",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    bib = out.read_text(encoding="utf-8")
    assert bib.startswith("@misc{xing2026lumos,\n  title = {{Lumos-Nexus}")
    assert "eprint = {2605.31603}" in bib


def test_the_python_api_picks_the_plugins_too(installed, tmp_path, seed_records):
    out = tmp_path / "refs.yaml"
    keyed = citetools.export(seed_records[:3], out, style="house")
    assert [r.key for r in keyed] == list(yaml.safe_load(out.read_text(encoding="utf-8")))


def test_typst_reads_the_hayagriva_output(installed, tmp_path, seed_records):
    typst = pytest.importorskip(
        "typst", reason="Typst checks the Hayagriva output: pip install typst"
    )
    refs = tmp_path / "refs.yml"
    keyed = citetools.export(seed_records, refs, style="house")
    cites = " ".join(f'#cite(label("{r.key}"))' for r in keyed[:40])
    (tmp_path / "doc.typ").write_text(
        f'{cites}\n#bibliography("refs.yml", full: true, style: "ieee")\n', encoding="utf-8"
    )
    html = typst.compile(str(tmp_path / "doc.typ"), format="html").decode("utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x20;", "")
    assert "J. Xing, H. Yuan, and L. Cai, “Lumos-Nexus: Efficient Frequency Bridging" in text
    assert len(re.findall(r"\[\d+\]", text.split("Bibliography")[-1])) == len(keyed)


def test_a_separate_process_sees_the_installed_plugins(installed):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), str(ROOT)])}
    done = run_ok(
        [sys.executable, "-m", "citetools", "plugins", "--kind", "keystyle"],
        timeout=120,
        env=env,
    )
    assert re.search(r"^keystyle +house +Family:Year:TwoTitleWords", done.stdout, re.M)
