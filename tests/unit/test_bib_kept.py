"""A .bib in is a .bib out: what no stage changed is written back byte for byte (issue 15,
points 1, 2 and 7). One small hand-written case per rule."""

from __future__ import annotations

import io
import re

import pytest

import citetools
from citetools.exporters.bibtex import BibtexExporter
from citetools.files import Source
from citetools.formats.bibtex import TRAILER_PATTERN
from citetools.model import Ids, evolve
from citetools.readers.bibtex import BibtexReader

_TRAILER = re.compile(TRAILER_PATTERN)

FILE = r"""% My references, by hand.
@string{tug = "TUGboat"}
@preamble{ "\newcommand{\noopsort}[1]{}" }

@Article{ knuth84 ,
  Title    = "The {\TeX}book " # tug,
  author   = {Donald E. Knuth},
  journal  = tug,
  month    = jan,
  year     = 1984,
  url      = {http://example.org/a%20b},
  note     = {See \cite{other} and $O(\log n)$, \path|a_b|, 50\% off},
}

This line is not an entry: BibTeX ignores it.
@comment{keep me}
@book(other, title={\mbox{\METAFONT}book}, year={1986})
%% end of file
"""


def read(text: str, name: str = "refs.bib"):
    return BibtexReader().read(Source.from_text(text, name))


def written(records) -> str:
    out = io.StringIO()
    BibtexExporter().write(records, out)
    return out.getvalue()


def test_an_unchanged_file_is_written_back_byte_for_byte():
    result = read(FILE)
    assert [r.key for r in result.records] == ["knuth84", "other"]
    assert written(result.records) == FILE


def test_concatenation_and_macros_are_expanded_for_the_record_and_kept_in_the_text():
    knuth, _ = read(FILE).records
    assert knuth.title == "The TeXbook TUGboat"  # (the plain text: the logo by its name)
    assert knuth.venue == "TUGboat"
    assert knuth.date is not None and (knuth.date.year, knuth.date.month) == (1984, 1)
    assert 'Title    = "The {\\TeX}book " # tug,' in written([knuth])


def test_macro_names_are_read_without_regard_to_case():
    (record,) = read('@string{Tug = "TUGboat"}\n@misc{k, journal = TUG # " 5"}\n').records
    assert record.venue == "TUGboat 5"


def test_a_changed_field_is_spliced_in_and_every_other_byte_kept():
    knuth, other = read(FILE).records
    filled = evolve(knuth, ids=Ids(url=knuth.ids.url, doi="10.1000/xyz"))
    text = written([filled, other])
    lines = text.splitlines()
    assert [line for line in lines if line not in FILE.splitlines()] == ["  doi = {10.1000/xyz},"]
    # the new field goes last, before the closing brace, in the entry's own indentation
    assert "  note     = {See \\cite{other} and $O(\\log n)$, \\path|a_b|, 50\\% off},\n" in text
    assert text.index("  doi = {10.1000/xyz},\n}") > text.index("note     =")


def test_a_new_key_replaces_only_the_key():
    knuth, other = read(FILE).records
    text = written([evolve(knuth, key="knuth1984"), other])
    assert text == FILE.replace("@Article{ knuth84 ,", "@Article{ knuth1984 ,")


def test_a_changed_value_replaces_only_that_value():
    (record,) = read("@misc{k,\n  title = {Old},   year = 2001 }\n").records
    text = written([evolve(record, title="New")])
    assert text == "@misc{k,\n  title = {New},   year = 2001 }\n"


@pytest.mark.parametrize(
    ("entry", "added"),
    [
        ("@misc{k}", "@misc{k,\n  doi = {10.1/x}\n}"),
        ("@misc{k,}", "@misc{k,\n  doi = {10.1/x},\n}"),
        ("@misc{k, title={T}}", "@misc{k, title={T},\n  doi = {10.1/x}\n}"),
        ("@misc{k,\n\ttitle = {T},\n}", "@misc{k,\n\ttitle = {T},\n\tdoi = {10.1/x},\n}"),
        # (no comma after the last field: first, so that no line of the entry changes)
        ("@misc{k,\n    title = {T}\n}", "@misc{k,\n    doi = {10.1/x},\n    title = {T}\n}"),
        ("@misc(k ,\ntitle = {T})", "@misc(k ,\n  doi = {10.1/x},\ntitle = {T})"),
    ],
)
def test_a_field_is_added_before_the_closing_brace_in_any_layout(entry, added):
    (record,) = read(entry + "\n").records
    assert written([evolve(record, ids=Ids(doi="10.1/x"))]) == added + "\n"


def test_entries_from_elsewhere_are_kept_apart_by_a_blank_line():
    (bib,) = read("@misc{a, title={A}}").records
    (other,) = read("@misc{b, title={Bee}}", "other.bib").records
    fresh = evolve(other, origin=None)
    assert written([bib, fresh, bib]) == (
        "@misc{a, title={A}}\n\n@misc{b,\n  key = {Bee},\n  title = {Bee}\n}\n\n"
        "@misc{a, title={A}}\n"
    )


def test_what_follows_a_generated_trailer_is_not_carried():
    text = "@misc{a, title={A}}\n\n@comment{citetools: generated file, sha256 " + "0" * 64 + "}\n"
    (record,) = read(text).records
    assert record.origin is not None and record.origin.after == "\n"


def test_a_file_without_entries_gives_its_text_to_no_record():
    result = read('@string{j = "J"}\n% abbreviations\n')
    assert result.records == [] and result.text == '@string{j = "J"}\n% abbreviations\n'


CROSSREFS = """@inproceedings{part,
  title = {A Part},
  author = {Doe, Jane},
  year = 2001,
  crossref = {whole}
}

@proceedings{whole,
  title = {The Whole},
  editor = {Roe, Rick},
  year = 2001
}
"""


def test_rekeyed_entries_keep_their_crossrefs_pointing_at_the_right_entry(tmp_path):
    source = tmp_path / "in.bib"
    source.write_text(CROSSREFS, encoding="utf-8")
    out = tmp_path / "out.bib"
    citetools.export(citetools.read([source]), out, rekey=True)
    text = out.read_text(encoding="utf-8")
    changed = [line for line in text.splitlines() if line not in CROSSREFS.splitlines()]
    assert changed[:3] == [
        "@inproceedings{doe2001part,",
        "  crossref = {anon2001whole}",
        "@proceedings{anon2001whole,",
    ]
    assert changed[3:] == [text.splitlines()[-1]]  # (the generated-file trailer)


def test_a_paper_in_two_files_is_one_entry_and_the_second_files_text_is_kept(tmp_path):
    a, b = tmp_path / "a.bib", tmp_path / "b.bib"
    a.write_text(
        '@string{x = "X"}\n\n@misc{k1,\n  title = {The Same Paper},\n  author = {Doe, Jane},\n'
        "  year = 2020\n}\n",
        encoding="utf-8",
    )
    b.write_text(
        '% from b\n@string{y = "Why"}\n\n@misc{k2,\n  title = {The Same Paper},\n'
        "  author = {Doe, Jane},\n  year = 2020,\n  note = y\n}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.bib"
    citetools.export(citetools.read([a, b], on_problem=lambda p: None), out)
    text = _TRAILER.sub("", out.read_text(encoding="utf-8"))
    assert text == (
        '@string{x = "X"}\n\n@misc{k1,\n  note = {Why},\n  ids = {k2},\n'
        "  title = {The Same Paper},\n  author = {Doe, Jane},\n  year = 2020\n}\n\n"
        '% from b\n@string{y = "Why"}\n'
    )
