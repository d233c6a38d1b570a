"""Tests for citetools.normalize.scraped: LaTeX scraped from listing pages -> plain text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetools.normalize.repair import brace_tokens, repair_markup
from citetools.normalize.scraped import decode_scraped

# --- known commands become text ---------------------------------------------------------------

DECODED = [
    ("sim", r"a factor of 4$\sim$14 times", "a factor of 4∼14 times"),
    ("infty", r"up to $\infty$ steps", "up to ∞ steps"),
    ("sigma-glued", r"we propose $\sigma$Reparam", "we propose σReparam"),
    ("unicode-math", "PixArt-$α$ and $ΔW$", "PixArt-α and ΔW"),
    ("times", r"a pooling window (e.g., $2\times 2$)", "a pooling window (e.g., 2×2)"),
    ("in", r"$k\in[1, T/2]$", "k∈[1, T/2]"),
    ("top", r"$BA^\top$", "BA^⊤"),
    ("textit", r"as \textit{entropy collapse}.", "as entropy collapse."),
    ("emph", r"the \emph{static} paradigm", "the static paradigm"),
    ("textbf-letters", r"\textbf{Dy}namic \textbf{Di}ffusion", "Dynamic Diffusion"),
    ("nested-fonts", r"\underline{\textbf{S}}mall VLM", "Small VLM"),
    ("texttt", r"on \texttt{WIKI-2}", "on WIKI-2"),
    ("math-alphabet", r"$p(\mathbf{x}|\mathbf{y})$", "p(x|y)"),
    ("group", r"a {to competitive performance} model", "a to competitive performance model"),
    ("percent-escaped", r"up to $186\%$ faster, 91\% pruned", "up to 186% faster, 91% pruned"),
    ("ampersand", r"NLP\&CC 2013", "NLP&CC 2013"),
    ("accent", r"Schr\"odinger and Erd\H{o}s", "Schrödinger and Erdős"),
    ("url", r"at \url{https://github.com/a/b_c}.", "at https://github.com/a/b_c."),
    ("href-same", r"\href{https://x.org/a}{https://x.org/a}", "https://x.org/a"),
    ("href-text", r"see \href{https://x.org/a}{our site}", "see our site (https://x.org/a)"),
    ("symbol-space", r"and so on \ldots and more", "and so on … and more"),
    ("group-over-words", r"in \emph{diffusion timesteps} and", "in diffusion timesteps and"),
    ("argument-after-space", r"a \textbf {bold} word", "a bold word"),
    (
        "footnote",
        r"solutions. \footnote{Code at https://x.org}",
        "solutions. [Code at https://x.org]",
    ),
]


@pytest.mark.parametrize(("latex", "text"), [c[1:] for c in DECODED], ids=[c[0] for c in DECODED])
def test_known_commands_become_text(latex, text):
    assert decode_scraped(latex) == text


# --- meaning kept: scripts keep their grouping ------------------------------------------------

SCRIPTS = [
    ("one-char", r"$O(n^2)$", "O(n^2)"),
    ("group-of-one", r"$z^{*}$", "z^*"),
    ("group", r"$2^{n+1}$", "2^(n+1)"),
    ("subscript", r"$\alpha_{ij}$", "α_(ij)"),
    ("outside-math", r"O(epsilon^{-3.5}) steps", "O(epsilon^(-3.5)) steps"),
    ("bare-caret", "RAPID^3: Tri-Level", "RAPID^3: Tri-Level"),
]


@pytest.mark.parametrize(("latex", "text"), [c[1:] for c in SCRIPTS], ids=[c[0] for c in SCRIPTS])
def test_scripts_keep_their_meaning(latex, text):
    assert decode_scraped(latex) == text


# --- unknown, unsafe or unspellable: kept exactly as written ----------------------------------

AS_WRITTEN = [
    ("cite", r"Softmax (BAGS\cite{li2020overcoming}) and"),
    ("citep", r"kNN-LM \citep{khandelwal20}"),
    ("ref", r"see \ref{fig:one}"),
    ("input", r"\input{/etc/passwd}"),
    ("today", r"as of \today"),
    ("section", r"\section{Intro} text"),
    ("write18-run", r"\immediate\write18{touch PWNED}"),
    ("def", r"\def\x{y}\x"),
    ("unknown-with-group", r"\foo{bar} baz"),
    ("unknown-inside-group", r"{\foo}x and \textbf{\foo}y"),
    ("argument-missing", r"a {\bar} b"),
    ("sqrt-unspellable", r"bound $\mathcal{O}(\log(T)/\sqrt{T})$ here"),
    ("hat-unspellable", r"estimate $\hat{x}$"),
    ("environment", r"\begin{itemize}\item a\end{itemize}"),
    ("end-alone", r"\end{document}"),
    ("trailing-backslash", "trailing backslash \\"),
    ("textbackslash", r"a \textbackslash alpha"),
    ("escaped-braces-in-math", r"samples $\{z^{*},y\}$ used"),
    ("dollars-as-text", r"costs \$5 and \$6"),
]


@pytest.mark.parametrize("latex", [c[1] for c in AS_WRITTEN], ids=[c[0] for c in AS_WRITTEN])
def test_unknown_unsafe_or_unspellable_stays_as_written(latex):
    assert decode_scraped(latex) == latex


def test_math_with_anything_unknown_stays_whole_the_rest_is_decoded():
    latex = r"$\mathcal{O}(\sqrt{T})$, where $k\in[1, T]$"
    assert decode_scraped(latex) == r"$\mathcal{O}(\sqrt{T})$, where k∈[1, T]"


# --- what is text in a listing stays text ------------------------------------------------------

TEXT = [
    ("percent", "a 69% improvement, 15% cost"),
    ("percent-then-brace", r"50% of \textbf{x}"),
    ("tilde", "~10x faster, x~y"),
    ("dashes-quotes", "a--b---c ``q'' d"),
    ("ampersand", "R&D"),
    ("underscore", "Winner_ECCV20_TAO"),
    ("lone-dollar", "costs $5 and more"),
]


@pytest.mark.parametrize("text", [c[1] for c in TEXT], ids=[c[0] for c in TEXT])
def test_text_characters_stay(text):
    out = decode_scraped(text)
    kept = text.replace(r"\textbf{x}", "x")
    assert out == kept


# --- stray markup: repaired or dropped, and said ------------------------------------------------

REPAIRS = [
    (
        "href-leftover",
        "Code is available at: https://github.com/a/LPA3}{https://github.com/a/LPA3.",
        "Code is available at: https://github.com/a/LPA3.",
        ["leftover link syntax"],
    ),
    (
        "href-leftover-with-text",
        "see https://a.org/x}{the site} now",
        "see https://a.org/x the site now",
        ["leftover link syntax", "an unpaired '}'"],
    ),
    (
        "closing-first",
        "closing } first {",
        "closing  first ",
        ["an unpaired '}'", "an unpaired '{'"],
    ),
    ("open", "a {b", "a b", ["an unpaired '{'"]),
    ("escaped", r"the set \{a, b", "the set a, b", [r"an unpaired '\\{'"]),
    ("escaped-backslash-is-no-escape", r"a\\}b", r"a\\b", ["an unpaired '}'"]),
]


@pytest.mark.parametrize(
    ("text", "repaired", "notes"), [c[1:] for c in REPAIRS], ids=[c[0] for c in REPAIRS]
)
def test_stray_markup_is_dropped_with_a_note(text, repaired, notes):
    result = repair_markup(text)
    assert result.text == repaired
    assert [n.split(" in ")[0] for n in result.notes] == notes
    assert all(">>" in n and "<<" in n for n in result.notes)  # where, in the text


def test_balanced_text_needs_no_repair():
    text = r"\href{https://x.org/a}{text} and {a \{b\}}"
    assert repair_markup(text) == (text, ())


def test_the_seed_href_leftover_decodes_to_the_address_once():
    text = "at: https://github.com/kai-wen-yang/LPA3}{https://github.com/kai-wen-yang/LPA3."
    assert decode_scraped(text) == "at: https://github.com/kai-wen-yang/LPA3."


def test_deep_nesting_is_kept_as_written_not_a_crash():
    text = "{" * 5000 + "x" + "}" * 5000
    assert decode_scraped(text) in (text, "x")


# --- properties -------------------------------------------------------------------------------

PIECES = [
    *(r"\{", r"\}", "{", "}", "$", r"\$", r"\%", "%", "\\\\", "\\", "^", "_", "~", "}{"),
    *(r"\alpha", r"\sim", r"\sqrt{", r"\textbf{", r"\foo", r"\textbackslash ", r"\url{"),
    *("x", "2", " ", "-", "é", "https://a.org/x"),
]
latexish = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


@given(latexish)
def test_decoding_twice_is_decoding_once(text):
    once = decode_scraped(text)
    assert decode_scraped(once) == once


@given(latexish)
def test_decoded_text_has_no_unbalanced_brace(text):
    depth = 0
    for char in decode_scraped(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


_BRACE_TOKENS = re.compile(r"\\[\\{}]|[{}]")  # what brace_tokens finds, as a pattern


@given(st.text(alphabet="\\{}ab $", max_size=40))
def test_brace_tokens_are_what_the_pattern_finds(text):
    expected = [(m.start(), m.group()) for m in _BRACE_TOKENS.finditer(text)]
    assert brace_tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("a {b} c", [(2, "{"), (4, "}")]),
        ("\\\\{x}", [(0, "\\\\"), (2, "{"), (4, "}")]),  # \\ then a brace that groups
        ("\\\\\\{", [(0, "\\\\"), (2, "\\{")]),  # \\ then an escaped brace
        ("\\a{", [(2, "{")]),  # a backslash before a letter: no token
        ("x\\", []),  # a last backslash
    ],
)
def test_brace_tokens_rules(text, tokens):
    assert brace_tokens(text) == tokens
