"""``BibtexExporter(arxiv_note=True)``: the arXiv id as a note, for styles that ignore eprint."""

from __future__ import annotations

from dataclasses import replace

import pytest

from citetools.exporters import to_string
from citetools.exporters.bibtex import BibtexExporter, add_arxiv_note, format_entry
from citetools.model import Ids, PartialDate, Person, Record
from citetools.readers import read_string
from citetools.readers.bibtex import BibtexReader

PREPRINT = Record(
    title="Few-Step Distillation for Text-to-Image Generation",
    authors=(Person(given="Yifan", family="Pu"),),
    date=PartialDate(2025, 12, 15),
    categories=("cs.CV",),
    ids=Ids(arxiv="2512.13006", arxiv_version=2),
    key="pu2025few",
)

# Written by hand: the canonical entry plus the note, in its place after url.
PREPRINT_WITH_NOTE = """@misc{pu2025few,
  title = {Few-Step Distillation for Text-to-Image Generation},
  author = {Pu, Yifan},
  organization = {arXiv},
  year = {2025},
  month = dec,
  date = {2025-12-15},
  eprint = {2512.13006},
  archivePrefix = {arXiv},
  primaryClass = {cs.CV},
  doi = {10.48550/arXiv.2512.13006},
  url = {https://arxiv.org/abs/2512.13006},
  note = {arXiv preprint arXiv:2512.13006},
  keywords = {cs.CV}
}
"""


def test_option_adds_the_note_written_by_hand():
    assert to_string(BibtexExporter(arxiv_note=True), [PREPRINT]) == PREPRINT_WITH_NOTE


def test_default_output_is_the_canonical_entry_without_note():
    text = to_string(BibtexExporter(), [PREPRINT])
    assert text == format_entry(PREPRINT)
    assert "note" not in text


def test_option_is_keyword_only():
    with pytest.raises(TypeError):
        BibtexExporter(True)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Accepted at CVPR 2026", "Accepted at CVPR 2026. arXiv preprint arXiv:2512.13006"),
        ("Accepted at CVPR 2026.", "Accepted at CVPR 2026. arXiv preprint arXiv:2512.13006"),
        ("Oral?", "Oral? arXiv preprint arXiv:2512.13006"),
        ("  spaced  ", "spaced. arXiv preprint arXiv:2512.13006"),
        ("", "arXiv preprint arXiv:2512.13006"),
        ("See arXiv:2512.13006.", "See arXiv:2512.13006."),
        ("see ARXIV:2512.13006v3 for v3", "see ARXIV:2512.13006v3 for v3"),
        ("Not arXiv:2512.130061", "Not arXiv:2512.130061. arXiv preprint arXiv:2512.13006"),
    ],
    ids=[
        "appended-as-sentence",
        "no-double-period",
        "question-mark-kept",
        "trimmed",
        "empty-note",
        "already-named",
        "already-named-other-case-and-version",
        "longer-id-is-another-paper",
    ],
)
def test_existing_note_keeps_its_text(note, expected):
    record = replace(PREPRINT, extra={"note": note})
    assert add_arxiv_note(record).extra == {"note": expected}


def test_note_key_in_any_case_is_reused_not_duplicated():
    record = replace(PREPRINT, extra={"Note": "Oral"})
    assert add_arxiv_note(record).extra == {"Note": "Oral. arXiv preprint arXiv:2512.13006"}
    assert format_entry(add_arxiv_note(record)).count("note = ") == 1


def test_old_style_ids_are_named_as_written():
    record = replace(PREPRINT, ids=Ids(arxiv="hep-th/9901001"))
    assert add_arxiv_note(record).extra == {"note": "arXiv preprint arXiv:hep-th/9901001"}


def test_records_without_arxiv_id_are_unchanged():
    record = replace(PREPRINT, ids=Ids(doi="10.1/x"), extra={"note": "n"})
    assert add_arxiv_note(record) is record
    exporter = BibtexExporter(arxiv_note=True)
    assert to_string(exporter, [record]) == to_string(BibtexExporter(), [record])


def test_record_itself_is_not_changed():
    add_arxiv_note(PREPRINT)
    assert PREPRINT.extra == {}


def test_exporting_the_exported_file_again_adds_nothing():
    exporter = BibtexExporter(arxiv_note=True)
    first = to_string(exporter, [PREPRINT, replace(PREPRINT, key="b", extra={"note": "Oral"})])
    again = to_string(exporter, read_string(BibtexReader(), first, "x.bib").records)
    assert again == first
    assert "note = {Oral. arXiv preprint arXiv:2512.13006}" in first
