"""citetools: paper listings in, clean bibliographies out."""

__version__ = "0.1.0"
