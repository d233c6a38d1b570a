"""BibTeX words both directions use: month macros, the fields written verbatim, date fields."""

from __future__ import annotations

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Identifiers: never LaTeX-escaped on export, never LaTeX-decoded on reading.
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "isbn", "issn", "urldate"})
# biblatex dates (read by biber, never by LaTeX: `2004~` is approximate, not a tie): never
# LaTeX-decoded on reading; written as they are unless that would break their braces.
DATE_FIELDS = frozenset({"date", "eventdate", "origdate"})

# The last line of a .bib citetools writes (:mod:`citetools.update.trailer`): the checksum of
# the file above it, a plain-text line outside any entry (``% citetools: generated file, sha256
# <hex> ...``), which BibTeX, biber and every reference manager skip. Files written before
# carry it as ``@comment{citetools: generated file, sha256 <hex> ...}``: still ours. Readers
# leave it out of what they carry; the writer adds a new one.
TRAILER_PATTERN = r"\n?(?:% |@comment\{)citetools: generated file, sha256 ([0-9a-f]{64})[^\n]*\n?\Z"
