"""BibTeX words both directions use: month macros and the fields written verbatim."""

from __future__ import annotations

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Identifiers: never LaTeX-escaped on export, never LaTeX-decoded on reading.
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "isbn", "issn", "urldate"})
