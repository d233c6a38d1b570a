"""Resolvers enrich records from an outside service.

A resolver is any class with ``name``, ``description`` and
``resolve(records) -> list[Resolution]``: one :class:`Resolution` per input record, in input
order. It batches (never one request per record), and it never loses a record: a failure is
a resolution with status ``failed`` and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from citetools.model import Record

Status = Literal["resolved", "ambiguous", "not-found", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class Resolution:
    record: Record  # the enriched record when resolved, else the input unchanged
    status: Status
    reason: str
    explanation: tuple[str, ...] = ()  # one line per candidate considered, best first

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"


@runtime_checkable
class Resolver(Protocol):
    name: str
    description: str

    def resolve(self, records: Sequence[Record]) -> list[Resolution]: ...
