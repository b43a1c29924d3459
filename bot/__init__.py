"""Claimwatch: follow disputed claims across news sources and alert chat channels."""

__version__ = "0.1.0"
