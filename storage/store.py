"""The Store: every table behind typed async methods on one worker thread."""

from __future__ import annotations

from storage.alerting import AlertingMixin
from storage.backfill import BackfillMixin
from storage.claims import ClaimsMixin
from storage.conflicts import ConflictsMixin
from storage.db import threaded, utcnow
from storage.deliveries import DeliveriesMixin
from storage.documents import DocumentsMixin
from storage.figures import FiguresMixin
from storage.leases import LeasesMixin
from storage.ledger import LedgerMixin
from storage.migrations import current_version, migrate
from storage.policies import PoliciesMixin
from storage.reviews import ReviewsMixin
from storage.sources import SourcesMixin


class Store(
    ClaimsMixin, SourcesMixin, DocumentsMixin, DeliveriesMixin, LedgerMixin,
    ConflictsMixin, PoliciesMixin, AlertingMixin, BackfillMixin, FiguresMixin, ReviewsMixin, LeasesMixin,
):
    """SQLite or PostgreSQL store; open() applies migrations."""

    async def open(self) -> list[int]:
        """Open the database and apply pending migrations; returns versions applied."""
        await self.run(self._open)
        return await self._migrate()

    @threaded
    def _migrate(self) -> list[int]:
        return migrate(self.db, utcnow())

    @threaded
    def schema_version(self) -> int:
        """Highest applied migration."""
        return current_version(self.db)
