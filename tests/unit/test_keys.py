"""Tests for citetools.keys: JabRef key patterns, the default style and unique key assignment."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetools.errors import CitationKeyError
from citetools.keys import (
    DEFAULT_PATTERN,
    KNOWN_MARKERS,
    DefaultKeyStyle,
    KeyStyle,
    PatternKeyStyle,
    assign_keys,
    sanitize_key,
)
from citetools.model import PartialDate, Person, Provenance, Record

NEWTON = Person("Isaac", "Newton")
MAXWELL = Person("James", "Maxwell")
EINSTEIN = Person("Albert", "Einstein")
BOHR = Person("N.", "Bohr")
UNKNOWN = Person("Harry", "Unknown")
ONE = (NEWTON,)
TWO = (NEWTON, MAXWELL)
THREE = (NEWTON, MAXWELL, EINSTEIN)
FOUR = (NEWTON, MAXWELL, EINSTEIN, BOHR)
FIVE = (NEWTON, MAXWELL, EINSTEIN, BOHR, UNKNOWN)

JABREF_TITLE = "An awesome paper on JabRef"


def record(
    title: str | None = "Lumos-Nexus: Efficient Frequency Bridging for Video Unified Models",
    authors: tuple[Person, ...] = (Person("Jiazheng", "Xing"),),
    *,
    year: int | None = 2026,
    truncated: bool = False,
    abstract: str | None = None,
    key: str | None = None,
) -> Record:
    """A listing-like record: one author, a year, a title."""
    return Record(
        title=title,
        authors=authors,
        authors_truncated=truncated,
        date=PartialDate(year) if year is not None else None,
        abstract=abstract,
        key=key,
    )


def key(pattern: str, rec: Record) -> str:
    return PatternKeyStyle(pattern).base_key(rec)


# --- the default style ----------------------------------------------------------------------

DEFAULT_CASES = [
    pytest.param(
        "Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space for Video "
        "Unified Models",
        (Person("Jiazheng", "Xing"), Person("Hangjie", "Yuan"), Person("Lingling", "Cai")),
        2026,
        "xing2026lumos",
        id="hyphenated-first-word",
    ),
    pytest.param(
        "Adversarial Auto-Augment with Label Preservation: A Representation Learning Principle "
        "Guided Approach",
        (Person("Kaiwen", "Yang"), Person("Yanchao", "Sun")),
        2022,
        "yang2022adversarial",
        id="plain",
    ),
    pytest.param(
        "Attention Is All You Need",
        (Person("Ashish", "Vaswani"),),
        2017,
        "vaswani2017attention",
        id="attention",
    ),
    pytest.param(
        "On the Opportunities and Risks of Foundation Models",
        (Person("Rishi", "Bommasani"),),
        2021,
        "bommasani2021opportunities",
        id="skips-on-the",
    ),
    pytest.param(
        "A Survey of Large Language Models",
        (Person("Wayne Xin", "Zhao"),),
        2023,
        "zhao2023survey",
        id="skips-article",
    ),
    pytest.param(
        "Towards Robust Video Understanding",
        (Person("Ann", "Lee"),),
        2024,
        "lee2024robust",
        id="skips-towards",
    ),
    pytest.param(
        "Don't Stop Pretraining: Adapt Language Models to Domains and Tasks",
        (Person("Suchin", "Gururangan"),),
        2020,
        "gururangan2020dont",
        id="apostrophe-in-title",
    ),
    pytest.param(
        "3D Gaussian Splatting for Real-Time Radiance Field Rendering",
        (Person("Bernhard", "Kerbl"),),
        2023,
        "kerbl20233d",
        id="digit-word",
    ),
    pytest.param(
        "EMOv2: Pushing 5M Vision Model Frontier",
        (Person("Jiangning", "Zhang"),),
        2024,
        "zhang2024emov2",
        id="mixed-case-word",
    ),
    pytest.param(
        "Über die Grundlagen der Mengenlehre",
        (Person("Kurt", "Gödel"),),
        1931,
        "godel1931uber",
        id="non-ascii-title-and-name",
    ),
    pytest.param(
        "深度学习",
        (Person("伟", "张"),),
        2019,
        "zhang2019shenduxuexi",
        id="cjk",
    ),
    pytest.param(
        "Of and The",
        (Person("Ann", "Lee"),),
        2024,
        "lee2024of",
        id="only-function-words",
    ),
]


@pytest.mark.parametrize(("title", "authors", "year", "expected"), DEFAULT_CASES)
def test_default_style(title: str, authors: tuple[Person, ...], year: int, expected: str) -> None:
    assert DefaultKeyStyle().base_key(record(title, authors, year=year)) == expected


def test_default_style_is_the_default_pattern() -> None:
    style = DefaultKeyStyle()
    assert style.name == "default"
    assert style.description
    assert style.pattern == DEFAULT_PATTERN
    assert PatternKeyStyle().pattern == DEFAULT_PATTERN
    assert PatternKeyStyle.name == "jabref"
    rec = record()
    assert style.base_key(rec) == PatternKeyStyle().base_key(rec) == "xing2026lumos"


def test_styles_satisfy_the_protocol() -> None:
    styles: list[KeyStyle] = [DefaultKeyStyle(), PatternKeyStyle("[auth][year]")]
    assert [style.base_key(record()) for style in styles] == ["xing2026lumos", "Xing2026"]


def test_repr_shows_the_pattern() -> None:
    assert repr(PatternKeyStyle("[auth][year]")) == "PatternKeyStyle('[auth][year]')"
    assert repr(DefaultKeyStyle()) == "DefaultKeyStyle()"


# --- transliteration, particles, corporate authors -------------------------------------------

TRANSLITERATION_CASES = [
    pytest.param(Person("Thomas", "Müller"), "muller", id="umlaut"),
    pytest.param(Person("Jan", "Łukasiewicz"), "lukasiewicz", id="polish-l"),
    pytest.param(Person("Hans Christian", "Ørsted"), "orsted", id="danish-o"),
    pytest.param(Person("Jiří", "Ševčík"), "sevcik", id="czech"),
    pytest.param(Person("Kurt", "Gödel"), "godel", id="german"),
    pytest.param(Person("Jón", "Þórsson"), "thorsson", id="thorn"),
    pytest.param(Person("Ana", "Ñúñez"), "nunez", id="spanish"),
    pytest.param(Person("Zoran", "Đorđević"), "dordevic", id="serbian"),
    pytest.param(Person("Lech", "Wałęsa"), "walesa", id="polish"),
    pytest.param(Person("Minh", "Nguyễn"), "nguyen", id="vietnamese"),
    pytest.param(Person("Dmitri", "Дмитриев"), "dmitriev", id="cyrillic"),
    pytest.param(Person("伟", "张"), "zhang", id="chinese"),
    pytest.param(Person("秀群", "杨"), "yang", id="chinese-2"),
    pytest.param(Person("민준", "김"), "gim", id="korean"),
    pytest.param(Person("Conan", "O'Brien"), "obrien", id="apostrophe"),
    pytest.param(Person("Conan", "O\u2019Brien"), "obrien", id="curly-apostrophe"),
    pytest.param(Person("Ann", "Smith-Jones"), "smithjones", id="hyphen"),
    pytest.param(Person("Gabriel", "García Márquez"), "garciamarquez", id="two-word-family"),
    pytest.param(Person("Straße", "Straße"), "strasse", id="sharp-s"),
]


@pytest.mark.parametrize(("person", "expected"), TRANSLITERATION_CASES)
def test_names_are_transliterated_not_dropped(person: Person, expected: str) -> None:
    assert key("[auth:lower]", record(authors=(person,))) == expected


PERSON_CASES = [
    pytest.param("[auth:lower]", Person("Ludwig", "Beethoven", "van"), "beethoven", id="particle"),
    pytest.param(
        "[authFirstFull]", Person("Ludwig", "Beethoven", "van"), "vanBeethoven", id="first-full"
    ),
    pytest.param("[authFirstFull]", Person("Juan", "Cruz", "de la"), "delaCruz", id="de-la"),
    pytest.param("[authFirstFull]", NEWTON, "Newton", id="first-full-no-particle"),
    pytest.param("[auth]", Person("Martin Luther", "King", suffix="Jr."), "King", id="suffix"),
    pytest.param("[auth]", Person(given="Plato"), "Plato", id="mononym"),
    pytest.param("[authForeIni]", Person(given="Plato"), "", id="mononym-no-initial"),
    pytest.param(
        "[auth:lower]", Person(family="Inferix Team", literal=True), "inferixteam", id="corporate"
    ),
    pytest.param(
        "[authForeIni]",
        Person(family="Inferix Team", literal=True),
        "",
        id="corporate-no-initial",
    ),
    pytest.param(
        "[authFirstFull]",
        Person(family="European Union Aviation Safety Agency", literal=True),
        "EuropeanUnionAviationSafetyAgency",
        id="corporate-not-abbreviated",
    ),
    pytest.param("[authForeIni]", Person("Łukasz", "Kaiser"), "L", id="initial-transliterated"),
    pytest.param("[authForeIni]", Person("Jean-Pierre", "Serre"), "J", id="initial-hyphenated"),
]


@pytest.mark.parametrize(("pattern", "person", "expected"), PERSON_CASES)
def test_person_parts(pattern: str, person: Person, expected: str) -> None:
    assert key(pattern + "[year]", record(authors=(person,))) == expected + "2026"


def test_default_key_of_particle_name_uses_family_only() -> None:
    rec = record("Symphony No. 5", (Person("Ludwig", "Beethoven", "van"),), year=1808)
    assert DefaultKeyStyle().base_key(rec) == "beethoven1808symphony"


def test_corporate_author_default_key() -> None:
    rec = record("Inferix: A World Simulator", (Person(family="Inferix Team", literal=True),))
    assert DefaultKeyStyle().base_key(rec) == "inferixteam2026inferix"


# --- author markers ---------------------------------------------------------------------------

AUTHOR_CASES = [
    pytest.param("[auth]", ONE, False, "Newton", id="auth"),
    pytest.param("[auth]", THREE, True, "Newton", id="auth-truncated"),
    pytest.param("[pureauth]", ONE, False, "Newton", id="pureauth"),
    pytest.param("[auth3]", ONE, False, "New", id="authN"),
    pytest.param("[auth10]", ONE, False, "Newton", id="authN-longer-than-name"),
    pytest.param("[auth3_2]", TWO, False, "Max", id="authN_M"),
    pytest.param("[auth3_1]", TWO, False, "New", id="authN_1"),
    pytest.param("[authForeIni]", TWO, False, "I", id="authForeIni"),
    pytest.param("[authorLast]", THREE, False, "Einstein", id="authorLast"),
    pytest.param("[authorLastForeIni]", THREE, False, "A", id="authorLastForeIni"),
    pytest.param("[authEtAl]", ONE, False, "Newton", id="authEtAl-1"),
    pytest.param("[authEtAl]", TWO, False, "NewtonMaxwell", id="authEtAl-2"),
    pytest.param("[authEtAl]", THREE, False, "NewtonEtAl", id="authEtAl-3"),
    pytest.param("[authEtAl]", ONE, True, "NewtonEtAl", id="authEtAl-1-truncated"),
    pytest.param("[authEtAl]", TWO, True, "NewtonEtAl", id="authEtAl-2-truncated"),
    # '.' is not a key character: JabRef's Newton.Maxwell / Newton.etal lose their dots.
    pytest.param("[auth.etal]", ONE, False, "Newton", id="auth.etal-1"),
    pytest.param("[auth.etal]", TWO, False, "NewtonMaxwell", id="auth.etal-2"),
    pytest.param("[auth.etal]", FOUR, False, "Newtonetal", id="auth.etal-4"),
    pytest.param("[auth.etal]", ONE, True, "Newtonetal", id="auth.etal-truncated"),
    pytest.param("[auth.auth.ea]", ONE, False, "Newton", id="auth.auth.ea-1"),
    pytest.param("[auth.auth.ea]", TWO, False, "NewtonMaxwell", id="auth.auth.ea-2"),
    pytest.param("[auth.auth.ea]", THREE, False, "NewtonMaxwellea", id="auth.auth.ea-3"),
    pytest.param("[auth.auth.ea]", ONE, True, "Newtonea", id="auth.auth.ea-truncated"),
    pytest.param("[authors]", ONE, False, "Newton", id="authors-1"),
    pytest.param("[authors]", THREE, False, "NewtonMaxwellEinstein", id="authors-3"),
    pytest.param("[authors]", TWO, True, "NewtonMaxwellEtAl", id="authors-truncated"),
    pytest.param("[authors2]", ONE, False, "Newton", id="authorsN-fewer"),
    pytest.param("[authors2]", TWO, False, "NewtonMaxwell", id="authorsN-exact"),
    pytest.param("[authors2]", THREE, False, "NewtonMaxwellEtAl", id="authorsN-more"),
    pytest.param("[authors2]", TWO, True, "NewtonMaxwellEtAl", id="authorsN-truncated"),
    # The '+' of JabRef's [authIniN], [authorIni], [authshort], [authorsAlpha] is dropped.
    pytest.param("[authIni4]", ONE, False, "Newt", id="authIniN-1"),
    pytest.param("[authIni4]", TWO, False, "NeMa", id="authIniN-2"),
    pytest.param("[authIni4]", THREE, False, "NeME", id="authIniN-3"),
    pytest.param("[authIni4]", FOUR, False, "NMEB", id="authIniN-4"),
    pytest.param("[authIni4]", FIVE, False, "NME", id="authIniN-5"),
    pytest.param("[authIni4]", ONE, True, "New", id="authIniN-1-truncated"),
    pytest.param("[authIni4]", TWO, True, "NeM", id="authIniN-2-truncated"),
    pytest.param("[authIni2]", THREE, False, "N", id="authIni2-3"),
    pytest.param("[authIni1]", FIVE, False, "N", id="authIni1"),
    pytest.param("[authorIni]", ONE, False, "Newto", id="authorIni-1"),
    pytest.param("[authorIni]", TWO, False, "NewtoM", id="authorIni-2"),
    pytest.param("[authorIni]", FIVE, False, "NewtoMEBU", id="authorIni-5"),
    pytest.param("[authorIni]", TWO, True, "NewtoM", id="authorIni-truncated"),
    pytest.param("[authshort]", ONE, False, "Newton", id="authshort-1"),
    pytest.param("[authshort]", TWO, False, "NM", id="authshort-2"),
    pytest.param("[authshort]", THREE, False, "NME", id="authshort-3"),
    pytest.param("[authshort]", FOUR, False, "NME", id="authshort-4"),
    pytest.param("[authshort]", ONE, True, "N", id="authshort-truncated"),
    pytest.param("[authorsAlpha]", ONE, False, "New", id="authorsAlpha-1"),
    pytest.param("[authorsAlpha]", TWO, False, "NM", id="authorsAlpha-2"),
    pytest.param("[authorsAlpha]", FOUR, False, "NMEB", id="authorsAlpha-4"),
    pytest.param("[authorsAlpha]", FIVE, False, "NME", id="authorsAlpha-5"),
    pytest.param("[authorsAlpha]", ONE, True, "N", id="authorsAlpha-truncated"),
]


@pytest.mark.parametrize(("pattern", "authors", "truncated", "expected"), AUTHOR_CASES)
def test_author_markers(
    pattern: str, authors: tuple[Person, ...], truncated: bool, expected: str
) -> None:
    assert key(pattern, record(authors=authors, truncated=truncated)) == expected


def test_auth_n_m_beyond_the_list_is_empty() -> None:
    assert key("[auth3_2][year]", record(authors=ONE)) == "2026"


# --- title markers ----------------------------------------------------------------------------

TITLE_CASES = [
    pytest.param("[title]", JABREF_TITLE, "AnAwesomePaperonJabref", id="title"),
    pytest.param("[shorttitle]", JABREF_TITLE, "AwesomePaperJabref", id="shorttitle"),
    pytest.param("[shorttitleINI]", JABREF_TITLE, "APJ", id="shorttitleINI"),
    pytest.param("[veryshorttitle]", JABREF_TITLE, "Awesome", id="veryshorttitle"),
    pytest.param("[camel]", JABREF_TITLE, "AnAwesomePaperOnJabref", id="camel"),
    pytest.param("[fulltitle]", JABREF_TITLE, "AnawesomepaperonJabRef", id="fulltitle"),
    pytest.param("[fulltitle]", "Lumos-Nexus: Video", "Lumos-Nexus:Video", id="fulltitle-punct"),
    pytest.param("[TITLE]", JABREF_TITLE, "AnAwesomePaperonJabref", id="upper-case-marker"),
    pytest.param("[shorttitle]", "Lumos-Nexus: Efficient", "LumosNexusEfficient", id="hyphen"),
    pytest.param("[shorttitle]", "Towards a Theory", "Theory", id="shorttitle-few-words"),
    pytest.param("[veryshorttitle]", "The Über-Model", "Uber", id="veryshorttitle-umlaut"),
    pytest.param("[title]", "Learning via Towers", "LearningviaTowers", id="title-extra-stopword"),
]


@pytest.mark.parametrize(("pattern", "title", "expected"), TITLE_CASES)
def test_title_markers(pattern: str, title: str, expected: str) -> None:
    assert key(pattern, record(title)) == expected


# --- other markers ----------------------------------------------------------------------------

OTHER_CASES = [
    pytest.param("[year]", PartialDate(2026, 5, 9), "misc", "2026", id="year"),
    pytest.param("[shortyear]", PartialDate(2026), "misc", "26", id="shortyear"),
    pytest.param("[shortyear]", PartialDate(2005), "misc", "05", id="shortyear-padded"),
    pytest.param("[month]", PartialDate(2026, 3), "misc", "March", id="month"),
    pytest.param("[day]", PartialDate(2026, 5, 9), "misc", "9", id="day"),
    pytest.param("[date]", PartialDate(2026, 5, 9), "misc", "2026-05-09", id="date"),
    pytest.param("[date]", PartialDate(2026, 5), "misc", "2026-05", id="date-month"),
    pytest.param("[month][day]", PartialDate(None, 5, 29), "misc", "May29", id="no-year"),
    pytest.param("[entrytype]", None, "inproceedings", "InProceedings", id="entrytype"),
    pytest.param("[entrytype]", None, "phdthesis", "PhdThesis", id="entrytype-thesis"),
    pytest.param("[entrytype]", None, "misc", "Misc", id="entrytype-misc"),
    pytest.param("[entrytype]", None, "patent", "Patent", id="entrytype-unknown"),
    pytest.param("[entrytype:lower]", None, "article", "article", id="entrytype-lower"),
]


@pytest.mark.parametrize(("pattern", "date", "entry_type", "expected"), OTHER_CASES)
def test_date_and_type_markers(
    pattern: str, date: PartialDate | None, entry_type: str, expected: str
) -> None:
    assert key(pattern, Record(date=date, entry_type=entry_type)) == expected


def test_markers_are_case_insensitive() -> None:
    rec = record()
    assert key("[AUTH][Year]", rec) == key("[auth][year]", rec) == "Xing2026"
    assert key("[authetal]", rec) == key("[authEtAl]", rec)


def test_every_known_marker_works() -> None:
    rec = dataclasses.replace(record(authors=THREE), date=PartialDate(2026, 5, 9))
    for marker in KNOWN_MARKERS:
        name = marker.replace("N_M", "2_1")
        name = name[:-1] + "2" if name.endswith("N") else name
        assert key(f"[{name}]", rec) != "untitled", name


# --- modifiers --------------------------------------------------------------------------------

MODIFIER_CASES = [
    pytest.param("[auth:lower]", JABREF_TITLE, "newton", id="lower"),
    pytest.param("[auth:upper]", JABREF_TITLE, "NEWTON", id="upper"),
    pytest.param("[fulltitle:capitalize]", "an EXAMPLE title", "AnExampleTitle", id="capitalize"),
    pytest.param(
        "[fulltitle:titlecase]",
        "example title with An function Word",
        "ExampleTitlewithanFunctionWord",
        id="titlecase",
    ),
    pytest.param("[fulltitle:titlecase]", "the end of it", "TheEndofIt", id="titlecase-first-word"),
    pytest.param(
        "[fulltitle:sentencecase]", "an Example Title", "Anexampletitle", id="sentencecase"
    ),
    pytest.param("[fulltitle:abbr]", JABREF_TITLE, "AapoJ", id="abbr-fulltitle"),
    pytest.param("[title:abbr]", JABREF_TITLE, "AAPoJ", id="abbr-title"),
    pytest.param("[camel:abbr]", JABREF_TITLE, "AAPOJ", id="abbr-camel"),
    pytest.param("[title:abbr:lower]", JABREF_TITLE, "aapoj", id="abbr-lower-chain"),
    pytest.param("[fulltitle:truncate10]", JABREF_TITLE, "Anawesome", id="truncate"),
    pytest.param("[fulltitle:truncate3]", "A Title", "AT", id="truncate-strips-space"),
    pytest.param("[fulltitle:truncate6:truncate4]", JABREF_TITLE, "Ana", id="truncate-chain"),
    pytest.param("[auth:upper:truncate3]", JABREF_TITLE, "NEW", id="upper-then-truncate"),
    pytest.param("[auth:truncate3:upper]", JABREF_TITLE, "NEW", id="truncate-then-upper"),
    pytest.param("[auth:LOWER]", JABREF_TITLE, "newton", id="modifier-case-insensitive"),
    pytest.param("[veryshorttitle:upper]", JABREF_TITLE, "AWESOME", id="veryshorttitle-upper"),
    pytest.param("[auth:(nobody)]", JABREF_TITLE, "Newton", id="fallback-unused"),
]


@pytest.mark.parametrize(("pattern", "title", "expected"), MODIFIER_CASES)
def test_modifiers(pattern: str, title: str, expected: str) -> None:
    assert key(pattern, record(title, ONE)) == expected


FALLBACK_CASES = [
    pytest.param("[auth:lower][year:(nd)]", record(authors=ONE, year=None), "newtonnd", id="year"),
    pytest.param("[auth:(nobody)][year]", record(authors=()), "nobody2026", id="no-anon"),
    pytest.param("[auth:lower:(x)][year]", record(authors=()), "x2026", id="after-lower"),
    pytest.param("[auth:(a:b)][year]", record(authors=()), "a:b2026", id="colon-inside"),
]


@pytest.mark.parametrize(("pattern", "rec", "expected"), FALLBACK_CASES)
def test_fallback_modifier(pattern: str, rec: Record, expected: str) -> None:
    assert key(pattern, rec) == expected


LITERAL_CASES = [
    pytest.param("[auth]:[year]", "Newton:2026", id="colon"),
    pytest.param("[auth]_[year]", "Newton_2026", id="underscore"),
    pytest.param("[auth:lower]-[year]", "newton-2026", id="hyphen"),
    pytest.param("ref-[auth]", "ref-Newton", id="prefix"),
    pytest.param("[auth].[year]", "Newton2026", id="dot-dropped"),
    pytest.param("[auth] [year]", "Newton2026", id="space-dropped"),
    pytest.param("[auth]ü[year]", "Newtonu2026", id="literal-transliterated"),
    pytest.param("fixed", "fixed", id="no-markers"),
]


@pytest.mark.parametrize(("pattern", "expected"), LITERAL_CASES)
def test_literal_text_is_kept(pattern: str, expected: str) -> None:
    assert key(pattern, record(authors=ONE)) == expected


# --- missing data -----------------------------------------------------------------------------

ABSTRACT = "We propose a novel frequency bridging method for unified video models. It is efficient."

MISSING_CASES = [
    pytest.param(DEFAULT_PATTERN, record(authors=()), "anon2026lumos", id="no-authors"),
    pytest.param("[auth][year]", record(authors=()), "Anon2026", id="no-authors-capitalized"),
    pytest.param("[authors][year]", record(authors=()), "Anon2026", id="no-authors-authors"),
    pytest.param("[authForeIni][year]", record(authors=()), "2026", id="no-authors-initial"),
    pytest.param(DEFAULT_PATTERN, record(year=None), "xinglumos", id="no-date"),
    pytest.param(DEFAULT_PATTERN, record(authors=(), year=None), "anonlumos", id="title-only"),
    pytest.param(
        DEFAULT_PATTERN,
        record("Layer Normalization", (Person("Jimmy Lei", "Ba"),), year=None),
        "balayer",
        id="undated-ba-layer",
    ),
    pytest.param(
        DEFAULT_PATTERN,
        record(None, (), year=None, abstract="This work focuses on lightweight models."),
        "anonlightweight",
        id="undated-abstract-only",
    ),
    pytest.param("[auth][year]", record(year=None), "Xing", id="undated-auth-year"),
    pytest.param(
        DEFAULT_PATTERN,
        record(None, abstract=ABSTRACT),
        "xing2026frequency",
        id="abstract-instead-of-title",
    ),
    pytest.param(
        "[shorttitle]",
        record(None, abstract=ABSTRACT),
        "FrequencyBridgingMethod",
        id="abstract-shorttitle",
    ),
    pytest.param(
        "[fulltitle]",
        record(None, abstract=ABSTRACT),
        "frequencybridgingmethod",
        id="abstract-fulltitle-is-short",
    ),
    pytest.param(
        DEFAULT_PATTERN,
        record("  —  ", abstract=ABSTRACT),
        "xing2026frequency",
        id="punctuation-title",
    ),
    pytest.param(
        DEFAULT_PATTERN,
        record(None, abstract="This work focuses on lightweight models for dense prediction."),
        "xing2026lightweight",
        id="abstract-boilerplate-skipped",
    ),
    pytest.param(
        DEFAULT_PATTERN,
        record(None, abstract="x" * 5000 + " tail"),
        "xing2026",
        id="abstract-single-huge-word-cut",
    ),
    pytest.param(DEFAULT_PATTERN, Record(), "untitled", id="empty-record"),
    pytest.param(DEFAULT_PATTERN, record(None, (), year=None), "untitled", id="nothing"),
    pytest.param(
        DEFAULT_PATTERN,
        record(None, (), year=None, abstract="We propose this."),
        "untitled",
        id="abstract-only-boilerplate",
    ),
    pytest.param("[auth]", record(authors=()), "untitled", id="anon-is-not-data"),
    pytest.param("[year]", record(year=None), "untitled", id="year-only"),
    pytest.param("[auth:lower]", record(authors=(Person(family="!!!"),)), "untitled", id="empty"),
]


@pytest.mark.parametrize(("pattern", "rec", "expected"), MISSING_CASES)
def test_missing_data(pattern: str, rec: Record, expected: str) -> None:
    assert key(pattern, rec) == expected


# --- invalid patterns -------------------------------------------------------------------------

INVALID_CASES = [
    pytest.param("[foo]", "[foo]", id="unknown-marker"),
    pytest.param("[auth][journal]", "[journal]", id="unsupported-field"),
    pytest.param("[auth0]", "[auth0]", id="zero-length"),
    pytest.param("[authIni]", "[authIni]", id="missing-number"),
    pytest.param("[]", "[]", id="empty-marker"),
    pytest.param("[auth:bar]", ":bar", id="unknown-modifier"),
    pytest.param("[auth:lower:shout]", ":shout", id="unknown-second-modifier"),
    pytest.param("[title:truncate]", ":truncate", id="truncate-without-number"),
    pytest.param("[auth:]", "modifier", id="empty-modifier"),
    pytest.param('[auth:regex("a","b")]', "regex", id="regex"),
    pytest.param("[auth", "unbalanced", id="unclosed"),
    pytest.param("auth][year]", "unbalanced", id="unopened"),
    pytest.param("[[auth]]", "unbalanced", id="nested"),
    pytest.param("", "empty", id="empty-pattern"),
]


@pytest.mark.parametrize(("pattern", "named"), INVALID_CASES)
def test_invalid_patterns_fail_early(pattern: str, named: str) -> None:
    with pytest.raises(CitationKeyError) as caught:
        PatternKeyStyle(pattern)
    assert named in str(caught.value)


def test_unknown_marker_lists_the_known_ones() -> None:
    with pytest.raises(CitationKeyError, match=r"known markers: auth, authN, .*veryshorttitle"):
        PatternKeyStyle("[auth][nope]")


def test_unknown_modifier_lists_the_known_ones() -> None:
    with pytest.raises(CitationKeyError, match=r"known modifiers: lower, upper, .*abbr"):
        PatternKeyStyle("[auth:loud]")


# --- sanitize_key -----------------------------------------------------------------------------

SANITIZE_CASES = [
    pytest.param("xing2026lumos", "xing2026lumos", id="clean"),
    pytest.param("a:b_c-1", "a:b_c-1", id="allowed-punctuation"),
    pytest.param("Müller & Søn", "MullerSon", id="transliterate-and-drop"),
    pytest.param("Straße", "Strasse", id="sharp-s"),
    pytest.param("Ærø", "Aero", id="ligature"),
    pytest.param("张伟", "ZhangWei", id="cjk"),
    pytest.param("a.b+c{d}e f", "abcdef", id="illegal-characters"),
    pytest.param("O\u2019Brien", "OBrien", id="apostrophe"),
    pytest.param("", "", id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), SANITIZE_CASES)
def test_sanitize_key(text: str, expected: str) -> None:
    assert sanitize_key(text) == expected


# --- assign_keys ------------------------------------------------------------------------------


class ByTitle:
    """A key style whose base key is the record's title, to drive collisions directly."""

    name = "bytitle"
    description = "the title is the key"

    def base_key(self, record: Record) -> str:
        assert record.title is not None
        return record.title


