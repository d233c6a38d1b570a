"""Readers and exporters that pair up by name: records -> export -> read -> export is stable."""

from __future__ import annotations

import pytest

from citetools import plugins
from citetools.readers import read_string
from tests.contract.checks import export_text

PAIRS = sorted(set(plugins.names("reader")) & set(plugins.names("exporter")))


def test_the_built_in_formats_pair_up():
    assert {"bibtex", "csljson", "ris", "jsonl"} <= set(PAIRS)


@pytest.mark.parametrize("name", PAIRS)
def test_export_read_export_gives_identical_text(name, seed_records):
    exporter = plugins.exporter(name)
    first = export_text(exporter, seed_records)
    result = read_string(plugins.reader(name), first, f"seeds.{name}")
    assert [p for p in result.problems if p.severity == "error"] == []
    assert len(result.records) == len(seed_records)
    assert [r.key for r in result.records] == [r.key for r in seed_records]
    assert export_text(exporter, result.records) == first
