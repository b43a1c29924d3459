"""Keep a claim's figure index current: parse only the statements matched since the last look."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from bot.ledger import quantities as _parser
from bot.ledger.quantities import Quantity, conflicting, quantities
from storage.conflicts import FigureStatement
from storage.figures import IndexedFigure

if TYPE_CHECKING:
    from storage import Store

# The index stores the parser's output, so any edit of the parser re-indexes each claim on next use.
PARSER = hashlib.sha256(Path(_parser.__file__).read_bytes()).hexdigest()[:16]


def index_rows(st: FigureStatement) -> list[IndexedFigure]:
    """A statement's quantities as index rows (pos keeps their order within the statement)."""
    return [
        IndexedFigure(st.statement_id, pos, st.at, q.key, q.unit, q.action, q.scope, q.period, q.value,
                      q.approximate)
        for pos, q in enumerate(quantities(st.text, st.figures))
    ]


def as_quantity(f: IndexedFigure) -> Quantity:
    """The Quantity an index row was made from."""
    return Quantity(f.value, f.unit, f.action, f.scope, f.period, f.approximate)


def conflict_between(f: IndexedFigure, other: IndexedFigure) -> bool:
    """The conflict rule of `quantities.conflicting`, on index rows."""
    return conflicting(as_quantity(f), as_quantity(other))


async def catch_up(store: Store, claim_id: int) -> None:
    """Parse and index the claim's figure statements matched since the last call (all, the first time)."""
    pending, through = await store.unindexed_figure_statements(claim_id, PARSER)
    if through is not None:
        await store.index_figures(claim_id, [f for st in pending for f in index_rows(st)], through, PARSER)
