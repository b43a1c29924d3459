"""The persistent claim-embedding cache: a restarted judge encodes only claims it has not seen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.judge import ClaimRef, load_judge
from bot.judge.cache import EmbeddingCache
from bot.judge.loader import DEFAULT_MODEL_DIR

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "encoder.int8.onnx").exists(),
                                reason="shipped model absent")

CLAIMS = [ClaimRef("1", "Ukraine launched a drone attack on Putin's Novgorod residence"),
          ClaimRef("2", "The central bank raised its main rate to 5 percent"),
          ClaimRef("3", "A dairy recall followed a listeria outbreak in three towns")]


def counting(judge) -> list[int]:
    """Wrap the judge's real encoder so every call records how many texts it encoded."""
    calls: list[int] = []
    real = judge.encoder.encode

    def encode(texts):
        calls.append(len(texts))
        return real(texts)

    judge.encoder.encode = encode
    return calls


def test_second_judge_with_same_cache_encodes_no_claim(tmp_path: Path) -> None:
    path = tmp_path / "judge-cache.npz"
    first = load_judge(cache_path=path)
    calls = counting(first)
    first.set_claims(CLAIMS)
    assert calls == [3]
    expected = first.match(["Moscow says Kyiv sent drones at Putin's residence."], top_k=2)

    second = load_judge(cache_path=path)
    calls2 = counting(second)
    second.set_claims(CLAIMS)
    assert calls2 == []  # every claim embedding came from the file
    assert second.match(["Moscow says Kyiv sent drones at Putin's residence."], top_k=2) == expected
    assert calls2 == [1]  # only the statement itself

    # one new claim: only that one is encoded
    second.set_claims(CLAIMS + [ClaimRef("4", "The airline grounded all flights on Monday")])
    assert calls2 == [1, 1]


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "judge-cache.npz"
    path.write_bytes(b"this is not a sqlite database" * 100)
    judge = load_judge(cache_path=path)
    calls = counting(judge)
    judge.set_claims(CLAIMS)
    assert calls == [3]
    again = load_judge(cache_path=path)
    calls2 = counting(again)
    again.set_claims(CLAIMS)
    assert calls2 == []


def test_cache_of_another_model_is_not_reused(tmp_path: Path) -> None:
    path = tmp_path / "c.npz"
    EmbeddingCache(path, "other-model", 384).put({CLAIMS[0].text: np.ones(384, np.float32)})
    judge = load_judge(cache_path=path)
    calls = counting(judge)
    judge.set_claims(CLAIMS)
    assert calls == [3]
    # and rows of the wrong size are treated as missing, not as embeddings
    odd = EmbeddingCache(tmp_path / "d.npz", "m", 4)
    odd.put({"x": np.ones(3, np.float32)})
    assert odd.get(["x"]) == {}


def test_unwritable_cache_path_only_disables_the_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    judge = load_judge(cache_path=blocker / "sub" / "cache.npz")  # parent is a file
    assert judge.disk_cache is not None and not judge.disk_cache.enabled
    judge.set_claims(CLAIMS)
    assert judge.match(["The central bank raised rates to 5 percent."])[0][0].claim_id == "2"


def test_cache_file_corrupted_while_running_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.npz"
    cache = EmbeddingCache(path, "m", 4)
    cache.put({"a": np.arange(4, dtype=np.float32)})
    assert np.array_equal(cache.get(["a", "b"])["a"], np.arange(4, dtype=np.float32))
    path.write_bytes(b"garbage" * 1000)
    assert cache.get(["a"]) == {}  # unreadable: rebuilt empty, no exception
    cache.put({"b": np.ones(4, np.float32)})
    assert list(cache.get(["a", "b"])) == ["b"]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a write cut short (disk full, crash)
    assert cache.get(["b"]) == {}
    cache.put({"a": np.zeros(4, np.float32)})
    assert list(cache.get(["a", "b"])) == ["a"]
