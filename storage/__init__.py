"""Storage layer: SQLite (sqlite-utils) or PostgreSQL (psycopg) on one dedicated thread.

The package's public surface: the store, its errors, the row types other layers read, the
counting rule and the clock. Code outside storage/ imports these from here, never a module.
"""

from storage.db import utcnow
from storage.lock import DatabaseInUseError, StoreUnavailable
from storage.reviews import Correction, MatchInfo
from storage.sources import DuplicateSourceError
from storage.store import Store
from storage.tiers import counts
from storage.views import AdapterStore, HandlerStore

__all__ = ["AdapterStore", "Correction", "DatabaseInUseError", "DuplicateSourceError", "HandlerStore", "MatchInfo", "Store", "StoreUnavailable",
           "counts", "utcnow"]
