"""The arXiv API as a resolver: :mod:`.resolver` (matching records to papers, never a wrong
match), :mod:`.client` (polite, cached, retrying HTTP), :mod:`.atom` (the feed), :mod:`.match`
(scores), :mod:`.query` (batched search queries), :mod:`.setup` (the settings and their
defaults). Nothing is imported here, so the command line can read the defaults without loading
requests."""
