"""Every installed reader: attributes, never an exception but ReadError, deterministic."""

from __future__ import annotations

import pytest

from citetools import plugins
from tests.contract.checks import check_line_reader, check_reader, check_reader_deterministic

READERS = plugins.names("reader")


@pytest.mark.parametrize("name", READERS)
def test_reader_never_raises_but_read_error(name, samples):
    check_reader(plugins.load("reader", name), name, samples)


@pytest.mark.parametrize("name", READERS)
def test_reader_is_deterministic(name, samples):
    check_reader_deterministic(plugins.load("reader", name), samples)


@pytest.mark.parametrize("name", READERS)
def test_a_line_reader_reads_lines_as_it_reads_the_text(name, samples):
    check_line_reader(plugins.load("reader", name), samples)
