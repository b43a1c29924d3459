"""`claimwatch match` and `claimwatch classify`: formats and errors, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NO_MODEL

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = [
    {"id": "drone", "text": "Ukraine launched a drone attack on Putin's residence in the Novgorod region"},
    {"id": 7, "text": "The April 2025 blackout in Spain and Portugal was caused by a cyberattack"},
]


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"CLAIMWATCH_MODEL_DIR": str(NO_MODEL), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture
def claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(CLAIMS), encoding="utf-8")
    return path


def test_match_output_format(claims_file, tmp_path):
    lines = [
        {"id": "s1", "text": "Zelensky denied that Ukraine launched a drone attack on the residence in Novgorod."},
        {"id": "s2", "text": "The festival drew record crowds."},
    ]
    out = tmp_path / "out.jsonl"
    proc = run(["match", "--claims", str(claims_file), "--output", str(out)],
               "\n".join(json.dumps(x) for x in lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["s1", "s2"]
    first = rows[0]["matches"][0]
    assert first["claim"] == "drone" and first["stance"] in {"supports", "refutes", "neutral"}
    assert isinstance(first["score"], float)
    assert rows[1]["matches"] == []


def test_match_top_k_returns_k_candidates(claims_file):
    proc = run(["match", "--claims", str(claims_file), "--top", "2"],
               json.dumps({"id": 1, "text": "The festival drew record crowds."}) + "\n")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert len(row["matches"]) == 2
    assert {m["claim"] for m in row["matches"]} == {"drone", 7}


def test_classify_output_format():
    pair = {"id": "p1", "claim": CLAIMS[0]["text"],
            "text": "Officials said Ukraine launched a drone attack on Putin's residence in the Novgorod region."}
    proc = run(["classify"], json.dumps(pair) + "\n")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["id"] == "p1" and row["label"] in {"unrelated", "supports", "refutes", "neutral"}
    assert 0.0 <= row["score"] <= 1.0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["classify"], '{"id": 1, "claim": "x", "text": "y"}\nnot json\n', "line 2: invalid JSON"),
        (["classify"], '{"claim": "x", "text": "y"}\n', 'line 1: missing "id"'),
        (["classify"], '{"id": 1, "claim": "x"}\n', 'line 1: "text" must be a string'),
        (["match", "--claims", "{claims}"], '[1, 2]\n', "line 1: expected a JSON object"),
        (["match", "--claims", "/nonexistent/claims.json"], "", "cannot read claims file"),
    ],
)
def test_malformed_input_names_the_line(claims_file, args, stdin, message):
    args = [a.replace("{claims}", str(claims_file)) for a in args]
    proc = run(args, stdin)
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("claimwatch ") and message in last
