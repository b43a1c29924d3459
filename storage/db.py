"""One worker thread owns the database connection (SQLite or PostgreSQL); async callers hop onto it."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlite_utils

from storage.lock import FileLock, StoreUnavailable
from storage.url import DatabaseTarget, parse_database

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")


def utcnow() -> str:
    """Current UTC time as ISO-8601 with seconds, the format every table stores."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def threaded(fn: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], Awaitable[R]]:
    """Turn a synchronous store method into an async one that runs on the store thread."""

    @functools.wraps(fn)
    async def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.run(fn, self, *args, **kwargs)

    wrapper.sync = fn  # type: ignore[attr-defined]
    return wrapper


class StoreBase:
    """Holds the connection and the single worker thread.

    `exclusive` (the running bot) locks an SQLite file against a second process.
    """

    def __init__(self, path: str | Path | DatabaseTarget, *, exclusive: bool = False) -> None:
        self.target = parse_database(path)
        self.path = str(self.target)
        self.exclusive = exclusive
        self._lock: FileLock | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimwatch-store")
        self._db: Any = None

    @property
    def is_postgres(self) -> bool:
        """True on PostgreSQL, where several processes share the database."""
        return self.target.is_postgres

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection; only valid on the store thread."""
        assert self._db is not None, "store not opened"
        return self._db

    async def run(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Run `fn` on the store thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def _open(self) -> None:
        if self.target.is_postgres:
            import psycopg

            from storage.pg import PgDatabase  # psycopg loads only when PostgreSQL is used

            try:
                self._db = PgDatabase(self.target.dsn or "")
            except psycopg.OperationalError as exc:
                reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
                raise StoreUnavailable(f"cannot reach PostgreSQL at {self.path}: {reason}") from None
            return
        if not self.target.in_memory:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            if self.exclusive:
                self._lock = FileLock(Path(self.path))
                self._lock.acquire()
        conn = sqlite3.connect(self.path, isolation_level=None)
        self._db = sqlite_utils.Database(conn)
        if not self.target.in_memory:
            self._db.enable_wal()
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @contextmanager
    def tx(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction (savepoint when nested): all rows land together or none do."""
        with self.db.atomic():
            yield self.db

    async def close(self) -> None:
        """Close the connection and stop the thread."""
        await self.run(self._close)
        self._executor.shutdown(wait=True)
