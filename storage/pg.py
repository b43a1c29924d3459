"""PostgreSQL behind the slice of sqlite-utils' API the store uses, so both backends share one Store.

The mixins and migrations are written once in SQLite's SQL; `translate` rewrites the few spellings
that differ (placeholders, INSERT OR IGNORE, json_extract, scalar MAX/MIN, IS NOT 'x', DDL types).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.rows import dict_row

log = logging.getLogger(__name__)
_DDL = re.compile(r"^\s*(CREATE\s+TABLE|ALTER\s+TABLE)", re.I)
_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+IGNORE\s+)?INTO\s+(\w+)", re.I)
# Case-sensitive: migrations spell types in capitals and columns (one is named text) in lower case.
_DDL_TYPES = [
    (re.compile(r"\bINTEGER PRIMARY KEY\b(?!\s*\()"), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    # SQLite compares text byte-wise; the C collation makes every ORDER BY agree across backends.
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
    (re.compile(r"\)\s*WITHOUT ROWID\s*$"), ")"),
]
_REWRITES = [
    (re.compile(r"json_extract\(([\w.]+), '\$\.(\w+)'\)"), r"(\1::jsonb ->> '\2')"),
    (re.compile(r"\bMAX\(([^(),]+),([^(),]+)\)"), r"GREATEST(\1,\2)"),
    (re.compile(r"\bMIN\(([^(),]+),([^(),]+)\)"), r"LEAST(\1,\2)"),
    (re.compile(r"\bIS NOT (?=')"), "IS DISTINCT FROM "),
    (re.compile(r"\bIS (?=')"), "IS NOT DISTINCT FROM "),
]
_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.I)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """SQLite SQL as PostgreSQL runs it."""
    if re.search(r"\bINSERT\s+OR\s+REPLACE\b", sql, re.I):
        raise ValueError("INSERT OR REPLACE has no PostgreSQL spelling: write ON CONFLICT ... DO UPDATE")
    out = sql
    if _DDL.match(out):
        for pattern, repl in _DDL_TYPES:
            out = pattern.sub(repl, out)
    for pattern, repl in _REWRITES:
        out = pattern.sub(repl, out)
    if _OR_IGNORE.search(out):
        out = _OR_IGNORE.sub("INSERT INTO", out).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return out.replace("%", "%%").replace("?", "%s")


class _NumericLoader(Loader):
    """SUM() and AVG() give numeric: load whole numbers as int and the rest as float, as SQLite does."""

    def load(self, data: bytes | bytearray | memoryview) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class PgCursor:
    """What callers read from sqlite3's cursor: rows as tuples, rowcount, lastrowid."""

    def __init__(self, cur: psycopg.Cursor[Any], lastrowid: int | None) -> None:
        self._cur = cur
        self.rowcount = cur.rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row."""
        return self._cur.fetchall() if self._cur.description else []

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.fetchall())

    def close(self) -> None:
        """Free the cursor."""
        self._cur.close()


class PgTable:
    """db["name"]: insert, update by id, count, full-text index."""

    def __init__(self, db: PgDatabase, name: str) -> None:
        self.db, self.name = db, name
        self.last_pk: Any = None

    def insert(self, row: dict[str, Any]) -> PgTable:
        """Insert one row; last_pk is its id where the table has one."""
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.db.execute(f"INSERT INTO {self.name} ({cols}) VALUES ({marks})", list(row.values()))
        self.last_pk = cur.lastrowid
        return self

    def update(self, pk: Any, changes: dict[str, Any]) -> PgTable:
        """Change columns of the row whose id is `pk`."""
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            self.db.execute(f"UPDATE {self.name} SET {sets} WHERE id = ?", [*changes.values(), pk])
        self.last_pk = pk
        return self

    @property
    def count(self) -> int:
        """Rows in the table."""
        return int(self.db.execute(f"SELECT COUNT(*) FROM {self.name}").fetchone()[0])  # type: ignore[index]

    def enable_fts(self, columns: Sequence[str], **_: Any) -> None:
        """A GIN index on the words of `columns` (SQLite builds an FTS5 table instead)."""
        self.db.execute(
            f"CREATE INDEX IF NOT EXISTS {self.name}_fts ON {self.name} "
            f"USING GIN ({fts_vector(columns)})"
        )


def fts_vector(columns: Sequence[str]) -> str:
    """The tsvector expression the full-text index and its queries share."""
    return "to_tsvector('english', " + " || ' ' || ".join(f"coalesce({c}, '')" for c in columns) + ")"


class _Conn:
    """db.conn: executemany, as sqlite3's connection offers it."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self._db.raw.cursor() as cur:
                cur.executemany(translate(sql), rows)


