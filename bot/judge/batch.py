"""Pure batch logic behind `claimwatch match` and `claimwatch classify`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .judge import Judge
from .types import ClaimRef

CHUNK = 256


class BatchInputError(ValueError):
    """Malformed batch input; the message names the file and line."""


def load_claims(path: Path | str) -> tuple[list[ClaimRef], dict[str, Any]]:
    """Read a JSON list of {"id", "text", ["keywords"], ["threshold"]} into ClaimRefs."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchInputError(f"{path}: cannot read claims file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise BatchInputError(f"{path}: line {exc.lineno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(data, list):
        raise BatchInputError(f"{path}: expected a JSON list of {{\"id\", \"text\"}} objects")
    claims, ids = [], {}
    for n, c in enumerate(data, 1):
        if not isinstance(c, dict) or "id" not in c or not isinstance(c.get("text"), str):
            raise BatchInputError(f"{path}: claim #{n}: needs \"id\" and a string \"text\"")
        kws = c.get("keywords") or ()
        thr = c.get("threshold")
        if not isinstance(kws, list | tuple) or not all(isinstance(k, str) for k in kws):
            raise BatchInputError(f"{path}: claim #{n}: \"keywords\" must be a list of strings")
        if thr is not None and not isinstance(thr, int | float):
            raise BatchInputError(f"{path}: claim #{n}: \"threshold\" must be a number")
        claims.append(ClaimRef(str(c["id"]), c["text"], tuple(kws), thr))
        ids[str(c["id"])] = c["id"]
    return claims, ids


def _lines(stream: IO[str], fields: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Parse JSONL, validating that each object has the string fields named."""
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BatchInputError(f"line {n}: invalid JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise BatchInputError(f"line {n}: expected a JSON object")
        if "id" not in obj:
            raise BatchInputError(f"line {n}: missing \"id\"")
        for f in fields:
            if not isinstance(obj.get(f), str):
                raise BatchInputError(f"line {n}: \"{f}\" must be a string")
        yield obj


def _chunks(it: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    buf: list[dict[str, Any]] = []
    for obj in it:
        buf.append(obj)
        if len(buf) >= CHUNK:
            yield buf
            buf = []
    if buf:
        yield buf


def _judge(judge: Judge | None) -> Judge:
    if judge is not None:
        return judge
    from .loader import load_judge

    return load_judge()


def run_match(claims_path: Path | str, input_stream: IO[str], output_stream: IO[str],
              top_k: int | None = None, judge: Judge | None = None) -> int:
    """Match each statement line against the claims; write one output line each; return count."""
    claims, ids = load_claims(claims_path)
    if top_k is not None and top_k < 1:
        raise BatchInputError("--top must be at least 1")
    j = _judge(judge)
    j.set_claims(claims)
    count = 0
    for chunk in _chunks(_lines(input_stream, ("text",))):
        for obj, verdicts in zip(chunk, j.match([o["text"] for o in chunk], top_k=top_k),
                                 strict=True):
            matches = []
            for v in verdicts:
                m: dict[str, Any] = {"claim": ids[v.claim_id], "score": v.score, "stance": v.stance}
                if top_k is not None:
                    m["alert"] = v.alert
                matches.append(m)
            output_stream.write(json.dumps({"id": obj["id"], "matches": matches}) + "\n")
            count += 1
    return count


def run_classify(input_stream: IO[str], output_stream: IO[str], judge: Judge | None = None) -> int:
    """Classify each {"id", "claim", "text"} line; write {"id", "label", "score"}; return count."""
    j = _judge(judge)
    count = 0
    for obj in _lines(input_stream, ("claim", "text")):
        label, score = j.classify(obj["claim"], obj["text"])
        output_stream.write(json.dumps({"id": obj["id"], "label": label, "score": score}) + "\n")
        count += 1
    return count
