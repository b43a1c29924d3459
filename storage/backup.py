"""SQLite backups: a consistent copy while the bot runs (VACUUM INTO), restore through the backup API.

SQLite only. A PostgreSQL database is backed up with its own tools (pg_dump / pg_restore).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.lock import DatabaseInUseError, FileLock
from storage.migrations import MIGRATIONS


class BackupError(Exception):
    """A backup or restore that cannot proceed: one line saying why."""


@dataclass(frozen=True, slots=True)
class CopyInfo:
    """What a backup or restore wrote."""

    path: Path
    size: int
    schema_version: int
    claims: int
    documents: int


def _connect_existing(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise BackupError(f"{path}: no such database")
    try:
        # mode=rw never creates a file: a typo must not leave an empty database behind.
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a SQLite database ({exc})") from None
    return conn


def _describe(conn: sqlite3.Connection, path: Path) -> CopyInfo:
    """Check a Claimwatch database is intact and say what it holds; BackupError otherwise."""
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        version = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a Claimwatch database ({exc})") from None
    if check != "ok":
        raise BackupError(f"{path}: damaged ({check})")
    return CopyInfo(path, path.stat().st_size, int(version), int(claims), int(documents))


def backup(db_path: str | Path, dest: str | Path) -> CopyInfo:
    """Copy the live database to `dest` in one read transaction (consistent while the bot writes).

    The copy is written beside `dest` and renamed into place, so a failed backup never leaves a half
    file where the previous good one was. A plain `cp` of a WAL database can miss committed pages
    that still sit in the -wal file; VACUUM INTO reads through it.
    """
    src_path, dest = Path(db_path), Path(dest)
    if dest.resolve() == src_path.resolve():
        raise BackupError(f"{dest}: the backup must not be the database itself")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent}: no such directory")
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    conn = _connect_existing(src_path)
    try:
        conn.execute("VACUUM INTO ?", [str(tmp)])
    except sqlite3.DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup of {src_path} failed: {exc}") from None
    finally:
        conn.close()
    copy = sqlite3.connect(tmp)
    try:
        info = _describe(copy, tmp)
    finally:
        copy.close()
    os.replace(tmp, dest)
    return CopyInfo(dest, info.size, info.schema_version, info.claims, info.documents)


def restore(backup_file: str | Path, db_path: str | Path) -> tuple[CopyInfo, Path | None]:
    """Put a backup back as the database; the bot must be stopped. Returns (what, the previous copy).

    The database being replaced is first saved as `<db>.before-restore`, so a restore can be undone.
    """
    src_path, db_path = Path(backup_file), Path(db_path)
    src = _connect_existing(src_path)
    try:
        info = _describe(src, src_path)
        known = max(v for v, _, _ in MIGRATIONS)
        if info.schema_version > known:
            raise BackupError(f"{src_path}: schema version {info.schema_version} is newer than this "
                              f"Claimwatch knows ({known}); upgrade Claimwatch first")
        lock = FileLock(db_path)  # the lock a running bot's store holds
        try:
            lock.acquire()
        except DatabaseInUseError:
            raise BackupError(f"{db_path}: the bot is running on this database; stop it, then restore") from None
        try:
            previous = None
            if db_path.is_file():
                previous = db_path.with_name(db_path.name + ".before-restore")
                previous.unlink(missing_ok=True)
                with contextlib.closing(_connect_existing(db_path)) as old:
                    old.execute("VACUUM INTO ?", [str(previous)])
            db_path.parent.mkdir(parents=True, exist_ok=True)
            # The backup API writes through SQLite, so the target's -wal/-shm stay consistent.
            with contextlib.closing(sqlite3.connect(db_path)) as dst:
                src.backup(dst)
        finally:
            lock.release()
    finally:
        src.close()
    return CopyInfo(db_path, db_path.stat().st_size, info.schema_version, info.claims, info.documents), previous
