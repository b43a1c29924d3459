"""Loaders for the public benchmark sets in ../shared/data (training and development splits only)."""

from __future__ import annotations

import csv
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

FNC_MAP = {"unrelated": 0, "agree": 1, "disagree": 2, "discuss": 3}
EMERGENT_MAP = {"for": 1, "against": 2, "observing": 3}
csv.field_size_limit(10**8)


@dataclass(frozen=True)
class Pair:
    """A claim (headline) against a body, with a label index into LABELS."""

    claim: str
    body_id: str
    label: int
    group: str


def data_dir() -> Path | None:
    """The shared data folder beside the repository, if present."""
    for p in (Path(__file__).resolve().parents[3] / "shared" / "data", Path("../shared/data")):
        if (p / "fnc-1").is_dir():
            return p
    return None


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        return list(csv.DictReader(f))


def load_fnc_like(bodies: Path, stances: Path, group: str = "Body ID") -> tuple[dict[str, str], list[Pair]]:
    """Bodies by id and labelled pairs from an FNC-format pair of files."""
    b = {r["Body ID"]: r["articleBody"] for r in _read(bodies)}
    pairs = [Pair(r["Headline"], r["Body ID"], FNC_MAP[r["Stance"]], r[group])
             for r in _read(stances) if r["Body ID"] in b]
    return b, pairs


def load_fnc(root: Path) -> tuple[dict[str, str], list[Pair]]:
    """FNC-1 train."""
    return load_fnc_like(root / "fnc-1/train_bodies.csv", root / "fnc-1/train_stances.csv")


def load_arc(root: Path) -> tuple[dict[str, str], list[Pair]]:
    """ARC train pairs (bodies file holds train and test bodies; only train pairs are read)."""
    return load_fnc_like(root / "arc/arc_bodies.csv", root / "arc/arc_stances_train.csv", "Headline")


def load_emergent(root: Path) -> tuple[dict[str, str], list[Pair]]:
    """Emergent train: the article headline is the body; grouped by claim."""
    rows = _read(root / "emergent/emergent_train.csv")
    bodies = {"em" + r["id"]: r["articleHeadline"] for r in rows}
    pairs = [Pair(r["claimHeadline"], "em" + r["id"], EMERGENT_MAP[r["articleHeadlineStance"]],
                  r["claimId"]) for r in rows]
    return bodies, pairs


def fold_of(key: str, k: int) -> int:
    """Deterministic fold of a group key."""
    return zlib.crc32(key.encode()) % k


def load_checkthat(root: Path) -> tuple[dict[str, str], dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    """Verified claims by id, tweets by id, and train / dev relevance judgements."""
    d = root / "checkthat2022"
    vclaims = {}
    with (d / "vclaims.jsonl").open(encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            vclaims[o["vclaim_id"]] = " ".join(x for x in (o.get("vclaim"), o.get("title")) if x)
    tweets = {}
    with (d / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8") as f:
        for line in f:
            tid, _, text = line.rstrip("\n").partition("\t")
            tweets[tid] = text

    def qrels(name: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for line in (d / name).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3:
                out.setdefault(parts[0], set()).add(parts[2])
        return out

    return vclaims, tweets, qrels("CT2022-Task2A-EN-Train_QRELs.tsv"), qrels("CT2022-Task2A-EN-Dev_QRELs.tsv")
