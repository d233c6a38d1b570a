"""The fast reader of common listing LaTeX (citetools.normalize.scraped_fast) gives exactly what
the pylatexenc decoder gives, or steps aside: on every run of LaTeX in the seed listings and the
recorded arXiv responses, on thousands of generated runs, and one hand-made case per rule."""

from __future__ import annotations

import html
import random
import re

import pytest

from citetools.normalize.repair import repair_markup
from citetools.normalize.scraped import (
    common_command,
    decode_run_fully,
    decode_scraped,
    latex_runs,
)
from citetools.normalize.scraped_fast import decode_common
from tests.helpers import ROOT, SEEDS

ARXIV_SAMPLES = ROOT / "tests" / "fixtures" / "arxiv-samples"
_TEXT = re.compile(r"<(title|summary)>(.*?)</\1>", re.S)


def _real_runs() -> list[str]:
    """Every run of LaTeX in the seed listings' lines and the recorded arXiv titles and
    abstracts, as the decoder meets them (after repair)."""
    lines = [line for path in sorted(SEEDS.iterdir()) for line in path.read_text().splitlines()]
    for path in sorted(ARXIV_SAMPLES.glob("*.xml")):
        lines += [" ".join(html.unescape(m[1]).split()) for m in _TEXT.findall(path.read_text())]
    runs = {run for line in lines for run, latex in latex_runs(repair_markup(line).text) if latex}
    return sorted(runs)


REAL = _real_runs()

_TOKENS = (
    *("a", "b", "2", ",", ".", "(", ")", "-", " ", "  ", "\t", "é", "σ", "e", "x1"),
    *("$", "$", "{", "}", "{", "}", "^", "_", "~", "&", "!", "%", "'", "`"),
    *("--", "---", "''", "``", "!`", "\\\\", "\\,", "\\{", "\\}", "\\$", "\\'"),
    *("\\%", "\\% ", "\\&", "\\_", "\\#", "\\sim", "\\alpha", "\\alpha ", "\\times", "\\in"),
    *("\\infty", "\\le", "\\ldots", "\\log ", "\\LaTeX", "\\foo", "\\sqrt", "\\cite"),
    *("\\textbf", "\\textit ", "\\emph", "\\mathbf", "\\mathcal", "\\text", "\\url"),
    "\\underline",
    # commands the decoder keeps as written, and what may follow them
    *("\\cite{k}", "\\citep", "\\ref{a b}", "\\section", "\\input", "\\today", "\\foo{x y}"),
    *("\\begin{x}", "\\end{x}", "\\verb", "\\href", "\\footnote", "[", "]", "*", "|"),
)
_LEAVES = (
    *("a", " ", "x^", "_", "2", "\\sim", "\\alpha ", "\\times ", "\\log", "~", "--", "'", "''"),
    *("\\%", "(", ")", ",", "-", " b ", "é", "\\ldots", "\\infty", "\\,", "\\\\", "&", "!"),
    *("\\& ", "\\# x", "\\cite{k}", "\\foo ", "\\ref{a}"),
)
_WRAPPERS = ("textbf", "emph", "mathbf", "url", "underline", "textit", "text")


def _random_runs(count: int) -> list[str]:
    """``count`` different strings of 1 to 9 tokens, each token LaTeX or text."""
    pick = random.Random(7)
    runs: set[str] = set()
    while len(runs) < count:
        runs.add("".join(pick.choice(_TOKENS) for _ in range(pick.randint(1, 9))))
    return sorted(runs)


def _nested_runs(count: int) -> list[str]:
    """``count`` strings grown as LaTeX grows: groups, math spans and commands around text,
    nested up to three deep."""
    pick = random.Random(11)

    def tree(depth: int) -> str:
        parts = []
        for _ in range(pick.randint(1, 4)):
            roll = pick.random()
            if depth < 3 and roll < 0.15:
                parts.append("{" + tree(depth + 1) + "}")
            elif depth < 3 and roll < 0.25:
                parts.append(f"\\{pick.choice(_WRAPPERS)}{{{tree(depth + 1)}}}")
            elif depth == 0 and roll < 0.4:
                parts.append("$" + tree(depth + 1).replace("$", "") + "$")
            else:
                parts.append(pick.choice(_LEAVES))
        return "".join(parts)

    runs: set[str] = set()
    while len(runs) < count:
        runs.add(tree(0))
    return sorted(runs)


