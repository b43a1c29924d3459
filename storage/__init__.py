"""Storage layer: SQLite (sqlite-utils) or PostgreSQL (psycopg) on one dedicated thread."""

from storage.lock import DatabaseInUseError, StoreUnavailable
from storage.store import Store

__all__ = ["DatabaseInUseError", "Store", "StoreUnavailable"]
