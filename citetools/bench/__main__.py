"""``python -m citetools.bench``: see :mod:`citetools.bench`."""

from citetools.bench.cli import main

raise SystemExit(main())
