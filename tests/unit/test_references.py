"""Formatted reference lists (text, markdown, html, latex): escaping per target, links, "et al.",
sorting, styles by name / path / pybtex, and the errors for unknown styles and a missing extra.

Expected entries were written by hand from the APA 7 and IEEE reference guides and checked by
eye; agreement with citeproc-js on the seeds is tests/integration/test_references_oracle.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import replace

import pytest

from citetools import plugins
from citetools.errors import ExportError
from citetools.exporters import _citeproc, to_string
from citetools.exporters._cslsort import collation_key
from citetools.exporters._inline import ET_AL_SENTINEL, et_al_text, safe_href
from citetools.exporters._styles import find_csl_style
from citetools.exporters.references import (
    HtmlReferences,
    LatexReferences,
    MarkdownReferences,
    TextReferences,
    order,
    render_item,
)
from citetools.model import Ids, PartialDate, Person, Record

FORMATS = ("text", "markdown", "html", "latex")


def person(given, family):
    return Person(given=given, family=family)


XING = Record(
    key="xing2026lumos",
    title="Lumos-Nexus: Efficient Frequency Bridging",
    authors=(person("Jiazheng", "Xing"), person("Hangjie", "Yuan"), person("Lingling", "Cai")),
    authors_truncated=True,
    date=PartialDate(2026, 5, 29),
    ids=Ids(arxiv="2605.31603"),
    categories=("cs.CV",),
)
SOLO = Record(
    key="solo2024one",
    title="One Shown Author",
    authors=(person("Ada", "Solo"),),
    authors_truncated=True,
    date=PartialDate(2024, 1, 2),
    categories=("cs.LG",),
)
SIX = Record(
    key="alpha2023six",
    title="Six Shown Authors",
    authors=tuple(
        person(g, f)
        for g, f in [
            ("Ann", "Alpha"),
            ("Bob", "Beta"),
            ("Cy", "Gamma"),
            ("Di", "Delta"),
            ("Ed", "Epsilon"),
            ("Flo", "Zeta"),
        ]
    ),
    authors_truncated=True,
    date=PartialDate(2023),
    categories=("cs.LG",),
)
HOSTILE_TITLE = (
    "A *star* and _under_ <script>alert(1)</script> [x](javascript:alert(1)) `tick` "
    "50% & $x$ #1 {b} \\emph ~ ^ |"
)
HOSTILE = Record(
    key="muller2020star",
    title=HOSTILE_TITLE,
    authors=(person("Hans", "Müller"),),
    date=PartialDate(2020),
    ids=Ids(url="javascript:alert(1)"),
)
RECORDS = [XING, SOLO, SIX, HOSTILE]


def render(fmt, records=RECORDS, **options):
    return to_string(plugins.exporter(fmt, **options), records)


# ---------------------------------------------------------------------------------------------
# plugins and hand-checked entries


def test_the_four_exporters_are_plugins_with_options():
    for name, cls in zip(
        FORMATS, (TextReferences, MarkdownReferences, HtmlReferences, LatexReferences), strict=True
    ):
        assert plugins.load("exporter", name) is cls
    exporter = plugins.exporter("text", style="ieee", sort="key")
    assert (exporter.style, exporter.sort) == ("ieee", "key")


def test_apa_text_by_hand():
    """APA 7 prints titles in sentence case (the Title Case data is converted)."""
    assert render("text", [XING, SOLO, SIX]).splitlines() == [
        "Alpha, A., Beta, B., Gamma, C., Delta, D., Epsilon, E., Zeta, F., et al. (2023). "
        "Six shown authors. arXiv.",
        "Solo, A., et al. (2024). One shown author. arXiv.",
        "Xing, J., Yuan, H., Cai, L., et al. (2026). Lumos-Nexus: Efficient frequency bridging "
        "(arXiv:2605.31603). arXiv. https://doi.org/10.48550/arXiv.2605.31603",
    ]


def test_ieee_text_by_hand():
    """IEEE's reference guide, too, prints article titles in sentence case."""
    assert render("text", [XING, SOLO, SIX], style="ieee").splitlines() == [
        "[1] J. Xing, H. Yuan, L. Cai, et al., “Lumos-Nexus: Efficient frequency bridging,” "
        "May 29, 2026, arXiv: arXiv:2605.31603. doi: 10.48550/arXiv.2605.31603.",
        "[2] A. Solo et al., “One shown author,” Jan. 02, 2024, arXiv.",
        # Six names and the one the listing hid make seven: IEEE's own "et al." rule.
        "[3] A. Alpha et al., “Six shown authors,” 2023, arXiv.",
    ]


