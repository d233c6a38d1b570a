"""citetools: paper listings in, clean bibliographies out."""
