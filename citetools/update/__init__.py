"""Writing onto a bibliography that already exists, without losing anyone's work.

- :mod:`.trailer`: the generated-file trailer of a .bib written by citetools, and whether an
  existing file may be replaced (ours and unchanged, edited since, or never ours);
- :mod:`.merge`: ``--merge``: every existing entry kept as it is, new papers added, matching
  papers' empty fields filled.

The key lock (papers already in the output keep their keys) is :mod:`citetools.keys.lock`.
"""
