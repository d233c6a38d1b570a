"""Reference managers import every export: ``../shared/oracle/clients/check_clients.sh`` feeds
the seed export (.bib, biblatex .bib, RIS, CSL-JSON) to the import code of real clients (Zotero's
import translators, JabRef 3.8.2, bibutils, bibtool, bibclean) and compares, entry by entry, what
each one imported with what was exported.

Installed by ``clients/install.sh`` (``.ci/run`` runs it). A missing client skips these tests
with the reason; with ``CITETOOLS_REQUIRE_ORACLE=1`` (set by .ci/run) it fails them instead.
One run of the harness (about 30 s, JabRef's runs the most) serves every test.

What a client cannot take whatever the input is not asked of it (the harness's README lists
such limits): Zotero's CSL JSON importer ignores ``keyword``, bibutils drops ``eprint`` and, in
RIS, splits a corporate name into parts, as JabRef's RIS importer does. The README says which
format to import into which manager for that reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from citetools.cli import app
from tests.arxiv_server import ArxivServer, load_corpus
from tests.helpers import ROOT, SEEDS

pytestmark = pytest.mark.oracle
ENTRIES = 203  # the seed listings
TRUNCATED = 117  # of them with "et al."
BIB_LINES = ("jabref[bib]", "bibutils[bib2xml]", "bibtool[bib]", "bibclean[bib]", "zotero[bib]")
BIBLATEX_LINES = ("jabref[biblatex]", "bibutils[biblatex2xml]", "bibclean[biblatex]")
OTHER_LINES = ("zotero[biblatex]", "jabref[ris]", "bibutils[ris2xml]", "zotero[ris]")
LINES = (*BIB_LINES, *BIBLATEX_LINES, *OTHER_LINES, "zotero[csljson]")
# What the importer drops whatever the input (harness README, "Known client-side limitations").
CLIENT_LIMITS = {"zotero[csljson]": {"keywords"}}  # Zotero's CSL JSON.js ignores ``keyword``

# Not yet true on this branch: other points of issue 16 (strict: each fails once it is fixed,
# to be taken out of here then).
JABREF_RIS = pytest.mark.xfail(
    strict=True,
    reason="JabRef 3.8.2 imports the whole RIS file since the stray '}' of an \\href leftover is "
    "dropped (point 5), but its RIS importer loses fields of its own: the truncation note "
    "(N1 'et al.') lands in the abstract, a corporate name is split, dates",
)
ZOTERO_BIB_TEXT = pytest.mark.xfail(
    strict=True,
    reason="issue 16 points 1 and 8: 11 abstracts. Zotero's BibTeX importer reads a math symbol "
    "only from its table ({$\\sigma$}, as written now: α, Δ, σ arrive right, but the harness "
    "decodes our $...$ verbatim and counts them lost) and has none for ∼ or ⊤; it reads none "
    "of {\\textbackslash}, {\\textbraceleft}, {\\textasciitilde} (not even from its own "
    "export), which 7 abstracts hold: listing LaTeX kept as written (\\cite{..}, \\mathcal, ~)",
)


def _clients() -> Path:
    """The clients harness, everything it runs installed; else skip (fail when required)."""
    oracle = Path(os.environ.get("CITETOOLS_ORACLE", ROOT.parent / "shared" / "oracle"))
    clients = oracle / "clients"
    zotero = clients / "zotero" / "node_modules" / ".installed-from-lock"
    checks = [
        (f"{clients}/check_clients.sh", (clients / "check_clients.sh").exists()),
        (f"{oracle}/.venv (run install.sh)", (oracle / ".venv" / "bin" / "python").exists()),
        (f"{zotero} (run clients/install.sh)", zotero.exists()),
        *((tool, shutil.which(tool) is not None) for tool in ("jabref", "bib2xml", "node")),
        *((tool, shutil.which(tool) is not None) for tool in ("bibtool", "bibclean")),
    ]
    missing = [what for what, ok in checks if not ok]
    if missing:
        reason = "client oracle not installed: missing " + ", ".join(missing)
        if os.environ.get("CITETOOLS_REQUIRE_ORACLE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return clients


def check_clients(tmp: Path, *options: str, biblatex: bool = True) -> dict[str, Any]:
    """``check_clients.sh`` on the seed export (with ``options``) in every format: the report
    of each client."""
    clients = _clients()
    files = {"bib": "refs.bib", "ris": "refs.ris", "csl": "refs.json", "biblatex": "blx.bib"}
    for kind, name in files.items():
        to = ["--to", "biblatex"] if kind == "biblatex" else []
        args = ["export", str(SEEDS), *to, *options, "-o", str(tmp / name), "--as-of", "2026-11-24"]
        result = CliRunner().invoke(app, [*args, "-q"])
        assert result.exit_code == 0, result.output
    paths = [str(tmp / files[kind]) for kind in ("bib", "ris", "csl")]
    blx = ["--biblatex", str(tmp / files["biblatex"])] if biblatex else []
    done = subprocess.run(
        ["bash", str(clients / "check_clients.sh"), *paths, *blx, "--out", str(tmp / "out")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    found = json.loads((tmp / "out" / "report.json").read_text(encoding="utf-8"))["clients"]
    lines = LINES if biblatex else [n for n in LINES if "biblatex" not in n]
    assert set(found) == set(lines), done.stdout
    skipped = {name: e["status"] for name, e in found.items() if "imported" not in e}
    skipped = {n: s for n, s in skipped.items() if s.startswith("skipped")}
    if skipped:
        reason = f"clients skipped: {skipped}"
        if os.environ.get("CITETOOLS_REQUIRE_ORACLE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return dict(found)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clients")


@pytest.fixture(scope="module")
def report(report_dir: Path) -> dict[str, Any]:
    """The seed listings as exported: no arXiv ids (listings give none)."""
    return check_clients(report_dir)


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seed listings resolved through the arXiv API served on 127.0.0.1: 195 arXiv ids."""
    tmp = tmp_path_factory.mktemp("resolved")
    with ArxivServer.start(corpus=load_corpus()) as server:
        cache = ["--cache", str(tmp / "cache.sqlite"), "--delay", "0"]
        return check_clients(tmp, "--resolve", "--arxiv-url", server.url, *cache, biblatex=False)


