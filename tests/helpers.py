"""Paths shared by the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed(prefix: str) -> Path:
    """The seed listing whose name starts with ``prefix`` (``000`` ... ``004``)."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path
