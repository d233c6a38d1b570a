"""Use citetools as a library: read the seed listings, normalize, key and write BibTeX.

Run from the repository root:  python examples/library_usage.py [OUTPUT.bib]
"""

from __future__ import annotations

import sys
from datetime import date

import citetools


def main(output: str = "references.bib") -> None:
    problems: list[citetools.Problem] = []
    records = citetools.read(["seeds/"], as_of=date(2026, 11, 24), on_problem=problems.append)
    keyed = citetools.export(
        records, output, key_pattern="[auth:lower][year][veryshorttitle:lower]", force=True
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(keyed)} entries written to {output}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