# ---------------------------------------------------------------------------------------------
# et al.


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date", "vancouver", "nature"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_lists_say_et_al_never_others(style, fmt):
    out = render(fmt, [XING, SOLO], style=style)
    assert "et al." in out
    assert "others" not in out.lower()
    assert ET_AL_SENTINEL.lower() not in out.lower()
    assert "& et al" not in out and "and et al" not in out and "et al.." not in out


@pytest.mark.parametrize("style", ["pybtex:plain", "pybtex:unsrt", "pybtex:alpha"])
def test_pybtex_says_et_al_as_plain_bst_does(style):
    out = render("text", [XING, SOLO], style=style)
    assert "Jiazheng Xing, Hangjie Yuan, Lingling Cai, et al. " in out
    assert "Ada Solo et al. " in out
    assert "others" not in out
    # pybtex ignores biblatex's date; the BibTeX it reads has year and month too.
    assert "January 2024" in out and "May 2026" in out


def test_pybtex_alpha_labels_still_see_the_truncation():
    assert "[XYC+26] Jiazheng Xing" in render("text", [XING], style="pybtex:alpha")


def test_a_list_truncated_to_no_names_has_no_author():
    nobody = Record(key="anon2026x", title="Nobody Shown", authors_truncated=True)
    item = render_item(nobody)
    assert "author" not in item
    assert "et al" not in render("text", [nobody])


def test_render_item_drops_bookkeeping_but_keeps_an_own_note():
    record = replace(XING, orgs=("apple",), affiliation="MIT", extra={"note": "Accepted"})
    item = render_item(record)
    assert item["note"] == "Accepted"
    assert "keyword" not in item and "abstract" not in item
    assert item["author"][-1] == {"literal": ET_AL_SENTINEL}


@pytest.mark.parametrize(
    ("text", "connector", "expected"),
    [
        (f"Xing, J., & {ET_AL_SENTINEL}. (2026).", "&", "Xing, J., et al. (2026)."),
        (f"J. Xing and {ET_AL_SENTINEL}, “T,”", "and", "J. Xing et al., “T,”"),
        (f"Xing J, Yuan H, {ET_AL_SENTINEL}. T.", None, "Xing J, Yuan H, et al. T."),
        (f"A., B., . . . {ET_AL_SENTINEL}", "&", "A., B., et al."),
        (f"Xing and {ET_AL_SENTINEL.lower()}", "and", "Xing et al."),
    ],
    ids=["apa", "ieee", "vancouver", "apa-ellipsis", "lower-cased"],
)
def test_et_al_text(text, connector, expected):
    assert et_al_text(text, connector) == expected


# ---------------------------------------------------------------------------------------------
# escaping and links


def test_markdown_escapes_and_links():
    out = render("markdown", style="ieee")
    assert "[arXiv:2605.31603](https://arxiv.org/abs/2605.31603)" in out
    assert "[10.48550/arXiv.2605.31603](https://doi.org/10.48550/arXiv.2605.31603)" in out
    assert "\\*star\\* and \\_under\\_ \\<script\\>" in out
    assert "\\[x\\](javascript:alert(1)) \\`tick\\`" in out
    assert not re.search(r"(?<!\\)\]\(javascript", out) and "(https://javascript" not in out
    assert out.startswith("\\[1\\] J. Xing")


def test_apa_markdown_links_the_doi_as_an_autolink():
    assert "<https://doi.org/10.48550/arXiv.2605.31603>" in render("markdown", [XING])


