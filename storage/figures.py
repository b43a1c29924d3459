"""The per-claim index of counted figures: each matched statement's quantities, parsed once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from storage.conflicts import FIG_SQL, FigureStatement, fig_statement
from storage.db import StoreBase, threaded
from storage.tiers import FIGURES


@dataclass(frozen=True, slots=True)
class IndexedFigure:
    """One counted number of a matched statement, as the conflict check compares it."""

    statement_id: int
    pos: int  # its place among the statement's quantities (ties between one statement's figures)
    at: str
    quantity: str  # the quantity's key: equal keys with different values may conflict
    unit: str
    action: str
    scope: str
    period: str
    value: float
    approximate: bool


_COLS = "statement_id, pos, at, quantity, unit, action, scope, period, value, approximate"
# The index holds every tier's figures (a possible match may be confirmed later); conflicts are
# looked for only among statements whose figures count for the claim now (storage.tiers.FIGURES).
_COUNTED_ROW = ("EXISTS (SELECT 1 FROM matches m WHERE m.claim_id = figure_quantities.claim_id "
                f"AND m.statement_id = figure_quantities.statement_id AND {FIGURES})")


def _figure(r: tuple) -> IndexedFigure:
    return IndexedFigure(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]))


class FiguresMixin(StoreBase):
    """Write and read the figure index; how far each claim is indexed is kept by match id."""

    @threaded
    def unindexed_figure_statements(self, claim_id: int, parser: str) -> tuple[list[FigureStatement], int | None]:
        """Matched figure statements not yet indexed for the claim (all of them if the parser changed).

        Returns them with the highest match id they cover, to pass back to `index_figures`
        (None when the claim has no match beyond its mark: nothing to write).
        """
        row = self.db.execute(
            "SELECT through_match, parser FROM figure_index WHERE claim_id = ?", [claim_id]
        ).fetchone()
        through = row[0] if row and row[1] == parser else 0
        top = self.db.execute("SELECT MAX(id) FROM matches WHERE claim_id = ?", [claim_id]).fetchone()[0]
        if top is None or top <= through:
            return [], None
        sql = FIG_SQL.format(extra="AND m.id > ? AND m.id <= ?")
        return [fig_statement(r) for r in self.db.query(sql, [claim_id, through, top])], top

    @threaded
    def index_figures(self, claim_id: int, figures: Iterable[IndexedFigure], through: int, parser: str) -> None:
        """Store parsed figures and move the claim's mark to `through`; a new parser starts the claim over."""
        with self.tx() as db:
            row = db.execute("SELECT parser FROM figure_index WHERE claim_id = ?", [claim_id]).fetchone()
            if row and row[0] != parser:
                # Rows from another parser version would compare unlike with like: drop them.
                db.execute("DELETE FROM figure_quantities WHERE claim_id = ?", [claim_id])
                db.execute("DELETE FROM figure_index WHERE claim_id = ?", [claim_id])
            db.conn.executemany(
                f"INSERT OR IGNORE INTO figure_quantities (claim_id, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(claim_id, f.statement_id, f.pos, f.at, f.quantity, f.unit, f.action, f.scope, f.period, f.value,
                  int(f.approximate)) for f in figures],
            )
            # MAX: a concurrent call that indexed further already must not be undone.
            db.execute(
                "INSERT INTO figure_index (claim_id, through_match, parser) VALUES (?, ?, ?) ON CONFLICT(claim_id)"
                " DO UPDATE SET through_match = MAX(figure_index.through_match, excluded.through_match)",
                [claim_id, through, parser],
            )

    @threaded
    def indexed_figures(self, claim_id: int, statement_ids: list[int]) -> list[IndexedFigure]:
        """The indexed figures of some counted statements, in statement time order then position."""
        if not statement_ids:
            return []
        rows = self.db.execute(
            f"SELECT {_COLS} FROM figure_quantities WHERE claim_id = ? AND statement_id IN "
            f"({','.join('?' * len(statement_ids))}) AND {_COUNTED_ROW} ORDER BY at, statement_id, pos",
            [claim_id, *statement_ids],
        ).fetchall()
        return [_figure(r) for r in rows]

    @threaded
    def nearest_conflicting(
        self, claim_id: int, figures: list[IndexedFigure], accept: Callable[[IndexedFigure, IndexedFigure], bool],
    ) -> list[tuple[IndexedFigure, IndexedFigure]]:
        """Per figure, the nearest earlier figure of the same quantity that `accept`s it, else the earliest later one.

        Pairs are (figure, other). Rows are read nearest first and the scan stops at the first
        accepted one, so only the same quantity's rows near the figure are read.
        """
        out = []
        for f in figures:
            other = self._first_accepted(
                "AND (at < ? OR (at = ? AND statement_id < ?)) ORDER BY at DESC, statement_id DESC, pos DESC",
                [claim_id, f.quantity, f.value, f.at, f.at, f.statement_id], f, accept,
            ) or self._first_accepted(
                # No earlier one: the earliest of the rest (none of them is earlier, so all are later).
                "AND statement_id != ? ORDER BY at, statement_id, pos",
                [claim_id, f.quantity, f.value, f.statement_id], f, accept,
            )
            if other is not None:
                out.append((f, other))
        return out

    def _first_accepted(
        self, where: str, args: list, f: IndexedFigure, accept: Callable[[IndexedFigure, IndexedFigure], bool],
    ) -> IndexedFigure | None:
        # Equal values never conflict, so SQL skips them; `accept` decides the rest (approximate figures).
        cur = self.db.execute(
            f"SELECT {_COLS} FROM figure_quantities WHERE claim_id = ? AND quantity = ? AND value != ? "
            f"AND {_COUNTED_ROW} {where}", args)
        try:
            return next((o for o in map(_figure, cur) if accept(f, o)), None)
        finally:
            cur.close()

    @threaded
    def figure_index_size(self, claim_id: int) -> int:
        """How many figures are indexed for a claim."""
        return int(self.db.execute(
            "SELECT COUNT(*) FROM figure_quantities WHERE claim_id = ?", [claim_id]).fetchone()[0])
