"""Every installed reader: attributes, never an exception but ReadError, deterministic."""

from __future__ import annotations

import pytest

from citetools import plugins
from tests.contract.checks import check_reader, check_reader_deterministic, check_streaming_reader

READERS = plugins.names("reader")


@pytest.mark.parametrize("name", READERS)
def test_reader_never_raises_but_read_error(name, samples):
    check_reader(plugins.load("reader", name), name, samples)


@pytest.mark.parametrize("name", READERS)
def test_reader_is_deterministic(name, samples):
    check_reader_deterministic(plugins.load("reader", name), samples)


@pytest.mark.parametrize("name", READERS)
def test_a_streaming_reader_streams_what_it_reads(name, samples, tmp_path):
    check_streaming_reader(plugins.load("reader", name), samples, tmp_path)
