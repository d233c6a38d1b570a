"""Example citetools plugins, each found through its entry point (see ``pyproject.toml``).

- ``idlist`` reader (:mod:`.idlist`): a plain list of DOIs, arXiv ids and URLs, one per line;
- ``hayagriva`` exporter (:mod:`.hayagriva`): Hayagriva YAML, the bibliography format of Typst;
- ``house`` key style (:mod:`.housekey`): a lab's house keys, ``Xing:2026:LumosNexus``.
"""
