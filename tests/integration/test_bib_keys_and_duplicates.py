"""A .bib's entries keep their keys, and different works are never merged (issue 15, points 1
and 4): one hand-made case per rule, through the command line."""

from __future__ import annotations

import re
from datetime import date

from typer.testing import CliRunner

import citetools
from citetools.cli import app

TWO_CALENDARS = """\
@article{cal2019,
  title = {Calendar},
  author = {Anon Ymous},
  journal = {TUGboat},
  year = {2019},
  volume = {40},
  pages = {1--2}
}

@article{cal2020,
  title = {Calendar},
  author = {Anon Ymous},
  journal = {TUGboat},
  year = {2020},
  volume = {41},
  pages = {3--4}
}
"""

TWICE_UNDER_TWO_KEYS = """\
@article{doe2020same,
  title = {The Same Paper},
  author = {Jane Doe},
  journal = {Journal},
  year = {2020},
  doi = {10.1000/xyz}
}

@article{DoeSame,
  title = {The Same Paper},
  author = {Jane Doe},
  journal = {Journal},
  year = {2020},
  doi = {10.1000/xyz}
}
"""


def export(*args: str):
    return CliRunner().invoke(app, ["export", *args])


def keys_in(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r"^@(?!comment)\w+\{([^,]+),", text, re.MULTILINE)


def test_a_bib_keeps_its_keys(tmp_path):
    source = tmp_path / "in.bib"
    source.write_text(TWO_CALENDARS, encoding="utf-8")
    out = tmp_path / "out.bib"
    done = export(str(source), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert keys_in(out) == ["cal2019", "cal2020"]


def test_a_key_pattern_makes_new_keys_only_rekey_remakes_a_bibs(tmp_path):
    """--key-pattern makes the keys of entries that have none; --rekey remakes a .bib's keys
    too, except where the output already holds the paper under a key."""
    source = tmp_path / "in.bib"
    source.write_text(TWO_CALENDARS, encoding="utf-8")
    out = tmp_path / "out.bib"
    assert export(str(source), "-o", str(out), "--key-pattern", "[auth][year]").exit_code == 0
    assert keys_in(out) == ["cal2019", "cal2020"]
    fresh = tmp_path / "fresh.bib"
    assert export(str(source), "-o", str(fresh), "--rekey").exit_code == 0
    assert keys_in(fresh) == ["ymous2019calendar", "ymous2020calendar"]
    # Onto the output written before, its keys hold: the output is the key lock.
    assert export(str(source), "-o", str(out), "--rekey").exit_code == 0
    assert keys_in(out) == ["cal2019", "cal2020"]


def test_different_works_alike_by_title_are_never_merged(tmp_path):
    """TUGboat's yearly "Calendar": the same title and author, another year, volume, pages."""
    source = tmp_path / "in.bib"
    source.write_text(TWO_CALENDARS, encoding="utf-8")
    out = tmp_path / "out.bib"
    done = export(str(source), "-o", str(out))
    assert done.exit_code == 0
    assert "same paper" not in done.stderr and "likely" not in done.stderr
    assert len(keys_in(out)) == 2


def test_listing_entries_of_different_years_are_not_one_paper(tmp_path):
    records = [
        citetools.Record(title="Calendar", date=citetools.PartialDate(2019)),
        citetools.Record(title="Calendar", date=citetools.PartialDate(2020)),
        citetools.Record(title="Calendar", date=citetools.PartialDate(2020)),
    ]
    found: list[citetools.Problem] = []
    done = citetools.normalize_records(records, as_of=date(2026, 1, 1), on_problem=found.append)
    assert [r.date.year for r in done] == [2019, 2020]
    assert [p.message.split(":")[0] for p in found] == ["same paper as <unknown>"]


def test_two_entries_of_one_bib_under_two_keys_are_reported_not_merged(tmp_path):
    source = tmp_path / "in.bib"
    source.write_text(TWICE_UNDER_TWO_KEYS, encoding="utf-8")
    out = tmp_path / "out.bib"
    done = export(str(source), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert keys_in(out) == ["doe2020same", "DoeSame"]
    assert (
        f"{source}:9: warning: likely the same paper as {source}:1 (doe2020same): kept apart "
        "(--dedupe merges)"
    ) in done.stderr


def test_dedupe_merges_them_and_the_dropped_key_survives_in_ids(tmp_path):
    source = tmp_path / "in.bib"
    source.write_text(TWICE_UNDER_TWO_KEYS, encoding="utf-8")
    out = tmp_path / "out.bib"
    done = export(str(source), "-o", str(out), "--dedupe")
    assert done.exit_code == 0, done.stderr
    assert keys_in(out) == ["doe2020same"]
    assert "ids = {DoeSame}" in out.read_text(encoding="utf-8")
    assert "its key DoeSame is kept in ids" in done.stderr


def test_one_key_for_two_papers_stays_with_the_first_and_the_other_is_named(tmp_path):
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text("@misc{smith2020,\n  title = {One Paper},\n  year = {2020}\n}\n", "utf-8")
    second.write_text("@misc{smith2020,\n  title = {Another Paper},\n  year = {2021}\n}\n", "utf-8")
    out = tmp_path / "out.bib"
    done = export(str(first), str(second), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert keys_in(out) == ["smith2020", "smith2020a"]
    assert (
        f"{second}:1: warning: key smith2020 is already an earlier entry's: written as smith2020a"
        in done.stderr
    )


def test_a_preprint_and_its_published_version_are_linked_not_folded(tmp_path):
    records = [
        citetools.Record(
            title="Attention Is All You Need",
            authors=(citetools.Person("Ashish", "Vaswani"),),
            date=citetools.PartialDate(2017),
            ids=citetools.Ids(arxiv="1706.03762"),
        ),
        citetools.Record(
            title="Attention Is All You Need",
            authors=(citetools.Person("Ashish", "Vaswani"),),
            date=citetools.PartialDate(2017),
            venue="Advances in Neural Information Processing Systems",
        ),
    ]
    found: list[citetools.Problem] = []
    done = citetools.normalize_records(records, as_of=date(2026, 1, 1), on_problem=found.append)
    assert len(done) == 2
    assert [p.message for p in found] == [
        "likely a preprint and its published version (<unknown>): kept apart"
    ]


def test_the_same_entry_in_two_files_is_one_entry(tmp_path):
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    for path in (first, second):
        path.write_text(TWICE_UNDER_TWO_KEYS.split("\n\n")[0] + "\n", encoding="utf-8")
    out = tmp_path / "out.bib"
    done = export(str(first), str(second), "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert keys_in(out) == ["doe2020same"]
    assert f"{second}:1: warning: same paper as {first}:1: merged into one entry" in done.stderr