def keys_for(bases: list[str], taken: tuple[str, ...] = ()) -> list[str | None]:
    records = [Record(title=base) for base in bases]
    return [rec.key for rec in assign_keys(records, ByTitle(), taken=taken)]


COLLISION_CASES = [
    pytest.param(["x", "y"], (), ["x", "y"], id="distinct"),
    pytest.param(["x", "x", "x"], (), ["x", "xa", "xb"], id="three-identical"),
    pytest.param(
        ["smith2020", "smith2020", "smith2020a"],
        (),
        ["smith2020", "smith2020b", "smith2020a"],
        id="natural-key-equals-suffixed-later",
    ),
    pytest.param(
        ["smith2020a", "smith2020", "smith2020"],
        (),
        ["smith2020a", "smith2020", "smith2020b"],
        id="natural-key-equals-suffixed-earlier",
    ),
    pytest.param(
        ["smith2020", "smith2020a", "smith2020", "smith2020a"],
        (),
        ["smith2020", "smith2020a", "smith2020b", "smith2020aa"],
        id="both-collide",
    ),
    pytest.param(["Xing2026", "xing2026"], (), ["Xing2026", "xing2026a"], id="case-insensitive"),
    pytest.param(["x", "X", "xA"], (), ["x", "Xb", "xA"], id="case-insensitive-suffix"),
    pytest.param(["x"], ("x",), ["xa"], id="taken"),
    pytest.param(["x", "x"], ("X", "xa"), ["xb", "xc"], id="taken-case-insensitive"),
    pytest.param(["x", "y"], ("z",), ["x", "y"], id="taken-unrelated"),
]


