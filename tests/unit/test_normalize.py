"""Tests for citetools.normalize: text cleaning, dates, categories, checks and the step stack."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from functools import partial

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from citetools.model import Ids, PartialDate, Person, Provenance, Record
from citetools.normalize import (
    LISTING_LAYOUTS,
    check,
    clean_fields,
    clean_text,
    decode_listing_text,
    default_steps,
    latest_year,
    map_categories,
    markup_problems,
    normalize_default,
    normalize_record,
    resolve_date,
)
from tests.unit.test_properties import any_person, records

AS_OF = date(2026, 11, 24)

# --- clean_text -------------------------------------------------------------------------------

CLEAN = [
    ("Cafe\u0301", "Café"),
    ("Zoe\u0308 Mu\u0308ller", "Zoë Müller"),
    ("zero\u200bwidth", "zerowidth"),
    ("zero\u200cwidth\u200d", "zerowidth"),
    ("word\u2060joiner", "wordjoiner"),
    ("\ufeffbom", "bom"),
    ("soft\u00adhyphen", "softhyphen"),
    ("no\u00a0break", "no break"),
    ("narrow\u202fno-break", "narrow no-break"),
    ("thin\u2009space", "thin space"),
    ("ideographic\u3000space", "ideographic space"),
    ("a \t\n\r b", "a b"),
    ("a\u00a0 \u00a0b", "a b"),
    ("  padded  ", "padded"),
    ("line\u2028separator", "line separator"),
    ("a\x00b", "ab"),
    ("a\x07b", "ab"),
    ("a\x1bb", "ab"),
    ("a\x7fb", "ab"),
    ("a\x80b", "ab"),
    ("a\x9fb", "ab"),
    ("Łukasz Kaiser", "Łukasz Kaiser"),
    ("深度学习", "深度学习"),
    ("", None),
    ("   ", None),
    ("\u200b", None),
    ("\x00\u00ad \u00a0", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), CLEAN, ids=[repr(t) for t, _ in CLEAN])
def test_clean_text(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("page\x0cbreak", "page break"),
        ("vertical\x0btab", "vertical tab"),
        ("next\x85line", "next line"),
    ],
    ids=["FF", "VT", "NEL"],
)
def test_clean_text_folds_control_white_space(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("e\u200b\u0301", "é"), ("Caf\u00ade\u00ad\u0301", "Café"), ("u\x00\u0308ber", "über")],
    ids=["zwsp", "soft-hyphen", "nul"],
)
def test_clean_text_result_is_nfc_after_removal(text, expected):
    assert clean_text(text) == expected


@given(st.text())
@example("e\u200b\u0301")
def test_clean_text_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


# Text free of the characters clean_text removes (C0/C1 controls and invisible format chars).
visible_text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs")))


@given(visible_text)
def test_clean_text_properties(text):
    out = clean_text(text)
    if out is None:
        assert not text.strip()
        return
    assert out == unicodedata.normalize("NFC", out)
    assert out == out.strip()
    assert "  " not in out
    assert not any(c.isspace() and c != " " for c in out)
    assert clean_text(out) == out


# --- dates --------------------------------------------------------------------------------------

LATEST_YEAR = [
    (5, 29, AS_OF, 2026),
    (11, 24, AS_OF, 2026),
    (11, 25, AS_OF, 2025),
    (12, 15, AS_OF, 2025),
    (1, 1, AS_OF, 2026),
    (2, 29, AS_OF, 2024),
    (2, 29, date(2024, 2, 29), 2024),
    (2, 29, date(2024, 2, 28), 2020),
    (2, 29, date(2100, 12, 31), 2096),
    (12, 31, date(2026, 12, 31), 2026),
    (1, 1, date(2026, 1, 1), 2026),
    (1, 2, date(2026, 1, 1), 2025),
    (11, None, AS_OF, 2026),
    (12, None, AS_OF, 2025),
    (4, 31, AS_OF, 2026),
]


@pytest.mark.parametrize(
    ("month", "day", "as_of", "expected"),
    LATEST_YEAR,
    ids=[f"{m}-{d}@{a.isoformat()}" for m, d, a, _ in LATEST_YEAR],
)
def test_latest_year(month, day, as_of, expected):
    assert latest_year(month, day, as_of) == expected


@given(
    st.integers(1, 12),
    st.integers(1, 31),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
)
def test_latest_year_is_latest_not_after_as_of(month, day, as_of):
    year = latest_year(month, day, as_of)
    try:
        found = date(year, month, day)
    except ValueError:  # an impossible day is judged by its month
        assert day > 28
        found = date(year, month, 1)
    assert found <= as_of
    assert year in (as_of.year, as_of.year - 1) or (month, day) == (2, 29)


def record(**fields):
    fields.setdefault("provenance", (Provenance("listing.txt", 3, "feed"),))
    return Record(**fields)


RESOLVE = [
    (None, None),
    (PartialDate(2023, 5, 29), PartialDate(2023, 5, 29)),
    (PartialDate(2023), PartialDate(2023)),
    (PartialDate(None, 5, 29), PartialDate(2026, 5, 29)),
    (PartialDate(None, 11, 24), PartialDate(2026, 11, 24)),
    (PartialDate(None, 11, 25), PartialDate(2025, 11, 25)),
    (PartialDate(None, 12, 15), PartialDate(2025, 12, 15)),
    (PartialDate(None, 2, 29), PartialDate(2024, 2, 29)),
    (PartialDate(None, 12), PartialDate(2025, 12)),
    (PartialDate(None), None),
]


@pytest.mark.parametrize(("found", "expected"), RESOLVE, ids=[repr(f) for f, _ in RESOLVE])
def test_resolve_date(found, expected):
    assert resolve_date(record(date=found), as_of=AS_OF).date == expected


def test_resolve_date_keeps_other_fields():
    before = record(title="BOOT", date=PartialDate(None, 5, 29), categories=("CV",))
    after = resolve_date(before, as_of=AS_OF)
    assert after.title == "BOOT"
    assert after.categories == ("CV",)
    assert after.provenance == before.provenance


UNDATED = ["feed", "profile", "abstracts", "daily", "bibtex"]


@pytest.mark.parametrize("layout", UNDATED, ids=UNDATED)
@pytest.mark.parametrize("as_of", [AS_OF, date(2027, 6, 1)], ids=str)
def test_an_entry_without_a_date_stays_undated(layout, as_of):
    """Nothing is invented: the day a listing is read is not the paper's date (issue 15)."""
    undated = record(title="Layer Normalization", provenance=(Provenance("x", 1, layout),))
    assert normalize_record(undated, default_steps(as_of=as_of)) == undated
    assert normalize_default(undated, as_of=as_of) == undated