@pytest.mark.parametrize("reader", ["commonmark", "gfm", "markdown"])
def test_markdown_hostile_title_stays_text_for_real_parsers(reader):
    """pandoc reads our Markdown back: one emphasis (the APA title), no code, no raw HTML, no
    link but the arXiv and DOI ones."""
    out = render("markdown", [HOSTILE, XING])
    done = subprocess.run(
        [_citeproc.find_pandoc(), "-f", reader, "-t", "json"],
        input=out.encode(),
        capture_output=True,
        check=True,
    )
    found: dict[str, list] = {}

    def walk(node):
        if isinstance(node, dict):
            found.setdefault(node.get("t", ""), []).append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(done.stdout))
    assert not {"Code", "RawInline", "RawBlock", "Strikeout", "Math", "Superscript"} & set(found)
    targets = sorted(link["c"][2][0] for link in found.get("Link", []))
    assert targets == [
        "https://arxiv.org/abs/2605.31603",
        "https://doi.org/10.48550/arXiv.2605.31603",
    ]
    assert len(found["Emph"]) == 2  # the two titles, nothing from the stars and underscores
    assert len(found["Para"]) == 2


def test_html_escapes_and_links():
    out = render("html", style="ieee")
    assert out.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script>" not in out
    assert "50% &amp; $x$" in out
    assert "javascript" not in "".join(out.split('href="')[1:]).split('"')[0]
    assert 'href="javascript' not in out and 'href="https://javascript' not in out
    assert '<a href="https://arxiv.org/abs/2605.31603">arXiv:2605.31603</a>' in out
    assert '<span class="csl-left-margin">[1]</span>' in out
    assert 'id="ref-xing2026lumos"' in out


def test_latex_escapes_and_links():
    out = render("latex", style="ieee")
    assert "\\begin{thebibliography}{1}" in out and "\\bibitem[{1}]{xing2026lumos}" in out
    for escaped in ("50{\\%}", "{\\&}", "{\\_}under{\\_}", "{\\#}1", "{\\$}x{\\$}"):
        assert escaped in out
    assert "{\\textbraceleft}b{\\textbraceright} {\\textbackslash}emph" in out
    assert "{\\textless}script{\\textgreater}" in out
    assert 'M{\\"u}ller' in out
    assert "\\href{https://arxiv.org/abs/2605.31603}{arXiv:2605.31603}" in out
    assert "javascript:alert(1)}" not in out.replace("{javascript:alert(1)}", "")
    assert "\\href{https://javascript" not in out


def test_latex_author_date_has_no_labels_and_urls():
    out = render("latex", [XING])
    assert "\\renewcommand{\\@biblabel}[1]{}" in out
    assert "\\bibitem{xing2026lumos}" in out
    assert "\\url{https://doi.org/10.48550/arXiv.2605.31603}" in out


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://x.org/a b(c)", "https://x.org/a%20b%28c%29"),
        ("javascript:alert(1)", None),
        ("https://javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("ftp://x.org/f", "ftp://x.org/f"),
        ("//x.org", None),
    ],
)
def test_safe_href(href, expected):
    assert safe_href(href) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_list(fmt):
    out = render(fmt, [])
    assert "\\begin{thebibliography}" not in out
    assert out == "" or fmt in ("html", "latex")


# ---------------------------------------------------------------------------------------------
# sorting


def titles(out):
    """Which test record each line is, by a word of its title."""
    marks = ("Lumos", "One Shown", "Six Shown", "star")
    return [next(m for m in marks if m.lower() in line.lower()) for line in out.splitlines()]


@pytest.mark.parametrize(
    ("style", "sort", "expected"),
    [
        ("apa", None, ["Six Shown", "star", "One Shown", "Lumos"]),  # Alpha, Müller, Solo, Xing
        ("ieee", None, ["Lumos", "One Shown", "Six Shown", "star"]),  # citation (input) order
        ("apa", "none", ["Lumos", "One Shown", "Six Shown", "star"]),
        ("apa", "key", ["Six Shown", "star", "One Shown", "Lumos"]),
        ("ieee", "year", ["star", "Six Shown", "One Shown", "Lumos"]),
        ("ieee", "-year", ["Lumos", "One Shown", "Six Shown", "star"]),
        ("ieee", "title", ["star", "Lumos", "One Shown", "Six Shown"]),
        ("ieee", "author", ["Six Shown", "star", "One Shown", "Lumos"]),
        ("pybtex:plain", None, ["Six Shown", "star", "One Shown", "Lumos"]),
        ("pybtex:unsrt", "-year", ["Lumos", "One Shown", "Six Shown", "star"]),
    ],
)
def test_order(style, sort, expected):
    out = render("text", style=style, sort=sort)
    assert titles(out) == expected
    if sort and style == "ieee":  # the style numbers the entries in the chosen order
        assert [line.split()[0] for line in out.splitlines()] == ["[1]", "[2]", "[3]", "[4]"]


