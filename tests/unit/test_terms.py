"""Protected terms (citetools.normalize.terms): what the shipped list protects, how a term is
matched, and the user's own terms from a file or a list."""

from __future__ import annotations

import pytest

import citetools
from citetools import plugins
from citetools.errors import NormalizeError, ReadError
from citetools.exporters import to_string
from citetools.model import Record
from citetools.normalize.terms import (
    DEFAULT_TERMS,
    ProtectedTerms,
    load_terms,
    parse_terms,
    read_terms,
)
from citetools.normalize.titles import protect_title


def protected(title, terms=DEFAULT_TERMS):
    return [title[start:end] for start, end in terms.spans(title)]


# One case per rule of the matching, on the shipped list.
SHIPPED = [
    ("Adaptive Nesterov Momentum", ["Nesterov"], "a name"),
    ("Gaussian Temporal Awareness Networks", ["Gaussian"], "an adjective made from a name"),
    ("Splatting 3D Gaussians", ["Gaussians"], "a plural"),
    ("Sequential Monte Carlo", ["Monte Carlo"], "a name of two words, one run"),
    ("Sequential Monte-Carlo Methods", ["Monte-Carlo"], "a hyphen where the term has a space"),
    ("Kullback–Leibler Divergence", ["Kullback–Leibler"], "an en dash"),
    ("Adversarial Fisher Vectors", ["Fisher"], "only the name of a phrase"),
    ("Quasi-Newton Methods", ["Newton"], "a phrase whose first word is lower case"),
    ("Newton's Method", ["Newton"], "an apostrophe"),
    ("Floods in Rio De Janeiro", ["Rio", "Janeiro"], "a lower-case word inside the name"),
    ("Zoë on Schrödinger Bridges", ["Schrödinger"], "non-ASCII letters"),
    ("Gaussianity Tests", ["Gaussianity"], "a longer word is its own term"),
    ("Gaussianization Flows", [], "never part of a longer word"),
    ("Non-Gaussian Noise", ["Gaussian"], "after a hyphen"),
    ("sequential monte carlo", [], "capitals must match: nothing is invented"),
    # Names that are ordinary words too are protected only inside their phrases.
    ("A Fisher of Men", [], "fisher alone is an ordinary word"),
    ("Newton Meters and Gram Weights", [], "units"),
    ("Polish Your Proofs", [], "polish"),
    ("March of the Penguins in May", [], "march, may"),
    ("Roast Turkey", [], "a bird"),
    ("Deep Learning in Python", [], "a snake"),
    ("Hessian Matrix Sketching", ["Hessian"], "the matrix, inside its phrase"),
    ("Hessian Sacks", [], "the fabric"),
    ("English and French Corpora from China", ["English", "French", "China"], "languages, places"),
]


@pytest.mark.parametrize(("title", "expected", "rule"), SHIPPED, ids=[c[2] for c in SHIPPED])
def test_shipped_terms(title, expected, rule):
    assert protected(title) == expected, rule


def test_shipped_list_parses_and_every_term_has_a_capital():
    assert len(DEFAULT_TERMS.terms) > 400
    assert all(any(c.isupper() for c in term) for term in DEFAULT_TERMS.terms)


def test_protect_title_braces_the_terms():
    assert protect_title("Composition and Control with Sequential Monte Carlo") == (
        "Composition and Control with Sequential {Monte Carlo}"
    )
    assert protect_title("Adversarial Fisher Vectors") == "Adversarial {Fisher} Vectors"
    assert protect_title("Schrödinger Bridges") == r"{Schr{\"o}dinger} Bridges"


def test_users_terms_extend_the_shipped_list():
    terms = DEFAULT_TERMS.extended(["Mean Teacher", "IBN-Net"])
    title = "Robust Mean Teacher via IBN-Net and Monte Carlo"
    assert protected(title) == ["Monte Carlo"]  # (the shipped list knows neither name)
    assert protected(title, terms) == ["Mean Teacher", "IBN-Net", "Monte Carlo"]
    assert protect_title(title, terms) == "Robust {Mean Teacher} via {IBN-Net} and {Monte Carlo}"


def test_terms_file(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# my methods\nMean Teacher\n\n  IBN-Net   # a network\n", encoding="utf-8")
    assert read_terms(str(path)) == ("Mean Teacher", "IBN-Net")
    terms = load_terms(path)
    assert protect_title("Robust Mean Teacher", terms) == "Robust {Mean Teacher}"
    assert load_terms(None) is DEFAULT_TERMS
    assert load_terms(terms) is terms


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mean Teacher\nmean teacher\n", "no capitalised word: write the term as it must appear"),
        ("Monte/Carlo\n", "joined only by a space, hyphen or apostrophe"),
    ],
    ids=["no-capital", "slash"],
)
def test_a_bad_term_names_its_line(text, message):
    with pytest.raises(NormalizeError, match=message) as caught:
        parse_terms(text, source="terms.txt")
    assert (caught.value.source, caught.value.line) == ("terms.txt", text.count("\n"))


def test_given_terms_are_checked_as_a_files_are():
    with pytest.raises(NormalizeError, match="no capitalised word"):
        load_terms(["mean teacher"])
    assert protected("Mean Teacher", load_terms(["Mean  Teacher"])) == ["Mean Teacher"]


def test_a_missing_terms_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="cannot read protected terms: No such file"):
        load_terms(str(tmp_path / "missing.txt"))


def test_the_api_takes_protected_terms(tmp_path):
    out = tmp_path / "refs.bib"
    citetools.export([RECORD], out, style=None, protected_terms=["Mean Teacher"])
    assert "title = {Exploring {Mean Teacher} with {Gaussian} Noise}" in out.read_text()


def test_terms_are_compared_by_value():
    assert ProtectedTerms(("Mean Teacher",)) == ProtectedTerms(("Mean Teacher",))


RECORD = Record(key="cai2019exploring", title="Exploring Mean Teacher with Gaussian Noise")


@pytest.mark.parametrize(
    ("exporter", "expected"),
    [
        ("bibtex", "title = {Exploring {Mean Teacher} with {Gaussian} Noise}"),
        ("biblatex", "title = {Exploring {Mean Teacher} with {Gaussian} Noise}"),
        (
            "csljson",
            '"title": "Exploring <span class=\\"nocase\\">Mean Teacher</span> with '
            '<span class=\\"nocase\\">Gaussian</span> Noise"',
        ),
    ],
)
def test_exporters_take_the_users_terms(exporter, expected, tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("Mean Teacher\n", encoding="utf-8")
    assert expected in to_string(plugins.exporter(exporter, protected_terms=str(path)), [RECORD])
    assert "{Mean Teacher}" not in to_string(plugins.exporter(exporter), [RECORD])


def test_of_two_terms_as_long_the_one_spelt_as_the_title_wins():
    """The shipped ``quasi-Newton`` and a user's ``Quasi-Newton`` both match "Quasi-Newton":
    the one written as the title has it is taken, always (never by a set's order)."""
    terms = DEFAULT_TERMS.extended(["Quasi-Newton"])
    assert protect_title("Quasi-Newton Methods", terms) == "{Quasi-Newton} Methods"
    assert protect_title("quasi-Newton methods", terms) == "quasi-{Newton} methods"