def test_listing_layouts():
    assert frozenset({"feed", "profile", "abstracts", "daily"}) == LISTING_LAYOUTS


# --- categories ---------------------------------------------------------------------------------

CATEGORIES = [
    (("CV",), ("cs.CV",)),
    (("ML",), ("stat.ML",)),
    (("QUANT-PH",), ("quant-ph",)),
    (("LG", "CV"), ("cs.LG", "cs.CV")),
    (("XYZ",), ("XYZ",)),
    (("CV", "XYZ"), ("cs.CV", "XYZ")),
    (("CV", "cs.CV", "cs.cv", "CV"), ("cs.CV",)),
    (("cs.LG", "CV", "LG"), ("cs.LG", "cs.CV")),
    (("stat.TH",), ("math.ST",)),
    ((), ()),
]


@pytest.mark.parametrize(
    ("codes", "expected"), CATEGORIES, ids=[",".join(c) for c, _ in CATEGORIES]
)
def test_map_categories(codes, expected):
    assert map_categories(record(categories=codes)).categories == expected


# --- check --------------------------------------------------------------------------------------


def test_check_warns_on_unknown_category_with_source_and_line():
    problems = check(
        record(categories=("cs.CV", "XYZ"), provenance=(Provenance("a.txt", 7, "feed"),))
    )
    assert len(problems) == 1
    (problem,) = problems
    assert problem.source == "a.txt"
    assert problem.line == 7
    assert problem.severity == "warning"
    assert "'XYZ'" in problem.message
    assert str(problem).startswith("a.txt:7: warning: ")


def test_check_one_problem_per_unknown_category():
    problems = check(record(categories=("XYZ", "ABC")))
    assert [p.line for p in problems] == [3, 3]
    assert "'XYZ'" in problems[0].message
    assert "'ABC'" in problems[1].message


def test_check_without_provenance():
    (problem,) = check(Record(categories=("XYZ",)))
    assert (problem.source, problem.line) == (None, None)


