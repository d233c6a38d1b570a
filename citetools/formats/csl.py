"""CSL words both directions use: the types and variables of CSL 1.0.2, which BibTeX field fills
which variable, the rich text of titles and the note that marks a truncated author list."""

from __future__ import annotations

import re
from collections.abc import Mapping


def words(text: str) -> tuple[str, ...]:
    """A space-separated word list (easier to read than one quoted word a line)."""
    return tuple(text.split())


# Every type and variable of CSL 1.0.2 (tests check them against the official schema).
CSL_TYPE_NAMES = frozenset(
    words(
        "article article-journal article-magazine article-newspaper bill book broadcast chapter "
        "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
        "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
        "musical_score pamphlet paper-conference patent performance periodical "
        "personal_communication post post-weblog regulation report review review-book software "
        "song speech standard thesis treaty webpage"
    )
)
NAME_VARIABLES = frozenset(
    words(
        "author chair collection-editor compiler composer container-author contributor curator "
        "director editor editorial-director executive-producer guest host interviewer "
        "illustrator narrator organizer original-author performer producer recipient "
        "reviewed-author script-writer series-creator translator"
    )
)
DATE_VARIABLES = frozenset(
    words("accessed available-date event-date issued original-date submitted")
)
TEXT_VARIABLES = frozenset(
    words(
        "citation-key language journalAbbreviation shortTitle abstract annote archive "
        "archive_collection archive_location archive-place authority call-number chapter-number "
        "citation-number citation-label collection-number collection-title container-title "
        "container-title-short dimensions division DOI edition event event-title event-place "
        "first-reference-note-number genre ISBN ISSN issue jurisdiction keyword locator medium "
        "note number number-of-pages number-of-volumes original-publisher "
        "original-publisher-place original-title page page-first part part-title PMCID PMID "
        "printing publisher publisher-place references reviewed-genre reviewed-title scale "
        "section source status supplement title title-short URL version volume volume-title "
        "volume-title-short year-suffix"
    )
)
JOURNAL_TYPES = frozenset(words("article-journal article-magazine article-newspaper periodical"))
THESIS_GENRES: Mapping[str, str] = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# Variables only the record's own fields fill (an extra field aiming at one goes to custom).
RESERVED = frozenset(words("title author issued container-title DOI URL abstract keyword note"))
# BibTeX/biblatex field -> CSL variable, in order of precedence after the CSL name itself.
RENAMES: Mapping[str, str] = {
    **dict.fromkeys(words("address location"), "publisher-place"),
    **dict.fromkeys(words("school institution organization"), "publisher"),
    "pages": "page",
    **{name: name.upper() for name in words("isbn issn pmid pmcid")},
    "series": "collection-title",
    "chapter": "chapter-number",
    "type": "genre",
    "urldate": "accessed",
    "eventtitle": "event-title",
    "eventdate": "event-date",
    "origdate": "original-date",
    "shorttitle": "title-short",
    "pagetotal": "number-of-pages",
    "volumes": "number-of-volumes",
}
# The rich-text tags CSL processors interpret in titles (citeproc-js, pandoc).
RICH_TEXT_TAG = re.compile(
    r'</?(?:i|b|em|strong|sup|sub|span)>|<span (?:class="(?:nocase|nodecor)"|style="[^"<>]*")>'
)
ENTITY = re.compile(r"&(amp|lt|gt);")  # the only entities the reader decodes


def target_variable(name: str, type_: str) -> str | None:
    """The CSL variable an extra field ``name`` fills in an item of CSL type ``type_``."""
    if name == "number":
        return "issue" if type_ in JOURNAL_TYPES else "number"
    target = RENAMES.get(name, name)
    known = target in TEXT_VARIABLES or target in NAME_VARIABLES or target in DATE_VARIABLES
    return target if known and target not in RESERVED else None


def candidates(variable: str, type_: str) -> list[str]:
    """The extra field names that fill ``variable``, highest precedence first."""
    names = dict.fromkeys([variable, *RENAMES, "number"])
    return [name for name in names if target_variable(name, type_) == variable]


def truncation_note(count: int) -> str:
    """The ``note`` line that says the author list was cut to ``count`` names."""
    shown = {0: "shows no author names", 1: "shows only the first author"}.get(
        count, f"shows only the first {count} authors"
    )
    return f"authors truncated: the listing {shown} (et al.)"