class PgDatabase:
    """One psycopg connection (autocommit; atomic() opens a transaction, nested ones savepoints)."""

    is_postgres = True

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.raw = self._connect()
        self.conn = _Conn(self)
        self._id_tables: set[str] | None = None
        self._depth = 0  # open atomic() blocks

    def _connect(self) -> psycopg.Connection[Any]:
        raw = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
        raw.adapters.register_loader("numeric", _NumericLoader)
        return raw

    def _retry(self, exc: psycopg.OperationalError) -> bool:
        # A server restart or a dropped connection: reconnect, and run the statement again only
        # outside a transaction (inside one, the transaction is lost and the caller must see that).
        if not (self.raw.broken or self.raw.closed) or self._depth:
            return False
        log.warning("PostgreSQL connection lost (%s); reconnecting", str(exc).strip().splitlines()[-1:])
        self.raw = self._connect()
        return True

    def _has_id(self, table: str) -> bool:
        if self._id_tables is None:
            rows = self.raw.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'id' AND column_default LIKE 'nextval%%'"
            ).fetchall()
            self._id_tables = {r[0] for r in rows}
        return table in self._id_tables

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        """Run one statement; an INSERT into a table with an id reports it as lastrowid."""
        text = translate(sql)
        m = _INSERT.match(sql)
        want_id = m is not None and "RETURNING" not in text.upper() and self._has_id(m.group(1))
        if want_id:
            text += " RETURNING id"
        if _DDL.match(sql) or sql.lstrip().upper().startswith("CREATE"):
            self._id_tables = None
        try:
            cur = self.raw.cursor()
            cur.execute(text, tuple(params or ()))  # () still unescapes %%
        except psycopg.OperationalError as exc:
            if not self._retry(exc):
                raise
            cur = self.raw.cursor()
            cur.execute(text, tuple(params or ()))
        lastrowid = None
        if want_id:
            row = cur.fetchone()
            lastrowid = row[0] if row else None
        return PgCursor(cur, lastrowid)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts."""
        for attempt in (1, 2):
            try:
                with self.raw.cursor(row_factory=dict_row) as cur:
                    cur.execute(translate(sql), tuple(params or ()))
                    rows = cur.fetchall() if cur.description else []
                return iter(rows)
            except psycopg.OperationalError as exc:
                if attempt == 2 or not self._retry(exc):
                    raise
        raise AssertionError("unreachable")

    def __getitem__(self, name: str) -> PgTable:
        return PgTable(self, name)

    @contextmanager
    def atomic(self) -> Iterator[Any]:
        """A transaction; a savepoint inside another."""
        block = self.raw.transaction()
        try:
            tx = block.__enter__()  # BEGIN: where a dropped connection shows first
        except psycopg.OperationalError as exc:
            if not self._retry(exc):
                raise
            block = self.raw.transaction()
            tx = block.__enter__()
        self._depth += 1
        try:
            yield tx
        except BaseException as exc:
            self._depth -= 1
            if not block.__exit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            self._depth -= 1
            block.__exit__(None, None, None)

    def table_names(self) -> list[str]:
        """Tables in the current schema."""
        rows = self.raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()