_KEPT = re.compile(r"\\(?:cite|citep|ref|section|input|today|foo)(?![a-z])")


def _mismatches(runs: list[str]) -> tuple[list[tuple[str, str, str]], int, int]:
    """The runs the fast reader decodes differently (run, fast, full), how many it read, and
    how many of those hold a command kept as written."""
    read, kept, wrong = 0, 0, []
    for run in runs:
        fast = decode_common(run, common_command)
        if fast is not None:
            read += 1
            kept += bool(_KEPT.search(run))
            if fast != (full := decode_run_fully(run)):
                wrong.append((run, fast, full))
    return wrong, read, kept


def test_every_real_run_decodes_as_pylatexenc_decodes_it_and_most_take_the_fast_path():
    wrong, read, kept = _mismatches(REAL)
    assert len(REAL) >= 70  # (78 when written: the seeds and the committed arXiv responses)
    assert wrong == []
    assert read >= 0.9 * len(REAL)  # (73 of 78 when written; the rest: \sqrt, \{..\} ...)
    assert kept >= 4  # (the seeds' \cite{..} runs)


@pytest.mark.parametrize(
    ("runs", "least_read"),
    [(_random_runs(3000), 400), (_nested_runs(3000), 1300)],
    ids=["random-tokens", "nested"],
)
def test_generated_runs_decode_as_pylatexenc_decodes_them(runs, least_read):
    wrong, read, kept = _mismatches(runs)
    assert wrong[:5] == []
    assert read >= least_read  # (the comparison is not empty: 457 and 1446 when written)
    assert kept >= 100  # (nor for commands kept as written: 112 and 261)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("$2\\times 2$", "2×2"),  # a symbol's trailing space is TeX's, inside math
        ("$\\sigma$Reparam", "σReparam"),
        ("$\\alpha b$", "αb"),
        ("\\alpha b", "α b"),  # outside math the space after a name is kept (pylatexenc's rule)
        ("$ x $", "x"),  # math spans stripped
        ("x^{ab}", "x^(ab)"),  # a script's group longer than one character in parentheses
        ("x^{a}", "x^a"),
        ("\\textbf{Dy}namic", "Dynamic"),  # a font command: its argument's text
        ("\\url{https://a.b/c}", "https://a.b/c"),
        ("50\\% off", "50% off"),  # an escaped special: the character, its space kept
        ("a~b--c", "a~b--c"),  # pylatexenc's specials as their own text
        # a command it does not know: as written, with what follows up to the next space
        ("(\\textbf{B}\\cite{k})", "(B\\cite{k})"),
        ("\\foo{a b}$\\alpha$ $\\alpha$", "\\foo{a b}$\\alpha$ α"),
        ("\\cite {a} \\alpha", "\\cite {a} α"),
    ],
)
def test_each_rule_matches_the_full_decoder(latex, text):
    assert decode_common(latex, common_command) == text
    assert decode_run_fully(latex) == text


@pytest.mark.parametrize(
    "latex",
    [
        "\\alphaé",  # a letter after a name: pylatexenc reads it into the name
        "\\cite{key}\\sqrt{2}",  # after an unknown command, one that is not common
        "\\cite[p. 5]{key}",  # optional arguments, which may hold spaces
        "\\cite*{key}",
        "$\\alpha$\\cite",  # an argument missing (pylatexenc fails: the run as written)
        "\\cite{k}\\begin{x} a",  # an environment, whose body may hold spaces
        "\\cite{k}\\href{a} {b}",  # a second argument after a space
        "{\\cite{key}}",  # inside a group: the group is kept whole
        "\\sqrt{2}",  # a symbol .bib cannot spell
        "\\textbf {x}",  # an argument after a space
        "\\textbf x",  # an argument without braces
        "$$x$$",  # display math
        "$x",  # an unpaired dollar
        "{x",  # a group left open
        "{" * 40 + "x" + "}" * 40,  # nested deeper than it reads
    ],
)
def test_what_it_does_not_know_it_leaves_to_pylatexenc(latex):
    assert decode_common(latex, common_command) is None


def test_the_fast_path_is_the_one_decode_scraped_takes():
    """A run the fast reader knows decodes the same through decode_scraped, with text around."""
    assert decode_scraped("we propose $\\sigma$Reparam, 4$\\sim$14 times") == (
        "we propose σReparam, 4∼14 times"
    )
