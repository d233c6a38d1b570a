"""Formatted reference lists: styles by name, by path and through pybtex; the errors for unknown
styles and for a missing extra; the fast path for long lists."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from citetools.errors import ExportError
from citetools.exporters import _alike, _citeproc, _styles
from citetools.exporters._inline import plain
from citetools.exporters.references import TextReferences, render_item
from tests.helpers import SEEDS, normalized
from tests.unit.test_references import SOLO, XING, render


@pytest.mark.parametrize(
    "style",
    ["apa", "ieee", "chicago-author-date", "harvard1", "nature", "vancouver", "elsevier-harvard"],
)
def test_styles_by_name(style):
    out = render("text", [XING], style=style)
    assert "Xing" in out and "Lumos-Nexus" in out


def test_dependent_style_renders_with_its_parent():
    assert _styles.find_csl_style("vancouver-nlm").title.startswith("Vancouver")
    assert "Xing J" in render("text", [XING], style="vancouver-nlm")


def test_style_by_path(tmp_path):
    path = tmp_path / "mine.csl"
    path.write_bytes(_styles.find_csl_style("ieee").source)
    assert render("text", [XING], style=str(path)).startswith("[1] J. Xing")


def test_unknown_style_lists_what_is_known():
    with pytest.raises(ExportError) as error:
        TextReferences(style="apa7")
    message = str(error.value)
    assert "unknown citation style 'apa7'" in message and "did you mean" in message
    for known in ("apa", "ieee", "harvard1", "vancouver", "pybtex:plain", ".csl file"):
        assert known in message


def test_unknown_pybtex_style_lists_them():
    with pytest.raises(ExportError, match="known: pybtex:alpha, pybtex:plain"):
        TextReferences(style="pybtex:fancy")


@pytest.mark.parametrize("content", [b"not xml", b"<html/>"])
def test_a_file_that_is_no_style(tmp_path, content):
    path = tmp_path / "bad.csl"
    path.write_bytes(content)
    with pytest.raises(ExportError, match="is not a CSL style"):
        TextReferences(style=str(path))
    with pytest.raises(ExportError, match="cannot read the style file"):
        TextReferences(style=str(tmp_path / "missing.csl"))


def test_missing_engine_names_the_extra(monkeypatch):
    monkeypatch.delenv(_citeproc.PANDOC_ENV, raising=False)
    monkeypatch.setattr(_citeproc, "find_spec", lambda name: None)
    with pytest.raises(ExportError, match=r"pip install 'citetools\[styles\]'"):
        TextReferences(style="apa")
    assert "et al." in render("text", [XING], style="pybtex:plain")  # pybtex needs no extra


def test_missing_styles_package_names_the_extra(monkeypatch):
    monkeypatch.setattr(_styles, "official_styles", lambda: None)
    with pytest.raises(
        ExportError, match=r"official CSL styles: pip install 'citetools\[styles\]'"
    ):
        TextReferences(style="ieee")


def test_keys_must_be_unique_and_present():
    with pytest.raises(ExportError, match="unique: xing2026lumos"):
        render("text", [XING, replace(SOLO, key="xing2026lumos")])
    with pytest.raises(ExportError, match="no citation key"):
        render("text", [replace(XING, key=None)])


def test_long_lists_render_alike_in_groups(seed_items):
    """The fast path for long lists (possibly-alike groups apart) gives the same entries."""
    style = _styles.find_csl_style("apa")
    whole = _citeproc.render_entries(seed_items, style, cluster_above=10**9)
    grouped = _citeproc.render_entries(seed_items, style, cluster_above=0)
    assert whole.entries == grouped.entries
    assert len(_citeproc.alike_groups(seed_items)) > 3


def test_alike_groups_that_share_a_name_never_share_a_batch():
    def item(family, year):
        return {"author": [{"family": family, "given": "A."}], "issued": {"date-parts": [[year]]}}

    items = [item("Bai", 2020), item("Bai", 2020), item("Bai", 2025), item("Bai", 2025)]
    items += [item("Chen", 2020), item("Chen", 2020), item("Xu", 2021), item("Xu", 2021)]
    groups = _citeproc.alike_groups(items)
    assert groups == [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert _alike.batches(groups, items) == [[0, 1, 4, 5, 6, 7], [2, 3]]
    assert _alike.batches(groups, items, size=4) == [[0, 1, 4, 5], [2, 3, 6, 7]]
    assert _alike.batches(groups, items, size=1) == groups  # each group alone


def test_a_long_list_renders_each_alike_group_as_alone(tmp_path):
    """pandoc lets groups in one job change each other's year suffixes: the benchmark's feed
    listing gave 6 of its first 800 entries other suffixes in batches packed by size alone."""
    from bench import load_seeds, write_listing

    listing = write_listing(load_seeds(SEEDS), "feed", 800, tmp_path / "feed.txt", seed=1)
    items = [render_item(r) for r in _library([str(listing)])]
    items += [{**item, "id": f"{item['id']}-again"} for item in items[:100]]  # (year suffixes)
    style = _styles.find_csl_style("apa")
    packed = _citeproc.render_entries(items, style, cluster_above=0)
    alone = _citeproc.render_entries(items, style, cluster_above=0, batch=1)
    assert len(packed.entries) == 900
    assert packed.entries == alone.entries
    suffixed = [e for e in packed.entries if re.search(r"\(\d{4}[a-z]\)", plain(e.content))]
    assert len(suffixed) > 10  # (alike items that need a year suffix are there)


def _library(inputs):
    from datetime import date

    from citetools.keys import DefaultKeyStyle, assign_keys

    done = normalized(inputs, as_of=date(2026, 11, 24))
    return assign_keys(done.records, DefaultKeyStyle())


@pytest.fixture(scope="module")
def seed_items():
    records = _library([str(SEEDS)])
    # Two copies of each: many alike citations and year suffixes.
    return [{**render_item(r), "id": f"{r.key}-{n}"} for n in range(2) for r in records]
