"""Tests for citetools.normalize.titles: which words keep their case, and how titles are braced."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from citetools.normalize.latex import decode
from citetools.normalize.titles import (
    has_inherent_capitals,
    is_title_case,
    leading_name,
    protect_title,
    sentence_case,
)

# --- has_inherent_capitals -------------------------------------------------------------------

WORDS = [
    # Acronyms and mixed-case names.
    ("BOOT", True),
    ("DyDiT", True),
    ("ViT", True),
    ("GPUs", True),
    ("LLMs", True),
    ("LoRA", True),
    ("AdaBelief", True),
    ("iPhone", True),
    ("PARTs", True),
    ("RAPID", True),
    ("DM", True),
    ("GAN", True),
    ("DMoE", True),
    ("Control3Diff", True),
    # Digits followed by capitals.
    ("3D", True),
    ("FP8", True),
    ("T2I", True),
    ("GPT4", True),
    # Single capital letters, except the article.
    ("K", True),
    ("I", True),
    ("X", True),
    ("A", False),  # the article, where it stands between spaces
    # Accented capitals.
    ("ÉCOLE", True),
    ("ÉcOLE", True),
    ("École", False),
    ("Ž", True),
    # Ordinary words.
    ("Efficient", False),
    ("Text", False),
    ("to", False),
    ("Image", False),
    ("Data", False),
    ("free", False),
    ("a", False),
    ("f", False),
    ("3", False),
    ("2nd", False),
    ("x86", False),
    ("über", False),
    ("Über", False),
    ("深度", False),
]


@pytest.mark.parametrize(("word", "expected"), WORDS, ids=[w for w, _ in WORDS])
def test_has_inherent_capitals(word, expected):
    assert has_inherent_capitals(word) is expected


@pytest.mark.parametrize(
    ("word", "article_position", "expected"),
    [("A", True, False), ("A", False, True), ("K", True, True), ("a", False, False)],
    ids=["A-article", "A-elsewhere", "K-article-position", "a-elsewhere"],
)
def test_has_inherent_capitals_article_position(word, article_position, expected):
    assert has_inherent_capitals(word, article_position=article_position) is expected


# --- protect_title ----------------------------------------------------------------------------

TITLES = [
    ("BOOT", "{BOOT}"),
    ("DyDiT++", "{DyDiT}++"),
    ("ViT", "{ViT}"),
    ("GPUs", "{GPUs}"),
    ("3D", "{3D}"),
    ("FP8", "{FP8}"),
    ("T2I", "{T2I}"),
    ("RAPID^3", r"{RAPID}{\textasciicircum}3"),
    ("f-DM", "f-{DM}"),
    ("K-Amplitude", "{K}-Amplitude"),
    ("Text-to-Image", "Text-to-Image"),
    ("A", "{A}"),  # a title that is only "A" ends in it: not the article
    ("A Practical Guide", "A Practical Guide"),
    ("Visual Q&A", r"Visual {Q}{\&}{A}"),
    ("A* Search", "{A}* Search"),
    ("A/B Testing", "{A}/{B} Testing"),
    ("I", "{I}"),
    ("Efficient", "Efficient"),
    ("Efficient Frequency Bridging", "Efficient Frequency Bridging"),
    ("ÉCOLE", r"{{\'E}COLE}"),
    ("École Normale", r"{\'E}cole Normale"),
    ("", ""),
    # Titles from the seed listings.
    (
        "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping",
        "{BOOT}: Data-free Distillation of Denoising Diffusion Models with Bootstrapping",
    ),
    (
        "DyDiT++: Dynamic Diffusion Transformers for Efficient Visual Generation",
        "{DyDiT}++: Dynamic Diffusion Transformers for Efficient Visual Generation",
    ),
    (
        "RAPID^3: Tri-Level Reinforced Acceleration Policies for Diffusion Transformer",
        r"{RAPID}{\textasciicircum}3: Tri-Level Reinforced Acceleration Policies for"
        " Diffusion Transformer",
    ),
    (
        "f-DM: A Multi-stage Diffusion Model via Progressive Signal Transformation",
        "f-{DM}: A Multi-stage Diffusion Model via Progressive Signal Transformation",
    ),
    (
        "Flow Along the K-Amplitude for Generative Modeling",
        "Flow Along the {K}-Amplitude for Generative Modeling",
    ),
    (
        "Few-Step Distillation for Text-to-Image Generation: A Practical Guide",
        "Few-Step Distillation for Text-to-Image Generation: A Practical Guide",
    ),
    (
        "Inferix: A Block-Diffusion based Next-Generation Inference Engine for World Simulation",
        "Inferix: A Block-Diffusion based Next-Generation Inference Engine for World Simulation",
    ),
    (
        "Control3Diff: Learning Controllable 3D Diffusion Models from Single-view Images",
        "{Control3Diff}: Learning Controllable {3D} Diffusion Models from Single-view Images",
    ),
    (
        "AutoFocusFormer: Image Segmentation off the Grid",
        "{AutoFocusFormer}: Image Segmentation off the Grid",
    ),
    (
        "PLANNER: Generating Diversified Paragraph via Latent Language Diffusion Model",
        "{PLANNER}: Generating Diversified Paragraph via Latent Language Diffusion Model",
    ),
    (
        "GAUDI: A Neural Architect for Immersive 3D Scene Generation",
        "{GAUDI}: A Neural Architect for Immersive {3D} Scene Generation",
    ),
    (
        "How PARTs assemble into wholes: Learning the relative composition of images",
        "How {PARTs} assemble into wholes: Learning the relative composition of images",
    ),
    (
        "How Far Are We from Intelligent Visual Deductive Reasoning?",
        "How Far Are We from Intelligent Visual Deductive Reasoning?",
    ),
    (
        "Dynamic Tuning Towards Parameter and Inference Efficiency for ViT Adaptation",
        "Dynamic Tuning Towards Parameter and Inference Efficiency for {ViT} Adaptation",
    ),
    (
        "HRP: High-Rank Preheating for Superior LoRA Initialization",
        "{HRP}: High-Rank Preheating for Superior {LoRA} Initialization",
    ),
    (
        "Two at Once: Enhancing Learning and Generalization Capacities via IBN-Net",
        "Two at Once: Enhancing Learning and Generalization Capacities via {IBN}-Net",
    ),
    (
        "Meta-DMoE: Adapting to Domain Shift by Meta-Distillation from Mixture-of-Experts",
        "{Meta-DMoE}: Adapting to Domain Shift by Meta-Distillation from Mixture-of-Experts",
    ),
    (
        "Fira: Can We Achieve Full-rank Training of LLMs Under Low-rank Constraint?",
        "Fira: Can We Achieve Full-rank Training of {LLMs} Under Low-rank Constraint?",
    ),
    (
        "Adan: Adaptive Nesterov Momentum Algorithm for Faster Optimizing Deep Models",
        "Adan: Adaptive {Nesterov} Momentum Algorithm for Faster Optimizing Deep Models",
    ),
    (
        "Revisiting Domain-Adaptive 3D Object Detection by Reliable, Diverse and Class-balanced"
        " Pseudo-Labeling",
        "Revisiting Domain-Adaptive {3D} Object Detection by Reliable, Diverse and"
        " Class-balanced Pseudo-Labeling",
    ),
    # Specials in titles are escaped, never LaTeX.
    ("50% Faster & Cheaper", r"50{\%} Faster {\&} Cheaper"),
    (
        r"$\sim$ 3x {BOOT}",
        r"{\$}{\textbackslash}sim{\$} 3x {\textbraceleft}{BOOT}{\textbraceright}",
    ),
    ("Zoë's ÉCOLE", r"Zo{\"e}'s {{\'E}COLE}"),
    ("深度学习 for 3D", "深度学习 for {3D}"),
]


@pytest.mark.parametrize(("title", "expected"), TITLES, ids=[t[:40] for t, _ in TITLES])
def test_protect_title(title, expected):
    assert protect_title(title) == expected


@pytest.mark.parametrize("title", [t for t, _ in TITLES], ids=[t[:40] for t, _ in TITLES])
def test_protect_title_decodes_back_and_is_applied_once(title):
    protected = protect_title(title)
    assert decode(protected) == title
    assert protect_title(decode(protected)) == protected


# --- what a BibTeX style makes of it -----------------------------------------------------------


def _sentence_case(latex):
    """BibTeX's ``change.case$`` with "t", for ASCII titles: letters outside braces are lowered,
    except the first character and a character after a colon and white space."""
    out = []
    depth = 0
    for i, char in enumerate(latex):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and i > 0 and not re.search(r":\s+$", latex[:i]):
            char = char.lower()
        out.append(char)
    return "".join(out)


SENTENCE_CASE = [
    (
        "BOOT: Data-free Distillation of Denoising Diffusion Models with Bootstrapping",
        "BOOT: Data-free distillation of denoising diffusion models with bootstrapping",
    ),
    (
        "Dynamic Tuning Towards Parameter and Inference Efficiency for ViT Adaptation",
        "Dynamic tuning towards parameter and inference efficiency for ViT adaptation",
    ),
    (
        "Flow Along the K-Amplitude for Generative Modeling",
        "Flow along the K-amplitude for generative modeling",
    ),
    (
        "Few-Step Distillation for Text-to-Image Generation: A Practical Guide",
        "Few-step distillation for text-to-image generation: A practical guide",
    ),
    ("Training 3D GANs on GPUs with FP8", "Training 3D GANs on GPUs with FP8"),
    ("What Am I Missing", "What am I missing"),
    ("Efficient T2I with a ViT", "Efficient T2I with a ViT"),
    ("Benchmarks for Visual Q&A", "Benchmarks for visual Q&A"),
    ("Revisiting A* Search", "Revisiting A* search"),
    ("Online A/B Testing", "Online A/B testing"),
    ("A-Star Search", "A-star search"),
    pytest.param(
        "Effects of Vitamin A",
        "Effects of vitamin A",
    ),
]


@pytest.mark.parametrize(
    ("title", "expected"),
    SENTENCE_CASE,
    ids=[(c.values[0] if hasattr(c, "values") else c[0])[:40] for c in SENTENCE_CASE],
)
def test_protected_title_survives_sentence_case(title, expected):
    assert decode(_sentence_case(protect_title(title))) == expected


# --- a hyphenated name opening the title ------------------------------------------------------

LEADING = [
    ("Lumos-Nexus: Efficient Frequency Bridging", "Lumos-Nexus", "a name before a colon"),
    ("Ada-Retrieval : An Adaptive Paradigm", "Ada-Retrieval", "a space before the colon"),
    ("One-for-All: Bridge the Gap", "One-for-All", "a small word inside"),
    ("Meta-DMoE: Adapting to Domain Shift", "Meta-DMoE", "a part with inherent capitals"),
    ("Adapt-infty: Scalable Tuning", None, "a part in lower case"),
    ("Lumos-1: On Video Generation", None, "a part that is a number"),
    ("Multi-Round Retrieval: A Study", None, "a compound not right before the colon"),
    ("Improving Lumos-Nexus: A Study", None, "not opening the title"),
    ("Text-to-Image Generation", None, "no colon"),
]


@pytest.mark.parametrize(("title", "name", "rule"), LEADING, ids=[c[2] for c in LEADING])
def test_leading_name(title, name, rule):
    span = leading_name(title)
    assert (title[span[0] : span[1]] if span else None) == name, rule


def test_protect_title_braces_a_leading_name_whole():
    assert protect_title("Lumos-Nexus: Efficient Frequency Bridging") == (
        "{Lumos-Nexus}: Efficient Frequency Bridging"
    )
    assert protect_title("Multi-Round Retrieval") == "Multi-Round Retrieval"


# --- sentence case (for CSL styles) ------------------------------------------------------------

SENTENCE = [
    ("Efficient Frequency Bridging", "Efficient frequency bridging", "words lowered"),
    ("Few-Step Distillation", "Few-step distillation", "hyphenated parts lowered"),
    ("Distillation: A Practical Guide", "Distillation: A practical guide", "after a colon"),
    ("How Far Are We? Towards Reasoning", "How far are we? Towards reasoning", "after a ?"),
    ("Tuning ViT and BOOT on GPUs", "Tuning ViT and BOOT on GPUs", "inherent capitals kept"),
    ("What Am I Missing", "What am I missing", "a single capital kept"),
    ("Sequential Monte Carlo Methods", "Sequential Monte Carlo methods", "terms kept"),
    ("Adversarial Fisher Vectors", "Adversarial Fisher vectors", "only the term's name kept"),
    ("Lumos-Nexus: Efficient Bridging", "Lumos-Nexus: Efficient bridging", "leading name kept"),
    ("Zoë and Über Models", "Zoë and über models", "non-ASCII words"),
    ("Nesterov's Momentum Method", "Nesterov's momentum method", "an apostrophe"),
    (
        "How PARTs assemble into wholes: Learning the relative composition",
        "How PARTs assemble into wholes: Learning the relative composition",
        "a sentence-case title is left as it is",
    ),
    (
        "Learning in Python with Stan for sparse data",
        "Learning in Python with Stan for sparse data",
        "capitals a sentence-case title has on purpose stay",
    ),
    ("", "", "empty"),
]


@pytest.mark.parametrize(("title", "expected", "rule"), SENTENCE, ids=[c[2] for c in SENTENCE])
def test_sentence_case(title, expected, rule):
    assert sentence_case(title) == expected, rule


def test_sentence_case_keeps_the_users_terms():
    from citetools.normalize.terms import DEFAULT_TERMS

    terms = DEFAULT_TERMS.extended(["Mean Teacher"])
    assert sentence_case("Robust Mean Teacher Models") == "Robust mean teacher models"
    assert sentence_case("Robust Mean Teacher Models", terms) == "Robust Mean Teacher models"


TITLE_CASE = [
    ("Efficient Frequency Bridging for Video Models", True, "Title Case"),
    ("Drawback of Enforcing Equivariance and its Compensation via the Lens", True, "one slip"),
    ("CausalAdv: Adversarial Robustness through the Lens of Causality", True, "prepositions"),
    ("Toward Real-world Single Image Deraining", True, "lower case after a hyphen"),
    ("Supervised domain adaptation for building extraction", False, "sentence case"),
    ("Domain penalisation for improved Out-of-Distribution Generalisation", False, "mixed"),
    ("Adversarial AutoMixup", False, "nothing to tell"),
]


@pytest.mark.parametrize(("title", "expected", "rule"), TITLE_CASE, ids=[c[2] for c in TITLE_CASE])
def test_is_title_case(title, expected, rule):
    assert is_title_case(title) is expected, rule


# --- properties --------------------------------------------------------------------------------

titles = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs"))).map(
    lambda text: unicodedata.normalize("NFC", text)
)


@given(titles)
@example("DyDiT++: RAPID^3 {x} 50% & f-DM")
@example("ÉCOLE Zoë 深度 α")
def test_protect_title_round_trip_property(title):
    protected = protect_title(title)
    assert decode(protected) == title
    assert protect_title(decode(protected)) == protected


@given(titles)
def test_protect_title_braces_balanced(title):
    depth = 0
    for char in protect_title(title):
        depth += char == "{"
        depth -= char == "}"
        assert depth >= 0
    assert depth == 0


@given(st.text(alphabet="aAbZz09 -'.:{}_", max_size=30))
@example("GPUs ViT 3D A Q&A aB9C")
def test_the_candidate_pattern_finds_the_words_of_its_plain_statement(title):
    """ASCII_CANDIDATE (written not to backtrack) matches where its plain statement does:
    whole words with a capital after the first character, and single capitals."""
    from citetools.normalize.titles import ASCII_CANDIDATE

    plain = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[A-Z][A-Za-z0-9]*|[A-Z](?![A-Za-z0-9]))")
    spans = [m.span() for m in ASCII_CANDIDATE.finditer(title)]
    assert spans == [m.span() for m in plain.finditer(title)]


@given(
    titles
    | st.lists(st.sampled_from(["A", "Ab", "ViT", "Monte", "Carlo", "İz", ":"])).map(" ".join)
)
@example("Über İstanbul Models and Data")
def test_sentence_case_only_lowers_letters_and_is_idempotent(title):
    converted = sentence_case(title)
    assert len(converted) == len(title)
    assert all(a == b or a == b.lower() for a, b in zip(converted, title, strict=True))
    assert sentence_case(converted) == converted