def _lines(names: tuple[str, ...], pending: dict[str, pytest.MarkDecorator]) -> list[Any]:
    return [pytest.param(name, marks=pending.get(name, ()), id=name) for name in names]


@pytest.mark.parametrize("line", LINES)
def test_every_client_imports_every_entry_and_nothing_else(report, line):
    """The generated-file trailer included: bibutils' biblatex reader made a record of the
    ``@comment`` it used to be."""
    found = report[line]
    assert (found["imported"], found["rejected"], found.get("extra_records", 0)) == (
        ENTRIES,
        0,
        0,
    ), found.get("status")


NO_LOSS = ("zotero[bib]", "zotero[ris]", "zotero[csljson]", "jabref[bib]", "jabref[ris]")


@pytest.mark.parametrize(
    "line", _lines(NO_LOSS, {"jabref[ris]": JABREF_RIS, "zotero[bib]": ZOTERO_BIB_TEXT})
)
def test_zotero_and_jabref_lose_no_field_the_format_carries(report, line):
    found = report[line]
    assert found["imported"] == ENTRIES, found["status"]  # (none imported: none compared)
    lost = set(found["fields_lost"]) - CLIENT_LIMITS.get(line, set())
    assert not lost, {field: found["examples"][field] for field in lost}


def test_zotero_reads_the_greek_letters_of_the_bib(report, report_dir):
    """Written {$\\sigma$}, in Zotero's table; {\\ensuremath{\\sigma}} arrived as
    ``\\ensuremath\\sigma``. (It has no spelling of ∼ or ⊤: see ZOTERO_BIB_TEXT.)"""
    assert report["zotero[bib]"]["imported"] == ENTRIES
    items = json.loads((report_dir / "out" / "zotero_bib.json").read_text(encoding="utf-8"))
    abstracts = " ".join(item.get("abstractNote", "") for item in items["apiItems"])
    assert "ensuremath" not in abstracts
    for text in ("propose σReparam,", "PixArt-α on", "target ΔW,"):
        assert text in abstracts


@pytest.mark.parametrize("line", ["bibclean[bib]", "bibclean[biblatex]"])
def test_bibclean_takes_the_bib_without_a_message(report, line):
    """It rejected the ``@comment`` trailer (exit 1, its ``??`` error copied into the output)."""
    found = report[line]
    assert (found["exit_code"], found["client_message_count"]) == (0, 0), found["client_messages"]


@pytest.mark.parametrize(
    ("line", "arrived_as"),
    [("zotero[ris]", 'child note "et al."'), ("zotero[csljson]", "text in Extra")]
    + [(line, "and others kept") for line in ("jabref[bib]", "bibtool[bib]", "bibclean[bib]")],
)
def test_a_truncated_author_list_arrives_as_the_client_reads_it(report, line, arrived_as):
    """Never an author named "others" where the format can say it otherwise: RIS and CSL-JSON
    carry it as a note (Zotero keeps it as a child note / in Extra); BibTeX keeps
    ``and others``, which only Zotero's BibTeX importer turns into a person (README)."""
    assert report[line]["others_arrived_as"] == {arrived_as: TRUNCATED}


@pytest.mark.parametrize(
    "line", ["zotero[bib]", "zotero[ris]", "zotero[csljson]", "jabref[bib]", "bibutils[bib2xml]"]
)
def test_corporate_authors_stay_one_name(report, line):
    """``Inferix Team`` (a seed entry) is one name, not given name Inferix, family name Team:
    in every format Zotero reads, and in the .bib JabRef and bibutils read (their RIS readers
    split any one-field name: the README sends them the .bib)."""
    assert "authors" not in report[line]["fields_lost"], report[line]["examples"]["authors"]


RESOLVED = 195  # seed entries the arXiv API knows


@pytest.mark.parametrize("line", [n for n in LINES if "biblatex" not in n])
def test_the_arxiv_id_reaches_every_client_as_the_abstract_page(resolved, line):
    """Zotero's BibTeX importer and bibutils drop ``eprint``: the abstract page (``url``, RIS
    ``UR``, CSL ``URL``) carries the id to every client."""
    found = resolved[line]
    assert found["imported"] == ENTRIES, found["status"]
    assert found["present_in_export"]["url"] >= RESOLVED
    assert "url" not in found["fields_lost"], found["examples"].get("url")


@pytest.mark.parametrize(
    "line", ["zotero[ris]", "zotero[csljson]", "jabref[bib]", "bibutils[bib2xml]"]
)
def test_the_arxiv_doi_reaches_the_clients_that_hold_a_doi(resolved, line):
    """(Zotero's BibTeX importer keeps it as ``DOI:`` in Extra: an @misc is a Zotero document,
    which has no DOI field; bibutils' RIS reader drops ``DO``.)"""
    found = resolved[line]
    assert found["present_in_export"]["doi"] >= RESOLVED
    assert "doi" not in found["fields_lost"], found["examples"].get("doi")
    if line.startswith(("zotero", "jabref")):  # (the harness reads an id from these only)
        assert "eprint" not in found["fields_lost"], found["examples"].get("eprint")
