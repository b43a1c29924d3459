"""Load a claim's ledger from the store (the one place handlers and exports get it from)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.ledger.model import Ledger, build_ledger
from bot.models import Claim
from storage.ledger import LedgerRow

if TYPE_CHECKING:
    from storage import Store


async def load_ledger(store: Store, claim: Claim) -> tuple[Ledger, list[LedgerRow]]:
    """The claim's ledger and the rows it was built from."""
    rows = await store.ledger_rows(claim.id)
    conflicts = await store.conflicts(claim.id)
    return build_ledger(claim, rows, conflicts), rows
