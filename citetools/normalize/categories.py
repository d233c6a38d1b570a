"""arXiv subject categories: listing codes (``CV``, ``QUANT-PH``) -> canonical ids (``cs.CV``).

Listing pages show a paper's primary category as a bare upper-case code glued before the date
(``CVMay 29``). :func:`normalize_category` turns such a code, or a full id in any case, into the
canonical arXiv id, using the official category taxonomy (https://arxiv.org/category_taxonomy).

Lookup order for a stripped, case-folded code:

1. an exact current id: ``cs.cv`` -> ``cs.CV``, ``Quant-Ph`` -> ``quant-ph``;
2. an alias id or a retired archive: ``cs.NA`` -> ``math.NA``, ``stat.TH`` -> ``math.ST``,
   ``cmp-lg`` -> ``cs.CL``, ``chao-dyn`` -> ``nlin.CD``;
3. a bare subject (the part after the dot): ``CV`` -> ``cs.CV``, ``GA`` -> ``astro-ph.GA``,
   ``stat-mech`` -> ``cond-mat.stat-mech``.

Precedence for a bare subject shared by several categories: current categories before alias
ids (a paper's primary category is never an alias id, so its listing code is the subject of a
current one); then archive ``cs``, then ``stat``, then ``eess``, then ``math``, then the other
archives in alphabetical order. An alias id matched this way resolves to its current id. So
``CV`` -> ``cs.CV`` (not ``math.CV``), ``IT`` -> ``cs.IT``, ``LO`` -> ``cs.LO``,
``SP`` -> ``eess.SP``, ``CO`` -> ``stat.CO``, ``AP`` -> ``stat.AP``, ``GN`` -> ``math.GN``,
``NA`` -> ``math.NA``, ``SY`` -> ``eess.SY``, ``TH`` -> ``econ.TH`` (not the alias
``stat.TH``), while ``EC`` -> ``q-fin.EC`` -> ``econ.GN`` and ``MP`` -> ``math.MP`` ->
``math-ph`` only through their alias ids. ``ML`` exists only in ``stat``, so it gives
``stat.ML`` (there is no ``cs.ML``).

The legacy archive-wide ids of archives that have subjects (``astro-ph``, ``cond-mat``,
``q-bio``, ``cs``, ``math``, ...) are not categories and give ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# Every current category of the official taxonomy, alias ids excluded (see _ALIAS_IDS).
_NAMES: Final[dict[str, str]] = {
    # Astrophysics
    "astro-ph.CO": "Cosmology and Nongalactic Astrophysics",
    "astro-ph.EP": "Earth and Planetary Astrophysics",
    "astro-ph.GA": "Astrophysics of Galaxies",
    "astro-ph.HE": "High Energy Astrophysical Phenomena",
    "astro-ph.IM": "Instrumentation and Methods for Astrophysics",
    "astro-ph.SR": "Solar and Stellar Astrophysics",
    # Condensed Matter
    "cond-mat.dis-nn": "Disordered Systems and Neural Networks",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics",
    "cond-mat.mtrl-sci": "Materials Science",
    "cond-mat.other": "Other Condensed Matter",
    "cond-mat.quant-gas": "Quantum Gases",
    "cond-mat.soft": "Soft Condensed Matter",
    "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.supr-con": "Superconductivity",
    # Computer Science
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CC": "Computational Complexity",
    "cs.CE": "Computational Engineering, Finance, and Science",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.ET": "Emerging Technologies",
    "cs.FL": "Formal Languages and Automata Theory",
    "cs.GL": "General Literature",
    "cs.GR": "Graphics",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.MM": "Multimedia",
    "cs.MS": "Mathematical Software",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.OH": "Other Computer Science",
    "cs.OS": "Operating Systems",
    "cs.PF": "Performance",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SC": "Symbolic Computation",
    "cs.SD": "Sound",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    # Economics
    "econ.EM": "Econometrics",
    "econ.GN": "General Economics",
    "econ.TH": "Theoretical Economics",
    # Electrical Engineering and Systems Science
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control",
    # Physics archives without subjects
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "quant-ph": "Quantum Physics",
    # Mathematics
    "math.AC": "Commutative Algebra",
    "math.AG": "Algebraic Geometry",
    "math.AP": "Analysis of PDEs",
    "math.AT": "Algebraic Topology",
    "math.CA": "Classical Analysis and ODEs",
    "math.CO": "Combinatorics",
    "math.CT": "Category Theory",
    "math.CV": "Complex Variables",
    "math.DG": "Differential Geometry",
    "math.DS": "Dynamical Systems",
    "math.FA": "Functional Analysis",
    "math.GM": "General Mathematics",
    "math.GN": "General Topology",
    "math.GR": "Group Theory",
    "math.GT": "Geometric Topology",
    "math.HO": "History and Overview",
    "math.KT": "K-Theory and Homology",
    "math.LO": "Logic",
    "math.MG": "Metric Geometry",
    "math.NA": "Numerical Analysis",
    "math.NT": "Number Theory",
    "math.OA": "Operator Algebras",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.QA": "Quantum Algebra",
    "math.RA": "Rings and Algebras",
    "math.RT": "Representation Theory",
    "math.SG": "Symplectic Geometry",
    "math.SP": "Spectral Theory",
    "math.ST": "Statistics Theory",
    # Nonlinear Sciences
    "nlin.AO": "Adaptation and Self-Organizing Systems",
    "nlin.CD": "Chaotic Dynamics",
    "nlin.CG": "Cellular Automata and Lattice Gases",
    "nlin.PS": "Pattern Formation and Solitons",
    "nlin.SI": "Exactly Solvable and Integrable Systems",
    # Physics
    "physics.acc-ph": "Accelerator Physics",
    "physics.ao-ph": "Atmospheric and Oceanic Physics",
    "physics.app-ph": "Applied Physics",
    "physics.atm-clus": "Atomic and Molecular Clusters",
    "physics.atom-ph": "Atomic Physics",
    "physics.bio-ph": "Biological Physics",
    "physics.chem-ph": "Chemical Physics",
    "physics.class-ph": "Classical Physics",
    "physics.comp-ph": "Computational Physics",
    "physics.data-an": "Data Analysis, Statistics and Probability",
    "physics.ed-ph": "Physics Education",
    "physics.flu-dyn": "Fluid Dynamics",
    "physics.gen-ph": "General Physics",
    "physics.geo-ph": "Geophysics",
    "physics.hist-ph": "History and Philosophy of Physics",
    "physics.ins-det": "Instrumentation and Detectors",
    "physics.med-ph": "Medical Physics",
    "physics.optics": "Optics",
    "physics.plasm-ph": "Plasma Physics",
    "physics.pop-ph": "Popular Physics",
    "physics.soc-ph": "Physics and Society",
    "physics.space-ph": "Space Physics",
    # Quantitative Biology
    "q-bio.BM": "Biomolecules",
    "q-bio.CB": "Cell Behavior",
    "q-bio.GN": "Genomics",
    "q-bio.MN": "Molecular Networks",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.OT": "Other Quantitative Biology",
    "q-bio.PE": "Populations and Evolution",
    "q-bio.QM": "Quantitative Methods",
    "q-bio.SC": "Subcellular Processes",
    "q-bio.TO": "Tissues and Organs",
    # Quantitative Finance
    "q-fin.CP": "Computational Finance",
    "q-fin.GN": "General Finance",
    "q-fin.MF": "Mathematical Finance",
    "q-fin.PM": "Portfolio Management",
    "q-fin.PR": "Pricing of Securities",
    "q-fin.RM": "Risk Management",
    "q-fin.ST": "Statistical Finance",
    "q-fin.TR": "Trading and Market Microstructure",
    # Statistics
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning",
    "stat.OT": "Other Statistics",
}

# Official category aliases (the alias id is listed on the taxonomy page; papers carry the other).
_ALIAS_IDS: Final[dict[str, str]] = {
    "cs.NA": "math.NA",
    "cs.SY": "eess.SY",
    "math.IT": "cs.IT",
    "math.MP": "math-ph",
    "q-fin.EC": "econ.GN",
    "stat.TH": "math.ST",
}

# Retired archives, each subsumed by one current category.
_RETIRED_ARCHIVES: Final[dict[str, str]] = {
    "acc-phys": "physics.acc-ph",
    "adap-org": "nlin.AO",
    "alg-geom": "math.AG",
    "ao-sci": "physics.ao-ph",
    "atom-ph": "physics.atom-ph",
    "bayes-an": "physics.data-an",
    "chao-dyn": "nlin.CD",
    "chem-ph": "physics.chem-ph",
    "cmp-lg": "cs.CL",
    "comp-gas": "nlin.CG",
    "dg-ga": "math.DG",
    "funct-an": "math.FA",
    "mtrl-th": "cond-mat.mtrl-sci",
    "patt-sol": "nlin.PS",
    "plasm-ph": "physics.plasm-ph",
    "q-alg": "math.QA",
    "solv-int": "nlin.SI",
    "supr-con": "cond-mat.supr-con",
}

# Archives preferred, in this order, when a bare subject exists in several archives.
_PREFERRED_ARCHIVES: Final[tuple[str, ...]] = ("cs", "stat", "eess", "math")

ARXIV_CATEGORIES: Final[Mapping[str, str]] = MappingProxyType(_NAMES)
ALIASES: Final[Mapping[str, str]] = MappingProxyType(_ALIAS_IDS | _RETIRED_ARCHIVES)


def _precedence(category: str) -> tuple[bool, int, str]:
    """Sort key: current ids before alias ids, preferred archives first, the rest alphabetically."""
    archive = category.partition(".")[0]
    rank = len(_PREFERRED_ARCHIVES)
    if archive in _PREFERRED_ARCHIVES:
        rank = _PREFERRED_ARCHIVES.index(archive)
    return (category in _ALIAS_IDS, rank, archive)


def _build_lookup() -> dict[str, str]:
    """Case-folded code -> canonical id, for ids, aliases and bare subjects alike."""
    lookup: dict[str, str] = {}
    for category in sorted([*_NAMES, *_ALIAS_IDS], key=_precedence):
        _, dot, subject = category.partition(".")
        if dot:
            lookup.setdefault(subject.casefold(), ALIASES.get(category, category))
    # Aliases and exact ids win over bare subjects.
    lookup.update((alias.casefold(), target) for alias, target in ALIASES.items())
    lookup.update((category.casefold(), category) for category in _NAMES)
    return lookup


_LOOKUP: Final[dict[str, str]] = _build_lookup()


def normalize_category(code: str) -> str | None:
    """Canonical arXiv id for a listing code or an id in any case; None when unknown."""
    return _LOOKUP.get(code.strip().casefold())
