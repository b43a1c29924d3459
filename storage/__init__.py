"""Storage layer: SQLite through sqlite-utils on one dedicated thread."""

from storage.store import Store

__all__ = ["Store"]
