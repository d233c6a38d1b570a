"""The listing reader on the real seed files and on constructed inputs."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from citetools.errors import ReadError
from citetools.files import FileLines
from citetools.model import PartialDate, Person
from citetools.normalize import clean_line
from citetools.readers import Source, read_string
from citetools.readers._parts import _LONG_LINE, _marker, detect_layout, sketch
from citetools.readers.listing import ListingReader
from tests.helpers import seed

READER = ListingReader()


def read_seed(prefix: str):
    path = seed(prefix)
    return read_string(READER, path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(
    ("prefix", "layout", "count"),
    [
        ("000", "feed", 21),
        ("001", "profile", 50),
        ("002", "abstracts", 10),
        ("003", "feed", 50),
        ("004", "daily", 72),
    ],
    ids=["feed-000", "profile-001", "abstracts-002", "feed-003", "daily-004"],
)
def test_every_seed_entry_comes_out(prefix, layout, count):
    text = seed(prefix).read_text(encoding="utf-8")
    assert detect_layout(text) == layout
    result = read_seed(prefix)
    assert len(result.records) == count
    assert {r.provenance[0].layout for r in result.records} == {layout}
    # Every record has an abstract: none was invented, none lost its text.
    assert all(r.abstract for r in result.records)
    assert len({r.abstract for r in result.records}) == count


def test_feed_first_entry():
    first = read_seed("000").records[0]
    assert first.title == (
        "Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space for "
        "Video Unified Models"
    )
    assert first.authors == (
        Person(given="Jiazheng", family="Xing"),
        Person(given="Hangjie", family="Yuan"),
        Person(given="Lingling", family="Cai"),
    )
    assert first.authors_truncated
    assert first.date == PartialDate(None, 5, 29)  # "CVMay 29": the year is the normalizer's job
    assert first.categories == ("CV",)
    assert not first.has_code
    assert first.abstract is not None and first.abstract.startswith("Connector-based video")
    assert first.provenance[0].line == 1


def test_feed_code_marker_org_tags_and_corporate_author():
    records = read_seed("000").records
    few_step = records[1]
    assert few_step.date == PartialDate(2025, 12, 15)
    assert few_step.has_code
    vit = records[8]
    assert vit.title == (
        "Dynamic Tuning Towards Parameter and Inference Efficiency for ViT Adaptation"
    )
    assert vit.orgs == ("stanford",)
    assert vit.authors[0] == Person(given="Wangbo", family="Zhao")
    inferix = next(r for r in records if r.title and r.title.startswith("Inferix"))
    assert inferix.authors[0] == Person(family="Inferix Team", literal=True)
    assert inferix.provenance[0].line == 46


def test_feed_003_single_author_and_question_mark():
    records = read_seed("003").records
    by_title = {r.title: r for r in records}
    exclusive = by_title["Exclusive Self Attention"]
    assert exclusive.authors == (Person(given="Shuangfei", family="Zhai"),)
    assert not exclusive.authors_truncated
    question = by_title["How Far Are We from Intelligent Visual Deductive Reasoning?"]
    assert question.authors[0] == Person(given="Yizhe", family="Zhang")
    assert question.orgs == ("apple-ml",)
    boot = by_title["BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping"]
    assert boot.orgs == ("meta-ai",)
    assert boot.date == PartialDate(2023, 6, 8)
    stabilizing = records[0]
    assert stabilizing.orgs == ("apple-ml", "meta-ai")


def test_profile_entries_and_paper_count_warning():
    result = read_seed("001")
    first = result.records[0]
    assert first.title == (
        "Adversarial Auto-Augment with Label Preservation: A Representation Learning "
        "Principle Guided Approach"
    )
    assert first.authors[0] == Person(given="Kaiwen", family="Yang")
    assert first.authors_truncated
    assert first.orgs == ("uw",)
    assert first.has_code
    assert first.categories == ("LG",)
    assert first.date == PartialDate(2022, 11, 2)
    assert first.provenance[0].line == 12
    quantum = next(r for r in result.records if r.categories == ("QUANT-PH",))
    assert quantum.title == "Optical Quantum Sensing for Agnostic Environments via Deep Learning"
    assert quantum.date == PartialDate(2023, 11, 13)
    no_year = next(r for r in result.records if r.provenance[0].line == 138)
    assert no_year.date == PartialDate(None, 5, 21)
    messages = [p.message for p in result.problems]
    assert any("claims 54 papers but the listing holds 50" in m for m in messages)
    assert len(result.problems) == 1


def test_abstracts_layout_keeps_incomplete_records_and_warns_per_line():
    result = read_seed("002")
    assert all(r.title is None and not r.authors for r in result.records)
    assert {r.affiliation for r in result.records} == {"JD Explore Academy, JD.com, China"}
    assert result.records[0].abstract is not None
    assert result.records[0].abstract.startswith("This work focuses on developing")
    assert [p.line for p in result.problems] == list(range(2, 12))
    assert all("incomplete" in p.message for p in result.problems)


def test_daily_layout_skips_chrome_and_pairs_titles_with_abstracts():
    records = read_seed("004").records
    assert records[0].title == "Deep Line Art Video Colorization with a Few References"
    assert records[0].abstract is not None
    assert records[0].abstract.startswith("Coloring line art images")
    assert records[0].provenance[0].line == 11
    assert records[-1].title == (
        "Towards Robust and Efficient Cloud-Edge Elastic Model Adaptation via Selective "
        "Entropy Distillation"
    )
    titles = [r.title for r in records]
    assert "Layer Normalization" in titles
    assert "Daily Papers" not in titles and "Subscribe" not in titles
    assert all(not r.authors and r.date is None for r in records)


@pytest.mark.parametrize(
    "text",
    ["", "\n\n  \n", "just some words\nthat are not a listing\n", "@@@\n###"],
    ids=["empty", "blank-lines", "prose", "symbols"],
)
def test_unknown_layout_is_an_error_naming_the_file(text):
    assert detect_layout(text) is None
    with pytest.raises(ReadError) as caught:
        read_string(READER, text, "notes.txt")
    assert str(caught.value).startswith("notes.txt: ")


def test_feed_entry_without_body_is_kept_and_reported():
    text = "CVMay 29\nCVJun 1, 2024\nA Good TitleAda Lovelace\nThe abstract.\n"
    result = read_string(READER, text, "f.txt")
    assert len(result.records) == 2
    assert result.records[0].title is None
    assert result.records[1].title == "A Good Title"
    assert [(p.line, "no title" in p.message) for p in result.problems] == [(1, True)]


def test_feed_entry_without_abstract_and_text_before_first_entry_are_reported():
    text = "stray words\nLGJan 3, 2020\nSome TitleGrace Hopper et al.\n"
    result = read_string(READER, text, "f.txt")
    (record,) = result.records
    assert record.authors == (Person(given="Grace", family="Hopper"),)
    assert record.authors_truncated
    assert record.abstract is None
    lines = sorted(p.line or 0 for p in result.problems)
    assert lines == [1, 2]


def test_multi_letter_hyphenated_category_and_code_marker():
    text = "QUANT-PHNov 13, 2023Code\nQubits at ScaleAlan Turing\nAbstract text.\n"
    (record,) = read_string(READER, text, "q.txt").records
    assert record.categories == ("QUANT-PH",)
    assert record.has_code
    assert record.date == PartialDate(2023, 11, 13)


def test_daily_abstract_without_title_is_kept_with_a_warning():
    text = (
        "Daily Papers\n\nA Title\n\nFirst abstract sentence. Second sentence here.\n\n"
        "Another abstract without a title. It goes on.\n"
    )
    result = read_string(READER, text, "d.txt")
    assert [r.title for r in result.records] == ["A Title", None]
    assert result.records[1].abstract == "Another abstract without a title. It goes on."
    assert [p.line for p in result.problems] == [7]


def test_a_header_category_has_at_most_40_characters():
    """Headers are short: a longer line is never one, whatever it starts with (so an abstract
    needs no header match)."""
    assert _marker("cond-mat.stat-mechDec 29, 2026Code") == "headed"
    assert _marker("A" * 40 + "Dec 29, 2026Code") == "headed"
    assert _marker("A" * 41 + "Dec 29, 2026Code") is None
    assert _marker("AIDec 29, 2026 and then a whole abstract " + "word " * 50) is None


def test_the_listing_reader_reads_a_file_in_two_passes_without_holding_it(tmp_path):
    """A listing given as a file's lines (read again each time they are gone over) gives the
    records of its text; the first pass keeps no line's text, only each line's marker (issue
    7: a big listing is never held whole)."""
    text = "\n".join(seed(p).read_text(encoding="utf-8") for p in ("000", "002", "004"))
    # Lines the second pass must clean again: spaces, a tab, a zero-width space, a no-break one.
    text = text.replace("Abstract:", "  Abstract:\t", 3).replace(" the ", " the\u200b\u00a0", 5)
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    found = sketch(FileLines(str(path)))
    assert [layout for *_, layout in found.parts] == ["feed", "abstracts", "daily"]
    assert len(found.markers) == len(found.dirty) == text.count("\n") + 1
    assert sum(found.dirty) == sum(clean_line(line) != line for line in text.split("\n")) >= 4
    reader = ListingReader()
    source = Source(str(path), name="mixed.txt")
    assert reader.sniff(source)
    result = reader.read(source)
    expected = read_string(ListingReader(), text, "mixed.txt")
    assert result.records == expected.records and result.problems == expected.problems
    assert len(result.records) == 21 + 10 + 72
    assert not any(
        "\u200b" in (r.abstract or "") or "\t" in (r.abstract or "") for r in result.records
    )


def test_cutting_a_listing_needs_no_long_line_in_full():
    """The first pass stands one shared text in for every line over 200 characters: cutting
    into parts and finding layouts never looks further into a long line than its length (a
    profile mark of 300 characters is still one, by its marker)."""
    marks = ["Jane Doe", "cs.LG", "1," * 150 + "1 papers", ""]
    entries = seed("001").read_text(encoding="utf-8").split("\n", 11)[11]  # from its first header
    assert entries.startswith("LGNov 2, 2022Code")
    profile = "\n".join(marks) + "\n" + entries
    assert detect_layout(profile) == "profile"
    assert detect_layout(profile.replace("1,", "")) == "profile"
    assert detect_layout(profile.replace("1 papers", "1 pages")) == "feed"
    long = "Abstract: " + "word " * 100
    text = "\n".join(["Some University", long, long])
    assert detect_layout(text) == "abstracts"
    assert len(_LONG_LINE) == 201 and not _LONG_LINE.strip()


@given(st.text(alphabet="Abstrac:hHindexpo0١٣ ,-.I\u0130\u212a", max_size=16))
@example("Abstract: x")
@example("١٢ papers")
@example("h-index 12")
def test_a_line_is_marked_by_the_patterns_alone(text):
    """_marker's cheap look at the first character before each pattern changes nothing."""
    from citetools.readers import _parts

    text = clean_line(text)
    expected = None
    if text and len(text) <= _parts._HEADER_LONGEST and _parts.HEADER.match(text):
        expected = "headed"
    elif text and len(text) <= _parts._CHROME_LONGEST and text.lower() in _parts.DAILY_CHROME:
        expected = "daily"
    elif text and _parts.ABSTRACT.match(text):
        expected = "abstracts"
    elif text and _parts._PROFILE_MARKS.match(text):
        expected = "profile"
    assert _parts._marker(text) == expected
