"""Fixtures of the contract suite: the 203 seed records, sample texts, and no network at all."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from citetools import plugins
from citetools.keys import DefaultKeyStyle, assign_keys
from tests.contract.checks import export_text
from tests.helpers import SEEDS, normalized

AS_OF = date(2026, 11, 24)


@pytest.fixture(scope="session")
def seed_records():
    """The seed listings, read, normalized and keyed as ``citetools export`` does."""
    done = normalized([str(SEEDS)], as_of=AS_OF)
    records = assign_keys(done.records, DefaultKeyStyle())
    assert len(records) == 203
    return records


@pytest.fixture(scope="session")
def samples(seed_records):
    """Texts in every format: the seed listings and each exporter's output for some seeds."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]
    for name in plugins.names("exporter"):
        texts.append(export_text(plugins.exporter(name), seed_records[:12]))
    return texts


def _refuse(*args, **kwargs):
    raise RuntimeError(f"a plugin tried to use the network: {args!r}")


@pytest.fixture(autouse=True)
def _no_network_at_all(monkeypatch):
    """Readers, exporters and key styles touch no network, not even the loopback interface."""
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
