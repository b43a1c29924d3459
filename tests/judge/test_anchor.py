"""The anchored path: rare shared words (bot/judge/anchor.py) and how the pair stage uses them."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from bot.judge.anchor import Anchors, content_stems
from bot.judge.pair import PairConfig, PairStage

ROOT = Path(__file__).resolve().parents[2]
COMMON = ("report", "kill", "peopl", "offici", "russia", "attack", "said")


@pytest.mark.parametrize(("claim", "text", "shared"), [
    # a rare word both use anchors; metonyms count as their state, and stems as words
    ("Ukraine launched a drone attack on Putin's residence", "Drones were sent at the Valdai residence.",
     ("drone", "resid")),
    ("Rwanda is backing the M23 rebels", "Kigali denies arming M23.", ("m23",)),
    # only common news words shared: no anchor (the Castro sentence against a flood toll)
    ("The floods in Derna killed 11,300 people", "No one has died more times than Fidel Castro.", ()),
    ("Russia attacked the grid", "Moscow officials reported an attack.", ()),
    # numbers count as their digit groups (the tokens retrieval uses), rare unless listed
    ("The floods in Derna killed 11,300 people", "The toll rose to 11,300.", ("11", "300")),
    ("", "Anything at all.", ()),
])
def test_shared_rare_words(claim: str, text: str, shared: tuple[str, ...]) -> None:
    assert Anchors(COMMON).shared(claim, text) == shared


def test_content_stems_map_metonyms() -> None:
    assert {"russia", "ukrain"} <= content_stems("The Kremlin blamed Kyiv.")


def test_shipped_list_loads_without_its_header(tmp_path: Path) -> None:
    shipped = Anchors.load(ROOT / "models" / "common_words.txt")
    assert shipped is not None and "report" in shipped.common and "drone" not in shipped.common
    assert not any(w.startswith("#") for w in shipped.common)
    assert Anchors.load(tmp_path / "missing.txt") is None


def test_common_words_script_counts_shares() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from common_words import common

    texts = ["Officials said the dam broke.", "Officials said the bridge fell.", "The dam held."]
    assert common(texts, 0.5) == ["dam", "offici"]  # by count, then by stem
    assert common(texts, 1.0) == []


class _Model:
    """Fixed 4-way probabilities per (claim, text): the pair model's boundary."""

    def __init__(self, p_unrelated: dict[str, float]) -> None:
        self.p = p_unrelated

    def predict(self, pairs):
        u = np.array([self.p[t] for _, t in pairs], np.float32)
        return np.stack([u, 1 - u, np.zeros_like(u), np.zeros_like(u)], axis=1)


CLAIMS = ["Rwanda is backing the M23 rebels in eastern Congo"]
TEXTS = ["Kigali denies arming M23.", "No one has died more times than Fidel Castro."]


def _stage(anchor_w_rel: float) -> PairStage:
    cfg = PairConfig(floor=0.0, top=1, w_rel=0.78, w_pair=1.14, bias=-0.16, anchor_w_rel=anchor_w_rel, anchor_bias=0.4)
    return PairStage(_Model({TEXTS[0]: 0.1, TEXTS[1]: 0.1}), cfg, Anchors(COMMON))


def test_anchored_pair_weighs_the_pair_model_more() -> None:
    rel = np.array([[0.02], [0.02]], np.float32)  # retrieval misses both; the pair model calls both related
    plain, _, none = _stage(0.0).rescore(rel, TEXTS, CLAIMS)
    out, probs, anchored = _stage(0.3).rescore(rel, TEXTS, CLAIMS)
    assert none == {} and set(probs) == {(0, 0), (1, 0)}
    assert anchored == {(0, 0): ("m23",)}  # Kigali's statement shares M23; the Castro line shares nothing
    assert out[0, 0] > plain[0, 0] and out[1, 0] == pytest.approx(plain[1, 0])
    stage = _stage(0.3)
    expected = stage.mix(rel[:1, 0], np.array([0.1]), 0.3, 0.4)[0]
    assert out[0, 0] == pytest.approx(expected)


def test_anchored_path_never_lowers_a_score() -> None:
    rel = np.array([[0.9], [0.9]], np.float32)  # retrieval already sure: the main mix is higher
    plain, _, _ = _stage(0.0).rescore(rel, TEXTS, CLAIMS)
    out, _, anchored = _stage(0.3).rescore(rel, TEXTS, CLAIMS)
    assert anchored == {} and np.allclose(out, plain)
