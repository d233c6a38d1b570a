"""Use citetools as a library: read the seed listings, normalize, key and write BibTeX.

Run from the repository root:  python examples/library_usage.py [OUTPUT.bib]
"""

from __future__ import annotations

import sys
from datetime import date

from citetools import pipeline, plugins
from citetools.keys import PatternKeyStyle, assign_keys


def main(output: str = "references.bib") -> None:
    read = pipeline.read(["seeds/"])
    done = pipeline.normalize(read.records, as_of=date(2026, 11, 24))
    records = assign_keys(done.records, PatternKeyStyle("[auth:lower][year][veryshorttitle:lower]"))
    with open(output, "w", encoding="utf-8") as out:
        plugins.exporter("bibtex").write(records, out)
    for problem in read.problems + done.problems:
        print(problem, file=sys.stderr)
    print(f"{len(records)} entries written to {output}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
