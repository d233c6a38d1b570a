"""The model's own helpers: :func:`citetools.model.evolve` is dataclasses.replace, faster."""

from __future__ import annotations

import dataclasses

import pytest

from citetools.model import Ids, PartialDate, Person, Provenance, Record, evolve

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


@pytest.mark.parametrize("cls", [Person, PartialDate, Ids, Provenance, Record])
def test_direct_init_takes_what_the_dataclass_init_takes(cls):
    """The model's __init__ sets slots directly; its parameters are the dataclass's own."""
    import inspect

    expected = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=(
                f.default
                if f.default is not dataclasses.MISSING
                else dataclasses.MISSING
                if f.default_factory is not dataclasses.MISSING
                else inspect.Parameter.empty
            ),
        )
        for f in dataclasses.fields(cls)
    ]
    assert list(inspect.signature(cls.__init__).parameters.values())[1:] == expected


def test_direct_init_fills_defaults_and_refuses_what_the_dataclass_refuses():
    record = Record()
    assert all(
        getattr(record, f.name)
        == (f.default if f.default is not dataclasses.MISSING else f.default_factory())
        for f in dataclasses.fields(Record)
    )
    assert Record().extra is not Record().extra  # a fresh dict each, as the default factory
    given = {"extra": {"note": "n"}, "sources": {"date": "as-of"}}
    assert Record(**given).extra is given["extra"]
    assert PartialDate(2026, 5) == PartialDate(year=2026, month=5, day=None)
    assert Record("article", "T").title == "T"  # positional, in field order
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        Record(nope=1)
    with pytest.raises(TypeError, match="missing 2 required positional arguments"):
        Provenance("a.txt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.title = "changed"  # type: ignore[misc]