def test_check_known_record_is_clean():
    done = record(
        title="BOOT",
        authors=(Person("Jiatao", "Gu"),),
        categories=("cs.LG", "stat.ML", "quant-ph"),
        date=PartialDate(2023, 6, 8),
    )
    assert check(done) == []


def test_check_date_without_year():
    (problem,) = check(record(date=PartialDate(None, 5, 29)))
    assert "year" in problem.message
    assert (problem.source, problem.line) == ("listing.txt", 3)


def test_check_author_with_latex_specials():
    (problem,) = check(record(authors=(Person("Jo", "Sm&th"),)))
    assert "Sm&th" in problem.message


# --- scraped LaTeX in listing text --------------------------------------------------------------

SCRAPED = Record(
    title=r"$\sigma$Reparam: Stable Transformers",
    abstract=r"faster by 4$\sim$14 times. Code: https://x.org/a}{https://x.org/a.",
    venue=r"$\sigma$ venue",
)


@pytest.mark.parametrize("layout", sorted(LISTING_LAYOUTS))
def test_listing_title_and_abstract_become_text(layout):
    listed = replace(SCRAPED, provenance=(Provenance("a.txt", 4, layout),))
    done = decode_listing_text(listed)
    assert done.title == "σReparam: Stable Transformers"
    assert done.abstract == "faster by 4∼14 times. Code: https://x.org/a."
    assert done.venue == SCRAPED.venue  # only what listings scrape: title and abstract


@pytest.mark.parametrize(
    "provenance",
    [
        (),
        (Provenance("refs.bib", 4, "bibtex"),),
        (Provenance("refs.json", 4, "csljson"),),
        (Provenance("refs.ris", 4, "ris"),),
        (Provenance("refs.jsonl", 4, "jsonl"),),
        (Provenance("a.txt", 4, "feed"), Provenance("refs.bib", 9, "bibtex")),
    ],
    ids=["none", "bibtex", "csljson", "ris", "jsonl", "listing-and-bibtex"],
)
def test_text_the_user_wrote_stays_exactly_as_given(provenance):
    written = replace(SCRAPED, provenance=provenance)
    assert decode_listing_text(written) is written
    assert markup_problems(written) == []
    done = normalize_default(written, as_of=AS_OF)
    assert (done.title, done.abstract) == (SCRAPED.title, SCRAPED.abstract)


def test_stray_markup_dropped_is_a_warning_naming_file_line_and_field():
    listed = replace(SCRAPED, title="A } title", provenance=(Provenance("a.txt", 4, "feed"),))
    problems = markup_problems(listed)
    assert [(p.source, p.line, p.severity) for p in problems] == [("a.txt", 4, "warning")] * 2
    title, abstract = (p.message for p in problems)
    assert title == "title: stray markup dropped: an unpaired '}' in 'A >>}<< title'"
    assert abstract.startswith("abstract: stray markup dropped: leftover link syntax in '")
    assert decode_listing_text(listed).title == "A  title"
    assert normalize_default(listed, as_of=AS_OF).title == "A title"


def test_a_listing_without_latex_is_the_same_record():
    plain = Record(title="Plain", abstract="50% ~10x", provenance=(Provenance("a", 1, "daily"),))
    assert decode_listing_text(plain) is plain


# --- the step stack ------------------------------------------------------------------------------


def test_default_steps_order():
    steps = default_steps(as_of=AS_OF)
    assert len(steps) == 4
    assert steps[0] is decode_listing_text  # before clean_fields: it folds the spaces left
    assert steps[1] is clean_fields
    assert isinstance(steps[2], partial)
    assert steps[2].func is resolve_date
    assert steps[2].keywords == {"as_of": AS_OF}
    assert steps[3] is map_categories


def test_a_date_with_neither_year_nor_month_is_dropped_not_replaced():
    raw = record(date=PartialDate(None), provenance=(Provenance("d.txt", 9, "daily"),))
    done = normalize_record(raw, default_steps(as_of=AS_OF))
    assert done.date is None


def test_normalize_record_full():
    raw = Record(
        title="  BOOT:\u00a0Data-free\u200b Distillation \n",
        authors=(Person(" Jiatao ", "Gu\u00ad"),),
        date=PartialDate(None, 6, 8),
        abstract="",
        categories=("LG", "CV", "LG"),
        orgs=(" meta-ai ", "", "apple-ml"),
        provenance=(Provenance("003.txt", 5, "feed"),),
    )
    done = normalize_record(raw, default_steps(as_of=AS_OF))
    assert done.title == "BOOT: Data-free Distillation"
    assert done.authors == (Person("Jiatao", "Gu"),)
    assert done.date == PartialDate(2026, 6, 8)
    assert done.abstract is None
    assert done.categories == ("cs.LG", "cs.CV")
    assert done.orgs == ("meta-ai", "apple-ml")
    assert done.provenance == raw.provenance


