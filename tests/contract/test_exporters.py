"""Every installed exporter: attributes, empty input, the 203 seed records, deterministic."""

from __future__ import annotations

import pytest

from citetools import plugins
from tests.contract.checks import check_exporter

EXPORTERS = plugins.names("exporter")


@pytest.mark.parametrize("name", EXPORTERS)
def test_exporter_contract(name, seed_records):
    check_exporter(plugins.load("exporter", name), name, seed_records)
