"""citetools inside other tools: plugins for pybtex, middlewares for bibtexparser.

- :mod:`citetools.integrations.pybtex_plugins`: registered through pybtex's own entry-point
  groups (see ``pyproject.toml``): the ``citetools-listing`` input format (also for ``.txt``),
  the ``citetools-csljson`` output format (also for ``.json``) and the ``citetools`` label style.
- :mod:`citetools.integrations.bibtexparser_middlewares`: bibtexparser 2 middlewares to pass as
  ``append_middleware``: :class:`~.bibtexparser_middlewares.NormalizeMiddleware`,
  :class:`~.bibtexparser_middlewares.KeyMiddleware`,
  :class:`~.bibtexparser_middlewares.ResolveMiddleware`.

Nothing is imported here: each module loads its library only when it is used.
"""
