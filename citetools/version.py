"""The package version, in one place (the package facade and the arXiv client's User-Agent)."""

__version__ = "0.1.0"
