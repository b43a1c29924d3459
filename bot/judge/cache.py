"""Persistent claim-embedding cache (one .npz file), so a restart does not re-encode every claim."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_BAD_FILE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def file_digest(path: Path) -> str:
    """sha256 of a file (the encoder model): embeddings are only valid for the model that made them."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class EmbeddingCache:
    """Claim text -> float32 embedding rows for one encoder model, kept in a numpy .npz file.

    The file holds the model digest, sha256 keys of (model, text) and the rows. It is read when
    asked and not kept in memory (the judge keeps its own copy of the live claims). A corrupt or
    foreign file counts as empty and is replaced on the next write; a path that cannot be written
    turns the cache off rather than stopping the judge.
    """

    def __init__(self, path: Path | str, model_id: str, dim: int) -> None:
        """Use the file at path for the model with digest model_id and rows of dim floats."""
        self.path = Path(path)
        self.model_id = model_id
        self.dim = dim
        self.enabled = True
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            self._disable(e)

    def _disable(self, e: Exception) -> None:
        log.warning("judge cache %s disabled (%s); claims will be encoded on every start", self.path, e)
        self.enabled = False

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_id}\0{text}".encode()).digest()

    def _read(self) -> tuple[np.ndarray, np.ndarray]:
        """Keys and rows in the file; empty when it is missing, corrupt or from another model."""
        empty = (np.zeros(0, "S32"), np.zeros((0, self.dim), np.float32))
        if not self.path.exists():
            return empty
        try:
            with np.load(self.path, allow_pickle=False) as z:
                model, keys, vecs = str(z["model"]), z["keys"], z["vecs"]
            if model != self.model_id or vecs.ndim != 2 or vecs.shape != (len(keys), self.dim):
                # stale (another encoder) or damaged: none of its rows can be trusted
                log.info("judge cache %s belongs to another model; starting it again", self.path)
                return empty
            return keys.astype("S32"), vecs.astype(np.float32, copy=False)
        except _BAD_FILE as e:
            log.warning("judge cache %s unreadable (%s); it will be rebuilt", self.path, e)
            return empty

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Embeddings of the texts found in the cache."""
        if not self.enabled or not texts:
            return {}
        with self._lock:
            keys, vecs = self._read()
        row = {k: i for i, k in enumerate(keys.tolist())}
        out = {}
        for t in texts:
            i = row.get(self._key(t))
            if i is not None:
                out[t] = vecs[i].copy()
        return out

    def put(self, items: dict[str, np.ndarray]) -> None:
        """Add embeddings and rewrite the file atomically (temp file + rename)."""
        if not self.enabled or not items:
            return
        new_keys = np.array([self._key(t) for t in items], dtype="S32")
        new_vecs = np.stack([np.asarray(v, np.float32) for v in items.values()])
        if new_vecs.shape[1] != self.dim:
            return
        with self._lock:
            keys, vecs = self._read()
            keep = ~np.isin(keys, new_keys)
            keys = np.concatenate([keys[keep], new_keys])
            vecs = np.concatenate([vecs[keep], new_vecs])
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            try:
                with open(tmp, "wb") as f:
                    np.savez(f, model=np.array(self.model_id), keys=keys, vecs=vecs)
                os.replace(tmp, self.path)
            except OSError as e:
                tmp.unlink(missing_ok=True)
                self._disable(e)
