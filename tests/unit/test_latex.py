"""Tests for citetools.normalize.latex: plain text -> BibTeX-safe LaTeX and back."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from citetools.normalize.latex import decode, escape, escape_text

# --- escape: ASCII specials ----------------------------------------------------------------

SPECIALS = [
    ("&", r"{\&}"),
    ("%", r"{\%}"),
    ("$", r"{\$}"),
    ("#", r"{\#}"),
    ("_", r"{\_}"),
    ("{", r"{\textbraceleft}"),
    ("}", r"{\textbraceright}"),
    ("~", r"{\textasciitilde}"),
    ("^", r"{\textasciicircum}"),
    ("\\", r"{\textbackslash}"),
]


@pytest.mark.parametrize(("char", "expected"), SPECIALS, ids=[c for c, _ in SPECIALS])
def test_escape_ascii_special(char, expected):
    assert escape(char) == expected
    assert escape(f"a{char}b") == f"a{expected}b"


def test_escape_all_specials_together():
    assert escape(r"&%$#_{}~^\ ") == (
        r"{\&}{\%}{\$}{\#}{\_}{\textbraceleft}{\textbraceright}"
        r"{\textasciitilde}{\textasciicircum}{\textbackslash} "
    )


PLAIN_ASCII = [
    "",
    "Efficient Frequency Bridging",
    "Lumos-Nexus: Efficient Frequency Bridging with Homogeneous Latent Space",
    "How Far Are We from Intelligent Visual Deductive Reasoning?",
    "pages 1--10, 'quoted' \"double\" (x) [y] <z> @ ! * + = | / ; . , : -",
    "0123456789",
]


@pytest.mark.parametrize("text", PLAIN_ASCII, ids=[repr(t[:20]) for t in PLAIN_ASCII])
def test_escape_leaves_ordinary_ascii_alone(text):
    assert escape(text) == text


CONTROLS = [
    ("a\x00b", "ab"),
    ("a\x07b", "ab"),
    ("a\x1bb", "ab"),
    ("a\x1fb", "ab"),
    ("a\x7fb", "ab"),
    ("a\x80b", "ab"),
    ("a\x9fb", "ab"),
    ("a\tb", "a b"),
    ("a\nb", "a b"),
    ("a\rb", "a b"),
    ("a\r\nb", "a  b"),
    ("\x00\x01\x02", ""),
    ("Zo\x00\u00eb", 'Zo{\\"e}'),
]


@pytest.mark.parametrize(("text", "expected"), CONTROLS, ids=[repr(t) for t, _ in CONTROLS])
def test_escape_control_characters(text, expected):
    assert escape(text) == expected


# --- escape: non-ASCII ---------------------------------------------------------------------

UNICODE = [
    ("Łukasz", r"{\L}ukasz"),
    ("łódź", r"{\l}{\'o}d{\'z}"),
    ("Zoë", r"Zo{\"e}"),
    ("Müller", r"M{\"u}ller"),
    ("François", r"Fran{\c{c}}ois"),
    ("Søren", r"S{\o}ren"),
    ("Straße", r"Stra{\ss}e"),
    ("café", r"caf{\'e}"),
    ("ÉCOLE", r"{\'E}COLE"),
    ("α", r"{\ensuremath{\alpha}}"),
    ("Ω-net", r"{\ensuremath{\Omega}}-net"),
    ("β & γ", r"{\ensuremath{\beta}} {\&} {\ensuremath{\gamma}}"),
    ("深度学习", "深度学习"),
    ("深度学习 & 50%", r"深度学习 {\&} 50{\%}"),
    ("日本語のテキスト", "日本語のテキスト"),
]


@pytest.mark.parametrize(("text", "expected"), UNICODE, ids=[t for t, _ in UNICODE])
def test_escape_non_ascii(text, expected):
    assert escape(text) == expected


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("ő", {r"{\H{o}}", "ő"}),
        ("ű", {r"{\H{u}}", "ű"}),
        ("Ű", {r"{\H{U}}", "Ű"}),
    ],
    ids=["o-double-acute", "u-double-acute", "U-double-acute"],
)
def test_escape_double_acute_is_not_spelt_as_acute(text, allowed):
    # \' would typeset ú instead of ű: only the Hungarian accent \H or UTF-8 itself are right.
    assert escape(text) in allowed


GREEK_LETTERS = [
    chr(code) for code in range(0x370, 0x400) if unicodedata.category(chr(code)).startswith("L")
]


@pytest.mark.parametrize("char", GREEK_LETTERS, ids=[f"U+{ord(c):04X}" for c in GREEK_LETTERS])
def test_escape_greek_letter_is_math_wrapped_or_utf8(char):
    out = escape(char)
    assert out == char or out.startswith(r"{\ensuremath{"), out


@pytest.mark.parametrize("char", ["♭", "♯", "♮"], ids=["flat", "sharp", "natural"])
def test_escape_music_signs_are_not_bare_math_symbols(char):
    # \flat, \sharp and \natural are math symbols: bare in text they stop pdflatex.
    out = escape(char)
    assert out == char or out.startswith(r"{\ensuremath{"), out


# --- escape_text: math symbols in dollars (titles, abstracts) --------------------------------

# Zotero's BibTeX importer reads $\sigma$ (its table), not \ensuremath{\sigma} (kept as text).
TEXT_MATH = [
    ("σReparam", r"{$\sigma$}Reparam"),
    ("4∼14 ∈ ⊤", r"4{$\sim$}14 {$\in$} {$\top$}"),
    ("Łukasz & ΔW", r"{\L}ukasz {\&} {$\Delta$}W"),
    # Dollars the text holds stay text: only the table's spellings open math.
    ("$\\sigma$ σ", r"{\$}{\textbackslash}sigma{\$} {$\sigma$}"),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_MATH, ids=[t for t, _ in TEXT_MATH])
def test_escape_text_writes_math_symbols_in_dollars(text, expected):
    assert escape_text(text) == expected
    assert decode(expected) == text


_DOLLAR_SPAN = re.compile(r"\{\$[^$]*\$\}")


@given(st.text())
@example("σ$\\sigma$∼")
def test_escape_text_is_escape_with_math_in_dollars(text):
    """A per-character map that differs from escape() only where escape() writes
    ``{\\ensuremath{X}}``: then ``{$X$}``. So nothing else can open math."""
    out = escape_text(text)
    assert out == "".join(map(escape_text, text))
    for char in text:
        spelling = escape(char)
        if spelling.startswith("{\\ensuremath{"):
            assert escape_text(char) == "{$" + spelling[len("{\\ensuremath{") : -2] + "$}"
        else:
            assert escape_text(char) == spelling
    assert not re.search(r"(?<!\\)[%$#&]", _DOLLAR_SPAN.sub("", out))


# --- escape: hostile input -----------------------------------------------------------------

# Everything escape emits for ASCII input: braced commands for the ten specials.
_EMITTED = re.compile(
    r"\{\\(?:textbackslash|textbraceleft|textbraceright|textasciitilde|textasciicircum"
    r"|[&%$#_])\}"
)

HOSTILE = [
    (r"\input{/etc/passwd}", r"{\textbackslash}input{\textbraceleft}/etc/passwd{\textbraceright}"),
    ("}, note = {x", r"{\textbraceright}, note = {\textbraceleft}x"),
    ("100%", r"100{\%}"),
    ("@misc{x,", r"@misc{\textbraceleft}x,"),
    ("}}}}", r"{\textbraceright}" * 4),
    ("{{{{", r"{\textbraceleft}" * 4),
    ("$x^2$", r"{\$}x{\textasciicircum}2{\$}"),
    (r"\\", r"{\textbackslash}{\textbackslash}"),
    ("\\", r"{\textbackslash}"),
    ("\\}", r"{\textbackslash}{\textbraceright}"),
    (r"\end{document}", r"{\textbackslash}end{\textbraceleft}document{\textbraceright}"),
    ("#1 & _x_ ~ ^", r"{\#}1 {\&} {\_}x{\_} {\textasciitilde} {\textasciicircum}"),
    ('title = "x"', 'title = "x"'),
]


def _assert_balanced(latex):
    depth = 0
    for i, char in enumerate(latex):
        depth += char == "{"
        depth -= char == "}"
        assert depth >= 0, f"brace depth negative at {i} in {latex!r}"
    assert depth == 0, f"unclosed group in {latex!r}"


@pytest.mark.parametrize(("text", "expected"), HOSTILE, ids=[repr(t) for t, _ in HOSTILE])
def test_escape_hostile(text, expected):
    out = escape(text)
    assert out == expected
    _assert_balanced(out)
    rest = _EMITTED.sub("", out)
    # Nothing outside the emitted commands is special to LaTeX or BibTeX.
    assert not re.search(r"[\\{}%$#&_~^]", rest), rest
    assert decode(out) == text


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_escape_ascii_only_emits_known_commands(text):
    out = escape(text)
    _assert_balanced(out)
    rest = _EMITTED.sub("", out)
    assert not re.search(r"[\\{}%$#&_~^]", rest)
    # Control characters are gone.
    assert all(ord(c) >= 0x20 and c != "\x7f" for c in out)


@given(st.text())
def test_escape_any_text_is_safe(text):
    out = escape(text)
    _assert_balanced(out)
    # No comment, math shift, parameter or alignment character outside a command.
    assert not re.search(r"(?<!\\)[%$#&]", out)
    # No control character survives.
    assert not any(unicodedata.category(c) == "Cc" for c in out)


# --- decode ---------------------------------------------------------------------------------

DECODE = [
    (r"M{\"u}ller", "Müller"),
    (r"M\"{u}ller", "Müller"),
    (r"\"{u}", "ü"),
    (r"\"u", "ü"),
    (r"{\'e}", "é"),
    (r"Caf\'{e}", "Café"),
    (r"{\L}ukasz", "Łukasz"),
    (r"Fran{\c{c}}ois", "François"),
    (r"Fran\c{c}ois", "François"),
    (r"S{\o}ren", "Søren"),
    (r"Stra{\ss}e", "Straße"),
    (r"Zo{\"e}", "Zoë"),
    ("{BOOT}", "BOOT"),
    ("{BOOT}: Data-free Distillation", "BOOT: Data-free Distillation"),
    ("{DyDiT}++: Dynamic", "DyDiT++: Dynamic"),
    ("{{ViT}} Adaptation", "ViT Adaptation"),
    (r"Fast \& Furious", "Fast & Furious"),
    (r"Fast {\&} Furious", "Fast & Furious"),
    (r"100\%", "100%"),
    (r"50{\%} of {\$}5", "50% of $5"),
    (r"\#1 and a{\_}b", "#1 and a_b"),
    (r"{\textbackslash}input", "\\input"),
    (r"{\textbraceleft}x{\textbraceright}", "{x}"),
    (r"{\textasciitilde}{\textasciicircum}", "~^"),
    (r"$\alpha$-divergence", "α-divergence"),
    (r"{\ensuremath{\alpha}}", "α"),
    ("Fig.~1", "Fig.\u00a01"),
    # Dashes and quotes written with ASCII ligatures stay as written.
    ("pages 1--10", "pages 1--10"),
    ("A---B", "A---B"),
    ("``quoted''", "``quoted''"),
    ("{BOOT} -- {ViT}", "BOOT -- ViT"),
    ("{BOOT} --- {ViT}", "BOOT --- ViT"),
    ("``{BOOT}''", "``BOOT''"),
    (r"M{\"u}ller -- ``x'' --- y", "Müller -- ``x'' --- y"),
    ("plain text", "plain text"),
    ("", ""),
]


@pytest.mark.parametrize(("latex", "expected"), DECODE, ids=[d for d, _ in DECODE])
def test_decode(latex, expected):
    assert decode(latex) == expected


def test_decode_gives_composed_characters():
    out = decode(r"M{\"u}ller Fran{\c{c}}ois")
    assert out == unicodedata.normalize("NFC", out)


# --- round trip ------------------------------------------------------------------------------

ROUND_TRIP = [
    "Łukasz Kaiser",
    "Zoë Müller",
    "François & Søren: 50% of $5 for #1",
    r"$\sim$ 3x faster",
    r"\input{/etc/passwd}",
    "}, note = {x",
    "@misc{x,",
    "trailing %",
    "RAPID^3 ~ x_1",
    "深度学习 α β",
    "en – dash, em — dash, “quotes” and ‘single’ … ellipsis",
    "pages 1--10 ``x'' ---",
    "Straße ÉCOLE",
    "Gábor Szűcs, Pál Erdős",
    "CO₂ reduction at −5 °C",
    "x² + y²",
]


@pytest.mark.parametrize("text", ROUND_TRIP, ids=ROUND_TRIP)
def test_decode_escape_round_trip_examples(text):
    assert decode(escape(text)) == text


# Text without C0/C1 control characters (and without lone surrogates, which are not text), in
# NFC as records hold it (clean_text normalizes; decode returns NFC).
printable_text = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs"))).map(
    lambda text: unicodedata.normalize("NFC", text)
)


@given(printable_text)
@example("Łukasz Kaiser")
@example(r"\input{/etc/passwd}")
@example("a  b & c")
@example("CO₂ reduction, x² and ⅓ at −5 °C")
@example("Gábor Szűcs and Ħ ŀ ĸ ŉ")
@example(" leading and trailing {} ")
def test_decode_escape_round_trip(text):
    assert decode(escape(text)) == text
    assert decode(escape_text(text)) == text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"The {\TeX}book", "The TeXbook"),
        (r"The {\METAFONT}book", "The METAFONTbook"),
        (r"\LaTeX\ and {\AmS}-\LaTeX", "LaTeX and AMS-LaTeX"),
        (r"\BibTeX{} and \LaTeXe", "BibTeX and LaTeX2e"),
        (r"\mbox{z w}", "z w"),
        (r"See \cite{k} and \citep[p.~3]{a,b}", r"See \cite{k} and \citep[p.~3]{a,b}"),
    ],
)
def test_decoding_keeps_logos_boxes_and_citations(latex, text):
    """Issue 15, point 2: the plain text of a .bib field (CSL-JSON, RIS, keys, duplicates)
    loses no command's meaning: "The {\\TeX}book" was "The book", which then looked like
    "The {\\METAFONT}book"."""
    assert decode(latex) == text
