"""Tests for citetools.normalize.categories against the official arXiv category taxonomy."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from citetools.normalize.categories import ALIASES, ARXIV_CATEGORIES, normalize_category

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (code as seen or typed, expected canonical id), each checked against arxiv.org/category_taxonomy.
MAPPINGS: list[tuple[str, str | None]] = [
    # Codes seen in the seed listings.
    ("CV", "cs.CV"),
    ("LG", "cs.LG"),
    ("CL", "cs.CL"),
    ("AI", "cs.AI"),
    ("ML", "stat.ML"),
    ("QUANT-PH", "quant-ph"),
    # Other cs subjects.
    ("RO", "cs.RO"),
    ("CR", "cs.CR"),
    ("IR", "cs.IR"),
    ("HC", "cs.HC"),
    ("SE", "cs.SE"),
    ("NE", "cs.NE"),
    ("MA", "cs.MA"),
    ("CY", "cs.CY"),
    ("SD", "cs.SD"),
    ("DC", "cs.DC"),
    ("OH", "cs.OH"),
    # Subjects in one archive only.
    ("GA", "astro-ph.GA"),
    ("SR", "astro-ph.SR"),
    ("EM", "econ.EM"),
    ("IV", "eess.IV"),
    ("AS", "eess.AS"),
    ("AG", "math.AG"),
    ("OC", "math.OC"),
    ("NT", "math.NT"),
    ("CD", "nlin.CD"),
    ("BM", "q-bio.BM"),
    ("NC", "q-bio.NC"),
    ("MF", "q-fin.MF"),
    ("TR", "q-fin.TR"),
    ("ME", "stat.ME"),
    ("stat-mech", "cond-mat.stat-mech"),
    ("MTRL-SCI", "cond-mat.mtrl-sci"),
    ("mes-hall", "cond-mat.mes-hall"),
    ("optics", "physics.optics"),
    ("FLU-DYN", "physics.flu-dyn"),
    # Subjects shared by several archives: cs, stat, eess, math, then the rest.
    ("IT", "cs.IT"),
    ("LO", "cs.LO"),
    ("GT", "cs.GT"),
    ("DS", "cs.DS"),
    ("SC", "cs.SC"),
    ("SI", "cs.SI"),
    ("CG", "cs.CG"),
    ("CO", "stat.CO"),
    ("AP", "stat.AP"),
    ("OT", "stat.OT"),
    ("SP", "eess.SP"),
    ("GN", "math.GN"),
    ("PR", "math.PR"),
    ("ST", "math.ST"),
    # Current ids before alias ids: NA is math.NA (cs.NA is an alias), TH is econ.TH.
    ("NA", "math.NA"),
    ("SY", "eess.SY"),
    ("TH", "econ.TH"),
    # Subjects found only through an alias id.
    ("EC", "econ.GN"),
    ("MP", "math-ph"),
    # Whole archives without subjects.
    ("HEP-TH", "hep-th"),
    ("hep-ex", "hep-ex"),
    ("Hep-Lat", "hep-lat"),
    ("HEP-PH", "hep-ph"),
    ("GR-QC", "gr-qc"),
    ("MATH-PH", "math-ph"),
    ("nucl-th", "nucl-th"),
    ("NUCL-EX", "nucl-ex"),
    # Full ids in any case.
    ("cs.cv", "cs.CV"),
    ("CS.CV", "cs.CV"),
    ("Quant-Ph", "quant-ph"),
    ("astro-ph.ga", "astro-ph.GA"),
    ("cond-mat.stat-mech", "cond-mat.stat-mech"),
    ("COND-MAT.STR-EL", "cond-mat.str-el"),
    ("math.ct", "math.CT"),
    ("Q-FIN.RM", "q-fin.RM"),
    ("physics.ATOM-PH", "physics.atom-ph"),
    # Official category aliases.
    ("cs.NA", "math.NA"),
    ("cs.SY", "eess.SY"),
    ("math.IT", "cs.IT"),
    ("math.MP", "math-ph"),
    ("MATH.MP", "math-ph"),
    ("math.ST", "math.ST"),
    ("stat.TH", "math.ST"),
    ("q-fin.EC", "econ.GN"),
    # Retired archives.
    ("cmp-lg", "cs.CL"),
    ("CMP-LG", "cs.CL"),
    ("adap-org", "nlin.AO"),
    ("chao-dyn", "nlin.CD"),
    ("solv-int", "nlin.SI"),
    ("patt-sol", "nlin.PS"),
    ("comp-gas", "nlin.CG"),
    ("alg-geom", "math.AG"),
    ("funct-an", "math.FA"),
    ("q-alg", "math.QA"),
    ("dg-ga", "math.DG"),
    ("mtrl-th", "cond-mat.mtrl-sci"),
    ("supr-con", "cond-mat.supr-con"),
    ("acc-phys", "physics.acc-ph"),
    ("ao-sci", "physics.ao-ph"),
    ("atom-ph", "physics.atom-ph"),
    ("bayes-an", "physics.data-an"),
    ("chem-ph", "physics.chem-ph"),
    ("plasm-ph", "physics.plasm-ph"),
    # Surrounding whitespace.
    ("  CV\n", "cs.CV"),
    ("\tstat.ml ", "stat.ML"),
    # Unknown.
    ("XYZ", None),
    ("", None),
    ("   ", None),
    ("cs.ML", None),
    ("cs", None),
    ("math", None),
    ("physics", None),
    ("astro-ph", None),
    ("cond-mat", None),
    ("cs.CV.extra", None),
    ("C V", None),
    ("CVMay 29", None),
]


@pytest.mark.parametrize(("code", "expected"), MAPPINGS, ids=[repr(c) for c, _ in MAPPINGS])
def test_normalize_category(code: str, expected: str | None) -> None:
    assert normalize_category(code) == expected


def test_mapping_table_has_no_duplicate_codes() -> None:
    codes = [code for code, _ in MAPPINGS]
    assert len(codes) == len(set(codes))


def test_every_seed_code_is_covered() -> None:
    # A listing line starts with the category code glued to a month name: "CVMay 29", "LGFeb 15".
    months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    pattern = re.compile(rf"^([A-Z][A-Z-]*?)(?:{months}) \d", re.MULTILINE)
    seen = {m.group(1) for path in SEEDS.glob("*.txt") for m in pattern.finditer(path.read_text())}
    assert seen == {"CV", "LG", "CL", "AI", "ML", "QUANT-PH"}
    covered = {code for code, _ in MAPPINGS}
    assert seen <= covered
    assert all(normalize_category(code) is not None for code in seen)


@pytest.mark.parametrize("category", sorted(ARXIV_CATEGORIES))
def test_every_category_maps_to_itself(category: str) -> None:
    assert normalize_category(category) == category
    assert normalize_category(category.upper()) == category
    assert normalize_category(category.lower()) == category


def _archive(category: str) -> str:
    return category.partition(".")[0]


# Categories per archive as listed on the taxonomy page (alias ids included).
OFFICIAL_COUNTS = {
    "cs": 40,
    "econ": 3,
    "eess": 4,
    "math": 32,
    "astro-ph": 6,
    "cond-mat": 9,
    "nlin": 5,
    "physics": 22,
    "q-bio": 10,
    "q-fin": 9,
    "stat": 6,
}


@pytest.mark.parametrize(("archive", "count"), OFFICIAL_COUNTS.items(), ids=list(OFFICIAL_COUNTS))
def test_taxonomy_size_per_archive(archive: str, count: int) -> None:
    current = [c for c in ARXIV_CATEGORIES if _archive(c) == archive]
    alias_ids = [a for a in ALIASES if "." in a and _archive(a) == archive]
    assert len(current) + len(alias_ids) == count


def test_taxonomy_totals() -> None:
    by_archive = Counter(_archive(c) for c in ARXIV_CATEGORIES)
    assert by_archive["cs"] == 38  # cs.NA and cs.SY are alias ids
    assert by_archive["math"] == 30  # math.IT and math.MP are alias ids
    assert by_archive["stat"] == 5  # stat.TH is an alias id
    assert by_archive["q-fin"] == 8  # q-fin.EC is an alias id
    standalone = {c for c in ARXIV_CATEGORIES if "." not in c}
    assert standalone == {
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math-ph",
        "nucl-ex",
        "nucl-th",
        "quant-ph",
    }
    assert len(ARXIV_CATEGORIES) == 149
    assert len(ARXIV_CATEGORIES) + sum("." in a for a in ALIASES) == 155


def test_names() -> None:
    assert ARXIV_CATEGORIES["cs.CV"] == "Computer Vision and Pattern Recognition"
    assert ARXIV_CATEGORIES["cs.LG"] == "Machine Learning"
    assert ARXIV_CATEGORIES["stat.ML"] == "Machine Learning"
    assert ARXIV_CATEGORIES["quant-ph"] == "Quantum Physics"
    assert ARXIV_CATEGORIES["astro-ph.GA"] == "Astrophysics of Galaxies"
    assert ARXIV_CATEGORIES["hep-th"] == "High Energy Physics - Theory"
    assert ARXIV_CATEGORIES["physics.data-an"] == "Data Analysis, Statistics and Probability"
    assert all(name and name == name.strip() for name in ARXIV_CATEGORIES.values())


def test_aliases_point_at_current_categories() -> None:
    assert len(ALIASES) == 24
    assert all(target in ARXIV_CATEGORIES for target in ALIASES.values())
    assert not set(ALIASES) & set(ARXIV_CATEGORIES)
    for alias, target in ALIASES.items():
        assert normalize_category(alias) == target
        assert normalize_category(alias.upper()) == target


def test_ids_are_well_formed() -> None:
    subject = r"(?:[A-Z]{2}|[a-z]+(?:-[a-z]+)?)"
    pattern = re.compile(rf"[a-z]+(?:-[a-z]+)?(?:\.{subject})?")
    assert all(pattern.fullmatch(c) for c in ARXIV_CATEGORIES)


def test_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        ARXIV_CATEGORIES["cs.XX"] = "nope"  # type: ignore[index]
    with pytest.raises(TypeError):
        ALIASES["cs.XX"] = "cs.CV"  # type: ignore[index]
