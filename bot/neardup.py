"""Near-duplicate detection for syndicated copies: MinHash over word 3-shingles with LSH bands.

Stable across processes (crc32 shingle hashes and a fixed seed) because signatures are stored.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

NUM_PERM = 60
BANDS = 20
ROWS = NUM_PERM // BANDS  # 3 rows: a pair at Jaccard 0.6 shares a band with ~99% probability
MIN_WORDS = 25  # shorter texts dedupe by exact content hash only
THRESHOLD = 0.6  # estimated Jaccard similarity above which two texts are one story
_rng = np.random.default_rng(20260302)
_A = _rng.integers(1, 1 << 63, NUM_PERM, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 1 << 63, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> np.ndarray:
    """crc32 of every word 3-gram of the lower-cased text."""
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i:i + 3]) for i in range(max(0, len(words) - 2))}
    return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))


def signature(text: str) -> bytes | None:
    """MinHash signature (NUM_PERM uint32 values) or None when the text is too short to compare."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    x = shingles(text)
    # Multiply-shift hashing: uint64 arithmetic wraps (mod 2**64) and the high 32 bits are kept,
    # so each row is an independent-looking permutation of the shingle hashes.
    hashed = (np.outer(_A, x) + _B[:, None]) >> np.uint64(32)
    return hashed.min(axis=1).astype("<u4").tobytes()


def bands(sig: bytes) -> list[int]:
    """One signed 64-bit key per LSH band (SQLite INTEGER-sized)."""
    width = ROWS * 4
    out = []
    for i in range(BANDS):
        digest = hashlib.blake2b(bytes([i]) + sig[i * width:(i + 1) * width], digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    va = np.frombuffer(a, dtype="<u4")
    vb = np.frombuffer(b, dtype="<u4")
    if va.shape != vb.shape:
        return 0.0
    return float(np.mean(va == vb))
