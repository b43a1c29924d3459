"""Keep a claim's figure index current: parse only the statements matched since the last look."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from bot.ledger import count_words as _words
from bot.ledger import quantities as _parser
from bot.ledger.quantities import Quantity, conflicting, quantities
from storage.conflicts import FigureStatement
from storage.figures import IndexedFigure

if TYPE_CHECKING:
    from storage import Store

# The index stores the parser's output, so any edit of the parser or its word lists re-indexes each
# claim on next use.
PARSER = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (_parser, _words))).hexdigest()[:16]


def parser_version(claim: str) -> str:
    """The index's version for one claim: the parser's, and the claim text it reads places against."""
    return f"{PARSER}:{hashlib.sha256(claim.encode()).hexdigest()[:8]}"


def index_rows(st: FigureStatement, claim: str = "") -> list[IndexedFigure]:
    """A statement's quantities read for `claim`, as index rows (pos keeps their order within the statement)."""
    return [
        IndexedFigure(st.statement_id, pos, st.at, q.key, q.unit, q.action, q.scope, q.period, q.value,
                      q.approximate)
        for pos, q in enumerate(quantities(st.text, st.figures, claim))
    ]


def as_quantity(f: IndexedFigure) -> Quantity:
    """The Quantity an index row was made from."""
    return Quantity(f.value, f.unit, f.action, f.scope, f.period, f.approximate)


def conflict_between(f: IndexedFigure, other: IndexedFigure) -> bool:
    """The conflict rule of `quantities.conflicting`, on index rows."""
    return conflicting(as_quantity(f), as_quantity(other))


async def catch_up(store: Store, claim_id: int, claim: str = "") -> None:
    """Parse and index the claim's figure statements matched since the last call (all, the first time,
    and all again when the parser or the claim's text changed)."""
    version = parser_version(claim)
    pending, through = await store.unindexed_figure_statements(claim_id, version)
    if through is not None:
        await store.index_figures(claim_id, [f for st in pending for f in index_rows(st, claim)], through, version)
