"""RecordStore: records whose abstracts are kept in a temporary file come back as they went in;
the pipeline's library in a store is the library in a list."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date

import pytest

from citetools import pipeline, plugins
from citetools.errors import ExportError
from citetools.keys import PatternKeyStyle, assign_keys, make_keys, sanitize_key
from citetools.model import Record
from citetools.pipeline import store as store_module
from citetools.pipeline.output import with_keys
from citetools.pipeline.store import RecordStore
from tests.helpers import SEEDS, normalized, seed

AS_OF = date(2026, 11, 24)


@pytest.fixture(autouse=True, params=[5, 4096], ids=["batches-of-5", "one-batch"])
def settled_in_batches(request, monkeypatch):
    """Every test with the store settling its fresh records 5 at a time, and all at once."""
    monkeypatch.setattr(store_module, "_BATCH", request.param)


@pytest.fixture(scope="module")
def seed_records() -> list[Record]:
    return normalized([str(SEEDS)], as_of=AS_OF).records


def test_records_come_back_whole_and_in_order(seed_records):
    store = RecordStore(hold=0)
    for record in seed_records:
        store.append(record)
    assert len(store) == len(seed_records) == 203
    assert list(store) == seed_records
    assert [store[i] for i in range(len(seed_records))] == seed_records
    # What it holds in memory has no abstract; the file has them all.
    kept = list(store.without_abstracts())
    assert not any(r.abstract for r in kept)
    assert sum(bool(r.abstract) for r in seed_records) > 150


def test_only_abstracts_past_what_it_may_hold_go_to_the_file(seed_records):
    first = sum(len(r.abstract or "") for r in seed_records[:20])
    store = RecordStore(hold=first)
    for record in seed_records:
        store.append(record)
    kept = list(store.without_abstracts())
    assert kept[:20] == seed_records[:20]
    assert not any(r.abstract for r in kept[21:])
    assert list(store) == seed_records


def test_replaced_and_emptied_positions(seed_records):
    """As deduplication uses it: a record replaced by a merged one (its abstract then written
    again, further on in the file), another position emptied."""
    store = RecordStore(hold=0)
    for record in seed_records[:10]:
        store.append(record)
    longer = replace(seed_records[3], abstract="Replaced. " + "x " * 600)
    store[3] = longer
    store[5] = None
    store[7] = None
    store[7] = seed_records[0]
    expected = list(seed_records[:10])
    expected[3], expected[7] = longer, seed_records[0]
    del expected[5]
    assert len(store) == 9
    assert store[5] is None and store[3] == longer
    assert list(store) == expected


def test_text_of_every_kind_and_size_comes_back(seed_records):
    """Non-ASCII text, a lone surrogate (JSON can hold one), and abstracts that cross the
    1 MiB chunks the file is written and read in."""
    base = seed_records[0]
    texts = ["é – 𝔘 ∑ 中文", "lone \ud800 surrogate", "a" * (3 << 20), "b" * 700_000, ""]
    texts += ["c" * n for n in range(1, 3000, 7)]
    records = [Record(title=f"t{i}", abstract=text) for i, text in enumerate(texts)]
    records.append(base)
    store = RecordStore(hold=0)
    for record in records:
        store.append(record)
    assert list(store) == records
    assert store[2] == records[2] and store[0] == records[0] and store[3] == records[3]


def test_keys_are_given_as_records_are_taken_out(seed_records):
    style = plugins.keystyle("default")
    store = RecordStore(hold=0)
    for record in seed_records:
        store.append(record)
    store[4] = None
    left = seed_records[:4] + seed_records[5:]
    with pytest.raises(ValueError, match="203 keys for 202 records"):
        store.give_keys(["k"] * 203)
    store.give_keys(make_keys(store, style))
    assert list(store) == assign_keys(left, style)


def test_keys_need_the_abstracts_of_records_whose_title_has_no_word(seed_records):
    """A pattern style makes a key from the abstract only when the title has no word: the
    store gives those records whole, the others without their abstracts, and the keys are
    the keys of the whole records."""
    wordless = [replace(r, title=t) for r, t in zip(seed_records, [None, "", "?!"], strict=False)]
    records = wordless + seed_records[3:]
    store = RecordStore(hold=0)
    for record in records:
        store.append(record)
    style = plugins.keystyle("default")
    view = list(store.without_abstracts(but=style.reads_abstract))
    assert [r.abstract for r in view[:3]] == [r.abstract for r in records[:3]]
    assert all(r.abstract for r in records[:3])
    whole = [style.reads_abstract(r) for r in records[3:]]
    assert [bool(r.abstract) for r in view[3:]] == [
        w and bool(r.abstract) for w, r in zip(whole, records[3:], strict=True)
    ]
    assert whole.count(False) > 150
    assert make_keys(view, style) == make_keys(records, style)
    assert make_keys(store.without_abstracts(), style)[:3] != make_keys(records, style)[:3]


class _AbstractKeys(PatternKeyStyle):
    """A style of its own: its keys come from every record's abstract."""

    def base_key(self, record: Record) -> str:
        return sanitize_key(record.abstract or "")[:24] or "none"


def test_a_style_with_a_base_key_of_its_own_gets_every_record_whole(tmp_path, seed_records):
    style = _AbstractKeys()
    store = RecordStore(hold=0)
    for record in seed_records:
        store.append(record)
    output = pipeline.plan(str(tmp_path / "out.bib"), key_style=style)
    keyed = with_keys(store, output, [])
    assert [r.key for r in keyed] == make_keys(seed_records, style, keep_existing=True)
    assert len({r.key for r in keyed}) == len(seed_records)


@pytest.mark.parametrize("batch", [7, 4096])
def test_the_library_in_a_store_is_the_library_in_a_list(
    tmp_path, seed_records, monkeypatch, batch
):
    """The seeds, one of them again, a .bib and a CSL-JSON file of some of them (read whole by
    their readers) and a folder's README (skipped): the same records, the same problems in the
    same order, whether the library goes into a list or a store; in batches of 7 records
    (duplicates across them) or in one."""
    monkeypatch.setattr(pipeline, "BATCH", batch)
    some = assign_keys(seed_records[::3], plugins.keystyle("default"))
    with open(tmp_path / "some.bib", "w", encoding="utf-8") as out:
        plugins.exporter("bibtex").write(some[:30], out)
    with open(tmp_path / "more.json", "w", encoding="utf-8") as out:
        plugins.exporter("csljson").write(some[30:], out)
    (tmp_path / "README").write_text("notes\n", encoding="utf-8")
    inputs = [str(SEEDS), str(seed("000")), str(tmp_path)]
    listed: list = []
    held = pipeline.library(inputs, listed, as_of=AS_OF, into=pipeline.slots())
    stored: list = []
    store = pipeline.library(inputs, stored, as_of=AS_OF, into=RecordStore(hold=0))
    assert list(store) == pipeline.present(held)
    assert len(store) == 203
    assert stored == listed
    messages = [p.message for p in stored]
    assert any(m.startswith("skipped:") for m in messages)
    assert sum("same paper" in m for m in messages) >= 21 + len(some)


def test_a_temporary_folder_it_cannot_write_is_named(tmp_path, monkeypatch, seed_records):
    """No room or no folder for the temporary file: an ExportError naming the folder and what
    to do, not an OSError's traceback."""
    missing = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    store = RecordStore(hold=0)
    with pytest.raises(ExportError, match="set TMPDIR to a folder with room") as caught:
        for record in seed_records:
            store.append(record)
        list(store)
    assert caught.value.source == str(missing)
    assert "No such file or directory" in caught.value.message