@pytest.mark.parametrize(("bases", "taken", "expected"), COLLISION_CASES)
def test_collisions(bases: list[str], taken: tuple[str, ...], expected: list[str]) -> None:
    assert keys_for(bases, taken) == expected


def test_suffixes_go_past_z() -> None:
    keys = keys_for(["k"] * 30)
    assert keys[:3] == ["k", "ka", "kb"]
    assert keys[26:] == ["kz", "kaa", "kab", "kac"]


def test_many_identical_keys_stay_unique() -> None:
    keys = keys_for(["smith2020"] * 2000)
    assert len({k.casefold() for k in keys if k}) == 2000
    assert keys[702] == "smith2020zz"
    assert keys[703] == "smith2020aaa"


def test_assign_keys_keeps_order_and_other_fields() -> None:
    records = [
        record("Alpha Study", ONE, key="old", abstract="kept"),
        record("Beta Study", TWO),
        record("Alpha Study", ONE),
    ]
    result = assign_keys(records, DefaultKeyStyle())
    assert [r.key for r in result] == ["newton2026alpha", "newton2026beta", "newton2026alphaa"]
    assert [dataclasses.replace(r, key=None) for r in result] == [
        dataclasses.replace(r, key=None) for r in records
    ]
    assert records[0].key == "old"  # inputs are not changed


