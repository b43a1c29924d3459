"""Persistent claim-embedding cache (SQLite), so a restart does not re-encode every watched claim."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_CHUNK = 500  # keys per SELECT ... IN (...): well under SQLite's variable limit


def file_digest(path: Path) -> str:
    """sha256 of a file (the encoder model): embeddings are only valid for the model that made them."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class EmbeddingCache:
    """Claim text -> float32 embedding rows for one encoder model, kept in a small SQLite file.

    A corrupt or foreign file is deleted and rebuilt; a file that is locked or cannot be written
    turns the cache off (every lookup misses) rather than stopping the judge.
    """

    def __init__(self, path: Path | str, model_id: str, dim: int) -> None:
        """Open (or create) the cache at path for the model with digest model_id and rows of dim floats."""
        self.path = Path(path)
        self.model_id = model_id
        self.dim = dim
        self.enabled = True
        self._lock = threading.Lock()
        try:
            self._prepare()
        except (sqlite3.OperationalError, OSError) as e:
            # locked by another process or not writable: leave the file alone, work without it
            log.warning("judge cache %s disabled (%s); claims will be encoded on every start", self.path, e)
            self.enabled = False
        except (sqlite3.Error, ValueError) as e:
            log.warning("judge cache %s unusable (%s); rebuilding it", self.path, e)
            self._rebuild()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5.0)

    def _prepare(self) -> None:
        """Create the tables; drop every row when the file belongs to another model or dimension."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS emb (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
            stamp = f"{self.model_id}:{self.dim}"
            row = db.execute("SELECT v FROM meta WHERE k = 'model'").fetchone()
            if row is None or row[0] != stamp:
                # stale: another encoder made these rows, so none of them can be reused
                db.execute("DELETE FROM emb")
                db.execute("INSERT OR REPLACE INTO meta (k, v) VALUES ('model', ?)", (stamp,))
            db.execute("SELECT count(*) FROM emb").fetchone()
        db.close()

    def _rebuild(self) -> None:
        """Delete the file and start empty; turn the cache off if that fails too."""
        try:
            for p in (self.path, Path(str(self.path) + "-journal")):
                p.unlink(missing_ok=True)
            self._prepare()
        except (sqlite3.Error, OSError, ValueError) as e:
            log.warning("judge cache %s disabled (%s); claims will be encoded on every start", self.path, e)
            self.enabled = False

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_id}\0{text}".encode()).digest()

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Embeddings of the texts found in the cache (rows of the wrong size count as missing)."""
        if not self.enabled or not texts:
            return {}
        keys = {self._key(t): t for t in texts}
        out: dict[str, np.ndarray] = {}
        with self._lock:
            try:
                db = self._connect()
                try:
                    ks = list(keys)
                    for s in range(0, len(ks), _CHUNK):
                        part = ks[s : s + _CHUNK]
                        q = f"SELECT key, vec FROM emb WHERE key IN ({','.join('?' * len(part))})"
                        for k, v in db.execute(q, part):
                            if len(v) == 4 * self.dim:
                                out[keys[k]] = np.frombuffer(v, dtype=np.float32).copy()
                finally:
                    db.close()
            except sqlite3.OperationalError as e:
                log.warning("judge cache %s busy (%s); encoding instead", self.path, e)
                return {}
            except sqlite3.Error as e:
                log.warning("judge cache %s unreadable (%s); rebuilding it", self.path, e)
                self._rebuild()
                return {}
        return out

    def put(self, items: dict[str, np.ndarray]) -> None:
        """Store new embeddings; a write failure is logged and otherwise ignored."""
        if not self.enabled or not items:
            return
        rows = [(self._key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in items.items()]
        with self._lock:
            try:
                db = self._connect()
                try:
                    with db:
                        db.executemany("INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)", rows)
                finally:
                    db.close()
            except sqlite3.OperationalError as e:
                log.warning("judge cache %s busy (%s); rows not written", self.path, e)
            except sqlite3.Error as e:
                log.warning("judge cache %s not written (%s); rebuilding it", self.path, e)
                self._rebuild()
