"""A lab's house key style as a citetools plugin: ``Xing:2026:LumosNexus``."""

from __future__ import annotations

import re

from citetools import Record
from citetools.keys import FUNCTION_WORDS, sanitize_key


class HouseKeyStyle:
    name = "house"
    description = "Family:Year:TwoTitleWords, e.g. Xing:2026:LumosNexus"

    def base_key(self, record: Record) -> str:
        family = record.authors[0].family if record.authors else "Anon"
        year = record.date.year if record.date and record.date.year else "nd"
        words = re.findall(r"[^\W_]+", record.title or record.abstract or "")
        words = [w for w in words if w.lower() not in FUNCTION_WORDS][:2]
        title = "".join(w[0].upper() + w[1:] for w in words) or "Untitled"
        parts = [sanitize_key(str(part)) or "X" for part in (family, year, title)]
        return ":".join(parts)
