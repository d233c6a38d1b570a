"""The biblatex exporter judged by the real tools: pdflatex + biblatex + biber
--validate-datamodel, through ``../shared/oracle/check.sh`` (``run_oracle`` of test_oracle.py,
with its rules: skipped with the reason without the oracle, failing instead under
``CITETOOLS_REQUIRE_ORACLE=1``)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from citetools.exporters import to_string
from citetools.exporters.biblatex import BiblatexExporter
from citetools.keys import DefaultKeyStyle, assign_keys
from citetools.model import Ids, PartialDate, Person, Record
from tests.helpers import normalized
from tests.integration.test_oracle import HOSTILE, run_oracle
from tests.unit.test_biblatex_export import seed_records

pytestmark = pytest.mark.oracle


def compile_biblatex(tmp_path, records):
    bib = tmp_path / "references.bib"
    bib.write_text(to_string(BiblatexExporter(), records), encoding="utf-8")
    report = run_oracle(bib, tmp_path)
    bbl = (tmp_path / "oracle-out" / "latex-biber" / "main.bbl").read_text(encoding="utf-8")
    return report, bbl


def assert_clean(report, entries):
    counts = report["biblatex-biber"]["counts"]
    details = report["biblatex-biber"]["details"]
    assert counts["biber_errors"] == counts["biber_warnings"] == 0, details
    assert counts["latex_errors"] == counts["latex_warnings"] == 0, details
    assert counts["missing_glyphs"] == 0, details
    assert counts["entries_in_bbl"] == entries
    parsed = report["bibtexparser"]["counts"]
    assert parsed["entries_parsed"] == entries
    assert parsed["failed_blocks"] == 0


def test_seed_bibliography_compiles_with_biber_and_a_valid_data_model(tmp_path):
    records = seed_records()
    report, _ = compile_biblatex(tmp_path, records)
    assert_clean(report, 203)
    # The allowed exceptions, what the listings do not give (until resolved), which biber
    # reports for any entry that lacks it: the abstracts-only layout gives no title, and it and
    # the daily layout no date (none is invented).
    untitled = {r.key for r in records if not r.title}
    undated = {r.key for r in records if r.date is None}
    assert len(untitled) == 10 and len(undated) == 82
    biber = report["biblatex-biber"]
    missing = re.compile(r"Entry '([^']+)' \(refs\.bib\): Missing mandatory field (.*)$")
    warned: dict[str, set[str]] = {}
    for detail in biber["details"]:
        if m := missing.search(detail):
            warned.setdefault(m.group(2), set()).add(m.group(1))
    assert warned == {"'title'": untitled, "- one of 'date, year' must be defined": undated}
    assert biber["counts"]["biber_datamodel_warnings"] == 92


PREPRINTS = [
    Record(
        title="Łódź-Nexus: Ærø Zoë's σ-Net for ViT & GPUs at 100%",
        authors=(
            Person(given="Łukasz", family="Kaiser"),
            Person(given="Zoë", family="Ødegaard"),
            Person(given="Ludwig", family="Beethoven", particle="van", suffix="Jr."),
            Person(family="Inferix Team", literal=True),
        ),
        authors_truncated=True,
        date=PartialDate(2026, 5, 29),
        abstract="α ≤ β — 5 °C, “quoted”, naïve café, $\\sim$4x faster_ever {really} #1 ~ ^",
        categories=("cs.CV",),
        ids=Ids(arxiv="2605.31603", doi="10.48550/arXiv.2605.31603"),
        has_code=True,
        orgs=("apple-ml",),
        affiliation="Université Paris-Saclay",
        key="kaiser2026lodz",
    ),
    Record(
        title="Old-style identifier",
        authors=(Person(given="Ana", family="Fuente", particle="de la"),),
        date=PartialDate(1999, 1),
        categories=("hep-th",),
        ids=Ids(arxiv="hep-th/9901001", url="https://arxiv.org/abs/hep-th/9901001"),
        key="fuente1999old",
    ),
    Record(
        entry_type="phdthesis",
        title="A Thesis",
        authors=(Person(given="Şahin", family="Ñúñez"),),
        date=PartialDate(2020),
        extra={"school": "Universität Zürich"},
        key="nunez2020thesis",
    ),
]


def test_preprints_and_utf8_letters_compile_without_a_single_warning(tmp_path):
    report, bbl = compile_biblatex(tmp_path, PREPRINTS)
    assert_clean(report, 3)
    assert report["biblatex-biber"]["counts"]["biber_datamodel_warnings"] == 0
    assert "\\entry{kaiser2026lodz}{online}{}" in bbl
    assert "\\field{eprinttype}{arxiv}" in bbl and "\\field{eprintclass}{cs.CV}" in bbl
    assert "given={Łukasz}" in bbl and "{{Łódź-Nexus}: Ærø Zoë's" in bbl
    assert "\\entry{nunez2020thesis}{thesis}{}" in bbl


def test_hostile_listing_text_reaches_latex_as_literal_text(tmp_path):
    listing = tmp_path / "hostile.txt"
    listing.write_text(HOSTILE, encoding="utf-8")
    done = normalized([str(listing)], as_of=date(2026, 11, 24))
    report, bbl = compile_biblatex(tmp_path, assign_keys(done.records, DefaultKeyStyle()))
    assert_clean(report, 2)
    assert r"{\textbackslash}input{\textbraceleft}/etc/passwd{\textbraceright}" in bbl
    assert "\\input{" not in bbl and "\\write18" not in bbl
