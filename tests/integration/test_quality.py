"""Lint and types are part of the suite, so CI enforces them: ruff and mypy --strict clean (the
package, the tests, the examples and bench/)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_ok


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        pytest.fail(f"{name} is not installed: pip install '.[test]'")
    return found


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "citetools", "tests", "examples", "bench"],
        ["ruff", "format", "--check", "citetools", "tests", "examples", "bench"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_code_is_clean(command):
    run_ok(
        [_tool(command[0]), *command[1:]],
        cwd=ROOT,
        timeout=300,
    )
