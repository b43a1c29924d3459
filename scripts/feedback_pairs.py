"""Read `claimwatch feedback export` JSONL as stance training pairs, in the form the dataset loaders give.

Each line {"claim", "text", "label", "claim_id", "match_id", ...} becomes a Pair whose body is the
statement text; pairs are grouped by claim so fold_of keeps one claim's pairs in one fold. Used by
scripts/train_stance.py --feedback FILE.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.judge.training.corpus import build_docs, pair_matrix  # noqa: E402
from bot.judge.training.datasets import Pair  # noqa: E402
from bot.judge.types import LABELS  # noqa: E402


def load_feedback(path: Path) -> tuple[dict[str, str], list[Pair]]:
    """Bodies by id and labelled pairs; ValueError names the line of anything malformed."""
    bodies: dict[str, str] = {}
    pairs: list[Pair] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{n}: expected an object")
            claim, text, label = row.get("claim"), row.get("text"), row.get("label")
            if not (isinstance(claim, str) and claim.strip() and isinstance(text, str) and text.strip()):
                raise ValueError(f"{path}:{n}: \"claim\" and \"text\" must be non-empty strings")
            if label not in LABELS:
                raise ValueError(f"{path}:{n}: \"label\" must be one of {', '.join(LABELS)}, not {label!r}")
            body_id = f"fb{row.get('match_id', n)}"
            bodies[body_id] = text
            pairs.append(Pair(claim, body_id, LABELS.index(label), f"feedback-claim-{row.get('claim_id', claim)}"))
    return bodies, pairs


def feedback_matrix(enc, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Stance features and labels of the exported pairs, as train_stance.py builds them for a benchmark set."""
    bodies, pairs = load_feedback(path)
    if not pairs:
        raise ValueError(f"{path}: no labelled pairs")
    return pair_matrix(pairs, build_docs(bodies, enc, "feedback"), enc, "feedback")