def test_records_without_the_sort_field_come_last():
    undated = replace(SOLO, key="undated", date=None)
    assert [r.key for r in order([undated, XING, SIX], "year")] == [
        "alpha2023six",
        "xing2026lumos",
        "undated",
    ]


def test_unknown_sort():
    with pytest.raises(ExportError, match="unknown sort 'date'; known: style, none, key"):
        TextReferences(sort="date")


def test_collation_follows_citeproc_js():
    assert collation_key("A Mixture") < collation_key("AdaBelief")  # words before letters
    assert collation_key("x2") < collation_key("x10")
    assert collation_key("Émile") == collation_key("emile")
    assert collation_key("Cai, Q., Pan") < collation_key("Cai, Q., & Zhang")


EMPTY = Record(key="anonparameter", abstract="This work focuses on lightweight models.")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", ["ieee", "pybtex:plain"])
def test_a_record_with_neither_title_nor_author_is_left_out_never_an_empty_entry(fmt, style):
    exporter = plugins.exporter(fmt, style=style)
    assert exporter.leaves_out(EMPTY) == "it has neither title nor author to print"
    assert exporter.leaves_out(replace(EMPTY, title="Layer Normalization")) is None
    assert exporter.leaves_out(replace(EMPTY, authors=(person("Ada", "Solo"),))) is None
    assert to_string(exporter, [EMPTY, XING]) == to_string(exporter, [XING])


def test_a_list_of_records_with_nothing_to_print_is_empty():
    assert render("text", [EMPTY, replace(EMPTY, key="other", title="  ")]) == ""


# ---------------------------------------------------------------------------------------------
# sentence case for the styles that print titles as the data has them


def test_which_types_a_style_title_cases_itself():
    """Found by rendering: Chicago title-cases every type, Nature books only, APA none."""
    kinds = {"article", "article-journal", "book"}
    assert _citeproc.title_cased_types(find_csl_style("apa"), kinds) == frozenset()
    assert _citeproc.title_cased_types(find_csl_style("ieee"), kinds) == frozenset()
    assert _citeproc.title_cased_types(find_csl_style("chicago-author-date"), kinds) == kinds
    assert _citeproc.title_cased_types(find_csl_style("nature"), kinds) == {"book"}


MONTE = Record(
    key="thornton2025composition",
    title="Composition with Sequential Monte Carlo and Fisher Vectors: A Study of VLMs",
    authors=(person("James", "Thornton"),),
    date=PartialDate(2025),
    categories=("cs.LG",),
)
MONTE_BOOK = replace(MONTE, key="thornton2025book", entry_type="book", ids=Ids(), categories=())


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            "apa",
            "Composition with sequential Monte Carlo and Fisher vectors: A study of VLMs",
        ),
        (
            "chicago-author-date",  # title-cases titles itself: left as the data has them
            "Composition with Sequential Monte Carlo and Fisher Vectors: A Study of VLMs",
        ),
    ],
)
def test_sentence_case_styles_get_sentence_case_titles(style, expected):
    assert expected in render("text", [MONTE], style=style)


def test_a_type_the_style_title_cases_is_left_alone():
    """Nature prints articles as the data has them, books in title case."""
    text = render("text", [MONTE, MONTE_BOOK], style="nature")
    assert "Composition with sequential Monte Carlo and Fisher vectors" in text
    assert "Composition with Sequential Monte Carlo and Fisher Vectors" in text


def test_pybtex_styles_keep_the_protected_terms():
    """pybtex lowers titles as BibTeX does; the braces keep the terms, the user's too."""
    text = render("text", [MONTE], style="pybtex:plain")
    assert "Composition with sequential Monte Carlo and Fisher vectors" in text
    record = replace(MONTE, title="Robust Mean Teacher Models")
    assert "Robust mean teacher models" in render("text", [record], style="pybtex:plain")
    kept = render("text", [record], style="pybtex:plain", protected_terms=["Mean Teacher"])
    assert "Robust Mean Teacher models" in kept