# --- normalizing twice equals normalizing once ---------------------------------------------------


def _records(text):
    optional = st.none() | text
    persons = st.builds(
        Person,
        given=text,
        family=text,
        particle=text,
        suffix=text,
        literal=st.booleans(),
    )
    dates = st.none() | st.builds(
        PartialDate,
        st.none() | st.integers(1900, 2100),
        st.none() | st.integers(1, 12),
        st.none() | st.integers(1, 31),
    )
    codes = st.sampled_from(["CV", "LG", "ML", "QUANT-PH", "cs.CV", "stat.TH", "cmp-lg"]) | text
    provenance = st.builds(
        Provenance,
        st.sampled_from(["a.txt", "b.bib", "-"]),
        st.integers(1, 500),
        st.sampled_from(["feed", "profile", "abstracts", "daily", "bibtex"]),
    )
    return st.builds(
        Record,
        title=optional,
        authors=st.lists(persons, max_size=3).map(tuple),
        authors_truncated=st.booleans(),
        date=dates,
        venue=optional,
        abstract=optional,
        categories=st.lists(codes, max_size=4).map(tuple),
        ids=st.builds(Ids, arxiv=st.none() | st.just("2605.31603")),
        has_code=st.booleans(),
        orgs=st.lists(text, max_size=3).map(tuple),
        affiliation=optional,
        provenance=st.lists(provenance, min_size=0, max_size=2).map(tuple),
    )


@given(_records(visible_text))
def test_normalizing_twice_equals_once(raw):
    steps = default_steps(as_of=AS_OF)
    once = normalize_record(raw, steps)
    assert normalize_record(once, steps) == once


@given(_records(st.text()))
@example(Record(title="e\u200b\u0301"))
def test_normalizing_twice_equals_once_with_invisible_characters(raw):
    steps = default_steps(as_of=AS_OF)
    once = normalize_record(raw, steps)
    assert normalize_record(once, steps) == once


@st.composite
def listed_records(draw) -> Record:
    """Records as readers give them: dates with or without a year (or month), from a listing
    or not, categories as listings write them or not, text in need of cleaning or not."""
    record = draw(records(person=any_person))
    yearless = PartialDate(None, draw(st.none() | st.integers(1, 13)), draw(st.integers(1, 31)))
    layout = draw(st.sampled_from(["feed", "daily", "abstracts", "profile", "bibtex"]))
    return replace(
        record,
        date=draw(st.sampled_from([record.date, None, yearless])),
        provenance=draw(st.sampled_from([(), (Provenance("x.txt", 3, layout),)])),
        categories=draw(st.sampled_from([(), ("CV",), ("CV", "LG", "cs.CV"), ("zz.QQ",)])),
        title=draw(
            st.none() | st.sampled_from(["A  title\u200b ", "Plain", " \t", "$\\sigma$ }  x"])
        ),
    )


@given(listed_records(), st.dates(date(2000, 1, 1), date(2030, 12, 31)))
def test_the_one_copy_normalizer_is_the_default_steps(record, as_of):
    """normalize_default (the pipeline's: one copy of a record at most) gives what the default
    steps give one after the other."""
    expected = normalize_record(record, default_steps(as_of=as_of))
    assert normalize_default(record, as_of=as_of) == expected


@pytest.mark.parametrize(
    "mark",
    [Person(family="others"), Person(family="OTHERS", literal=True), Person(family="et al.")],
    ids=["others", "corporate-OTHERS", "et-al"],
)
def test_a_truncation_mark_written_as_an_author_truncates_the_list(mark):
    """BibTeX and CSL read 'others' as 'et al.', never as a name (a CSL-JSON round trip made
    a corporate author 'OTHERS' a truncated list): the normalizer says so in the record."""
    record = Record(title="T", authors=(Person("Ann", "Lee"), mark))
    done = clean_fields(record)
    assert done.authors == (Person("Ann", "Lee"),) and done.authors_truncated
    assert clean_fields(done) is done
