"""Every installed resolver: its attributes (resolving itself needs a service: see
tests/integration/test_resolve.py, against a local arXiv-like server)."""

from __future__ import annotations

import pytest

from citetools import plugins
from citetools.resolvers import Resolver
from tests.contract.checks import check_resolver

RESOLVERS = plugins.names("resolver")


@pytest.mark.parametrize("name", RESOLVERS)
def test_resolver_contract(name):
    cls = plugins.load("resolver", name)
    check_resolver(cls, name)
    assert isinstance(cls(), Resolver)  # builds without the network
