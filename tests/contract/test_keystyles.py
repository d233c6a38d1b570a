"""Every installed key style: valid, non-empty, deterministic base keys."""

from __future__ import annotations

import pytest

from citetools import plugins
from tests.contract.checks import check_keystyle

KEYSTYLES = plugins.names("keystyle")


@pytest.mark.parametrize("name", KEYSTYLES)
def test_keystyle_contract(name, seed_records):
    check_keystyle(plugins.load("keystyle", name), name, seed_records)