def test_assign_keys_recomputes_existing_keys() -> None:
    rec = record(key="Xing:hand-made")
    assert assign_keys([rec], DefaultKeyStyle())[0].key == "xing2026lumos"


def test_assign_keys_accepts_any_iterable() -> None:
    result = assign_keys((record() for _ in range(2)), DefaultKeyStyle())
    assert [r.key for r in result] == ["xing2026lumos", "xing2026lumosa"]
    assert assign_keys([], DefaultKeyStyle()) == []


def test_assign_keys_is_deterministic() -> None:
    records = [record(title, authors) for title in ("A B", "C D", "A B") for authors in (ONE, TWO)]
    first = assign_keys(records, PatternKeyStyle("[auth][year]"))
    second = assign_keys(records, PatternKeyStyle("[auth][year]"))
    assert first == second
    assert [r.key for r in first] == [
        "Newton2026",
        "Newton2026a",
        "Newton2026b",
        "Newton2026c",
        "Newton2026d",
        "Newton2026e",
    ]


@pytest.mark.parametrize("bad", ["", "a b", "Müller", "x.y"], ids=["empty", "space", "u", "dot"])
def test_invalid_key_from_a_style_is_an_error(bad: str) -> None:
    rec = Record(title=bad, provenance=(Provenance("in.txt", 7, "listing"),))
    with pytest.raises(CitationKeyError, match="bytitle") as caught:
        assign_keys([rec], ByTitle())
    assert (caught.value.source, caught.value.line) == ("in.txt", 7)


@given(
    bases=st.lists(st.sampled_from(["a", "A", "aa", "ab", "aA", "b", "ba", "aaa"]), max_size=40),
    taken=st.lists(st.sampled_from(["a", "aa", "AB", "b", "c"]), max_size=5),
)
def test_assigned_keys_are_unique(bases: list[str], taken: list[str]) -> None:
    keys = keys_for(bases, tuple(taken))
    folded = [k.casefold() for k in keys if k]
    assert len(folded) == len(set(folded)) == len(bases)
    assert not set(folded) & {t.casefold() for t in taken}
    for base, assigned in zip(bases, keys, strict=True):
        assert assigned is not None
        assert assigned.startswith(base)
        assert assigned[len(base) :].isalpha() or assigned == base
    # A base that nobody used before keeps its bare form the first time it appears.
    seen: set[str] = {t.casefold() for t in taken}
    for base, assigned in zip(bases, keys, strict=True):
        if base.casefold() not in seen:
            assert assigned == base
        seen.add(base.casefold())
