"""Measures of a judge on a labelled fixture set (claims + statements with gold claim and stance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..judge import Judge
from ..types import STANCES, ClaimRef
from .metrics import f1_per_class


def load_fixture(folder: Path) -> tuple[list[ClaimRef], list[dict[str, Any]]]:
    """Claims and labelled statements of a fixture folder."""
    claims = [ClaimRef(c["id"], c["text"], tuple(c.get("keywords", ())))
              for c in json.loads((folder / "claims.json").read_text())]
    rows = [json.loads(line) for line in (folder / "statements.jsonl").read_text().splitlines() if line]
    return claims, rows


def evaluate(judge: Judge, claims: list[ClaimRef], rows: list[dict[str, Any]]) -> dict[str, float]:
    """Retrieval, alert and stance figures of the judge on the fixture rows."""
    judge.set_claims(claims)
    top = judge.match([r["text"] for r in rows], top_k=1)
    alerts = judge.match([r["text"] for r in rows])
    on = [r["claim"] is not None for r in rows]
    r1 = np.mean([t[0].claim_id == r["claim"] for t, r, o in zip(top, rows, on, strict=True) if o])
    tp = sum(any(v.claim_id == r["claim"] for v in a) for a, r in zip(alerts, rows, strict=True))
    n_alerts = sum(len(a) for a in alerts)
    fp_none = np.mean([bool(a) for a, r in zip(alerts, rows, strict=True) if r["claim"] is None])
    dist = [bool(a) for a, r in zip(alerts, rows, strict=True) if r["kind"] == "distractor"]
    gold, pred = [], []
    for t, r in zip(top, rows, strict=True):
        if r["claim"] is not None and t[0].claim_id == r["claim"]:
            gold.append(STANCES.index(r["stance"]))
            pred.append(STANCES.index(t[0].stance))
    g, p = np.array(gold), np.array(pred)
    f1 = f1_per_class(g, p, 3)
    kinds = {}
    for kind in ("paraphrase", "allegation", "denial", "hedge"):
        sel = [i for i, r in enumerate([r for r, t in zip(rows, top, strict=True)
               if r["claim"] is not None and t[0].claim_id == r["claim"]]) if r["kind"] == kind]
        kinds[f"stance_acc_{kind}"] = float(np.mean(g[sel] == p[sel])) if sel else 0.0
    return {
        "n_statements": len(rows), "n_claims": len(claims),
        "recall_at_1": float(r1),
        "alert_recall": tp / max(sum(on), 1),
        "alert_precision": tp / max(n_alerts, 1),
        "false_alert_rate_off_claim": float(fp_none),
        "false_alert_rate_distractors": float(np.mean(dist)) if dist else 0.0,
        "stance_accuracy": float(np.mean(g == p)) if len(g) else 0.0,
        "stance_macro_f1": float(f1.mean()),
        **{f"stance_f1_{s}": float(f1[i]) for i, s in enumerate(STANCES)},
        **kinds,
    }
