"""The model's own helpers: :func:`citetools.model.evolve` is dataclasses.replace, faster."""

from __future__ import annotations

import dataclasses

import pytest

from citetools.model import Ids, Origin, PartialDate, Person, Provenance, Record, evolve

FULL = Record(
    entry_type="article",
    title="Lumos-Nexus",
    authors=(Person("Jiazheng", "Xing"),),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    venue="CVPR",
    abstract="We study.",
    categories=("cs.CV",),
    ids=Ids(arxiv="2605.31603"),
    has_code=True,
    orgs=("NVIDIA",),
    affiliation="Zhejiang University",
    journal_ref="CVPR 2026",
    comment="10 pages",
    extra={"note": "hand-written"},
    key="xing2026lumos",
    provenance=(Provenance("a.txt", 3, "feed"),),
    sources={"date": "as-of"},
    origin=Origin("@misc{xing2026lumos}", (), Record()),
)
CHANGES = {
    "entry_type": "misc",
    "title": None,
    "authors": (),
    "authors_truncated": False,
    "date": None,
    "venue": None,
    "abstract": None,
    "categories": ("cs.LG", "cs.CV"),
    "ids": Ids(doi="10.1/x"),
    "has_code": False,
    "orgs": (),
    "affiliation": None,
    "journal_ref": None,
    "comment": None,
    "extra": {},
    "key": "other",
    "provenance": (),
    "sources": {},
    "origin": None,
}


def test_every_field_of_the_record_is_covered_here():
    assert set(CHANGES) == {f.name for f in dataclasses.fields(Record)}
    assert all(getattr(FULL, name) != value for name, value in CHANGES.items())


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_evolve_changes_one_field_like_replace(name):
    changed = evolve(FULL, **{name: CHANGES[name]})
    assert changed == dataclasses.replace(FULL, **{name: CHANGES[name]})
    assert getattr(changed, name) == CHANGES[name]
    assert FULL.title == "Lumos-Nexus" and FULL.key == "xing2026lumos"  # the original stays


def test_evolve_with_no_change_and_with_every_change():
    assert evolve(FULL) == FULL and evolve(FULL) is not FULL
    assert evolve(FULL, **CHANGES) == Record(**CHANGES)


def test_evolve_refuses_an_unknown_field_and_keeps_records_frozen():
    with pytest.raises(TypeError, match="titel"):
        evolve(FULL, titel="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolve(FULL).title = "x"  # type: ignore[misc]


def test_record_has_no_post_init_that_evolve_would_skip():
    assert not hasattr(Record, "__post_init__")
