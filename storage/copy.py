"""`claimwatch db copy`: every row of one database into another (SQLite <-> PostgreSQL), ids kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from storage.migrations import migrate
from storage.store import Store

BATCH = 1000
# Written by the migrations themselves, so present in an empty database and never copied as data.
BOOKKEEPING = {"schema_migrations"}
RESET = {"sync_versions"}  # replaced wholesale by the source's rows


class TargetNotEmptyError(RuntimeError):
    """The target already holds data (pass force to replace it)."""


@dataclass
class CopyReport:
    """Rows per table in the source and, after the copy, in the target."""

    source: dict[str, int]
    target: dict[str, int]

    @property
    def identical(self) -> bool:
        """Every table has as many rows in the target as in the source."""
        return self.source == self.target


def table_order() -> list[str]:
    """Data tables in creation order, which is also foreign-key order (a table follows those it references)."""
    db = sqlite_utils.Database(memory=True)
    migrate(db, "1970-01-01T00:00:00+00:00")
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
    names = [r[0] for r in rows]
    db.close()
    return [n for n in names if not n.startswith("claims_fts") and n not in BOOKKEEPING]


def _columns(store: Store, table: str) -> list[str]:
    if store.is_postgres:
        rows = store.db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
        return [r[0] for r in rows]
    return [c.name for c in store.db[table].columns]


def _order(store: Store, table: str, cols: list[str]) -> str:
    # Insertion order: SQLite's rowid (outlets lists outlets in that order), PostgreSQL's id or rowid.
    if not store.is_postgres:
        without_rowid = "WITHOUT ROWID" in (store.db[table].schema or "").upper()
        return ", ".join(cols) if without_rowid else "rowid"
    return "id" if "id" in cols else ("rowid" if "rowid" in cols else ", ".join(cols))


def _counts(store: Store, tables: list[str]) -> dict[str, int]:
    return {t: int(store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}


def _read(store: Store, table: str, cols: list[str], order: str, offset: int) -> list[tuple[Any, ...]]:
    sql = f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?"
    return [tuple(r) for r in store.db.execute(sql, [BATCH, offset]).fetchall()]


def _write(store: Store, table: str, cols: list[str], rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in cols)
    with store.tx() as db:
        db.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


def _clear(store: Store, tables: list[str]) -> None:
    with store.tx() as db:
        for t in reversed(tables):  # referencing tables first
            db.execute(f"DELETE FROM {t}")


def _reset_sequences(store: Store, tables: list[str]) -> None:
    # Copied rows keep their ids; new rows must continue after them.
    for t in tables:
        for col in [c for c in ("id", "rowid") if c in _columns(store, t)]:
            seq = store.db.execute("SELECT pg_get_serial_sequence(?, ?)", [t, col]).fetchone()[0]
            if seq:
                store.db.execute(
                    f"SELECT setval(?, COALESCE((SELECT MAX({col}) FROM {t}), 0) + 1, false)", [seq])


async def copy_database(src: Store, dst: Store, force: bool = False) -> CopyReport:
    """Copy every data table from `src` into `dst` (both open and migrated).

    Refuses a target holding any data unless `force`, which deletes it first.
    """
    tables = table_order()
    have = await dst.run(_counts, dst, tables)
    if any(n for t, n in have.items() if t not in RESET) and not force:
        filled = ", ".join(f"{t} ({n})" for t, n in have.items() if n and t not in RESET)
        raise TargetNotEmptyError(f"the target already holds rows: {filled}; pass --force to replace them")
    await dst.run(_clear, dst, tables)
    for table in tables:
        src_cols = await src.run(_columns, src, table)
        dst_cols = set(await dst.run(_columns, dst, table))
        cols = [c for c in src_cols if c in dst_cols]
        order = await src.run(_order, src, table, src_cols)
        if order == "rowid" and "rowid" in dst_cols and "rowid" not in src_cols:
            cols_read = ["rowid", *cols]  # SQLite's implicit rowid becomes PostgreSQL's real column
        else:
            cols_read = cols
        offset = 0
        while True:
            rows = await src.run(_read, src, table, cols_read, order, offset)
            if not rows:
                break
            await dst.run(_write, dst, table, cols_read, rows)
            offset += len(rows)
    if dst.is_postgres:
        await dst.run(_reset_sequences, dst, tables)
    return CopyReport(await src.run(_counts, src, tables), await dst.run(_counts, dst, tables))
