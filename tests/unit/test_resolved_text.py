"""What the arXiv resolver fills in is arXiv's LaTeX source, decoded as a listing's text is
(issue 16, point 1): citetools.normalize.decode_resolved_text and resolved_markup_problems, and
the pipeline's resolve stage, which the API and the command line share. What the record held
before it was resolved (the user's .bib, CSL-JSON, RIS or JSONL) is never decoded."""

from __future__ import annotations

from dataclasses import replace

import pytest

from citetools import api, pipeline
from citetools.errors import Problem
from citetools.model import Person, Provenance, Record
from citetools.normalize import decode_resolved_text, resolved_markup_problems
from citetools.resolvers import Resolution

WHEN = "arxiv 2026-11-24T10:00:00Z"
BEFORE = Record(
    title="A Title of My Own with $\\alpha$",
    authors=(Person("Ada", "Lovelace"),),
    authors_truncated=True,
    provenance=(Provenance("refs.bib", 3, "bibtex"),),
)


def filled(**fields: object) -> Record:
    """BEFORE as the arXiv resolver leaves it, ``fields`` filled from arXiv."""
    return replace(BEFORE, sources={**dict.fromkeys(fields, WHEN)}, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "latex", "text"),
    [
        ("abstract", "faster by 4$\\sim$14 times", "faster by 4∼14 times"),
        ("abstract", "we propose $\\sigma$Reparam", "we propose σReparam"),
        ("abstract", "as $\\textit{entropy collapse}$.", "as entropy collapse."),
        ("title", "Fran\\c{c}ois on $\\infty$", "François on ∞"),
        ("journal_ref", "Phys. Rev. D \\textbf{73}", "Phys. Rev. D 73"),
        ("comment", "10 pages, $2^{n+1}$ figures", "10 pages, 2^(n+1) figures"),
    ],
    ids=["sim", "sigma", "textit-in-math", "title", "journal-ref", "comment"],
)
def test_text_arxiv_filled_in_becomes_text(field, latex, text):
    record = filled(**{field: latex})
    assert getattr(decode_resolved_text(BEFORE, record), field) == text


def test_author_names_arxiv_filled_in_become_text():
    names = (Person('J\\"org', 'M\\"uller'), Person("{\\L}ukasz", "Kaiser"))
    decoded = decode_resolved_text(BEFORE, filled(authors=names, authors_truncated=False))
    assert decoded.authors == (Person("Jörg", "Müller"), Person("Łukasz", "Kaiser"))


@pytest.mark.parametrize(
    "latex",
    ["see \\cite{li2020}", "\\input{/etc/passwd}", "\\immediate\\write18{touch PWNED}"],
    ids=["cite", "input", "write18"],
)
def test_unknown_commands_stay_as_written(latex):
    record = filled(abstract=latex)
    assert decode_resolved_text(BEFORE, record).abstract == latex


def test_what_the_record_held_is_never_decoded():
    """Its own title (kept by the resolver, even where ``sources`` names arXiv: a JSON Lines
    file written after an earlier run says so), and a field no resolver filled."""
    earlier = replace(BEFORE, abstract="4$\\sim$14", sources={"abstract": WHEN, "title": WHEN})
    after = replace(earlier, comment="$\\sigma$", sources={**earlier.sources, "comment": WHEN})
    decoded = decode_resolved_text(earlier, after)
    assert (decoded.title, decoded.abstract) == (BEFORE.title, "4$\\sim$14")
    assert decoded.comment == "σ"
    unsourced = replace(BEFORE, abstract="4$\\sim$14")  # (filled, but not by arXiv)
    assert decode_resolved_text(BEFORE, unsourced) is unsourced


def test_stray_markup_is_dropped_with_a_warning_naming_the_records_file_and_line():
    record = filled(abstract="an open { brace and 4$\\sim$14", authors=(Person("Eve", "}Bad"),))
    assert resolved_markup_problems(BEFORE, record) == [
        Problem(
            "abstract (arXiv): stray markup dropped: an unpaired '{' in 'an open >>{<< brace "
            "and 4$\\sim$14'",
            "refs.bib",
            3,
        ),
        Problem(
            "author (arXiv): stray markup dropped: an unpaired '}' in '>>}<<Bad'", "refs.bib", 3
        ),
    ]
    decoded = decode_resolved_text(BEFORE, record)
    assert decoded.abstract == "an open brace and 4∼14"
    assert decoded.authors == (Person("Eve", "Bad"),)
    assert resolved_markup_problems(BEFORE, filled(abstract="4$\\sim$14")) == []


class Filling:
    """A resolver that fills each record's abstract with arXiv's LaTeX (or finds nothing)."""

    name = "filling"
    description = "test"

    def resolve(self, records):
        return [
            Resolution(
                replace(r, abstract="4$\\sim$14 {", sources={"abstract": WHEN}), "resolved", ""
            )
            if r.title
            else Resolution(r, "not-found", "no title")
            for r in records
        ]


def test_the_resolve_stage_decodes_what_was_filled_for_the_api_and_the_command_line():
    problems: list[Problem] = []
    untitled = replace(BEFORE, title=None, key="untitled")
    done = pipeline.resolve([BEFORE, untitled], Filling(), problems)
    assert [r.abstract for r in done.records] == ["4∼14", None]
    assert [r.record.abstract for r in done.resolutions] == ["4∼14", None]
    assert problems[0].message.startswith("abstract (arXiv): stray markup dropped: an unpaired")
    assert (problems[0].source, problems[0].line) == ("refs.bib", 3)
    assert [r.abstract for r in api.resolve([BEFORE], resolver=Filling())] == ["4∼14"]
