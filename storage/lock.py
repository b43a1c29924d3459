"""One process per SQLite file: an exclusive lock on `<file>.lock`, released when the process ends."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class StoreUnavailable(RuntimeError):
    """The database cannot be opened: held by another process, or the server cannot be reached."""


class DatabaseInUseError(StoreUnavailable):
    """Another process holds the SQLite file."""


class FileLock:
    """An exclusive, non-blocking flock; the kernel drops it when the holder dies (even on kill -9)."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise DatabaseInUseError naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DatabaseInUseError(
                f"{self.path.with_suffix('')} is in use by another claimwatch process (pid {holder}); "
                "SQLite serves one process: run several on PostgreSQL (CLAIMWATCH_DB=postgresql://...)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (the file stays: removing it would race a process about to lock it)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
