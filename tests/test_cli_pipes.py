"""Commands that write to standard output stop quietly when their reader goes (`| head`), as filters do."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import EXIT_EPIPE
from tests.conftest import NO_MODEL
from tests.test_feedback import make_db

ROOT = Path(__file__).resolve().parents[1]
CLAIM = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"
STATEMENT = "Zelensky denied that Ukraine launched a drone attack on the residence in Novgorod."
ENV = {"CLAIMWATCH_MODEL_DIR": str(NO_MODEL), "PATH": "/usr/bin:/bin"}


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, str]:
    """Paths the commands read: a claims file and a database with three reviewed matches."""
    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps([{"id": "drone", "text": CLAIM}]), encoding="utf-8")
    asyncio.run(make_db(tmp_path / "cw.db"))
    return {"claims": str(claims), "db": str(tmp_path / "cw.db")}


def statements(n: int) -> str:
    """`n` statement lines for match."""
    return "".join(json.dumps({"id": i, "text": STATEMENT}) + "\n" for i in range(n))


COMMANDS = [  # (argv with {placeholders}, standard input)
    (["feedback", "export", "--db", "{db}"], ""),
    (["feedback", "export", "--db", "{db}", "--out", "-"], ""),
    (["match", "--claims", "{claims}"], statements(3)),
    (["classify"], json.dumps({"id": "p1", "claim": CLAIM, "text": STATEMENT}) + "\n"),
]


@pytest.mark.parametrize(("argv", "stdin"), COMMANDS)
def test_a_reader_that_left_ends_the_command_quietly(inputs: dict[str, str], argv: list[str], stdin: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written (`| head -n 0`)
    try:
        proc = subprocess.run([sys.executable, "-m", "bot", *(a.format(**inputs) for a in argv)], cwd=ROOT,
                              input=stdin, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
                              env=ENV)
    finally:
        os.close(write_end)
    assert proc.returncode == EXIT_EPIPE == 141
    # No "Broken pipe" with an empty file name, no traceback, no "3 pairs written" that nobody read.
    lines = [line for line in proc.stderr.splitlines() if "using the lexical judge" not in line]
    assert lines == []


def test_head_reads_the_first_line_and_the_rest_stops_quietly(inputs: dict[str, str]) -> None:
    """The real pipeline: more output than a pipe holds, `head -n 1` takes one line and exits."""
    lines = Path(inputs["db"]).with_name("statements.jsonl")
    lines.write_text(statements(3000), encoding="utf-8")  # ~250 KB of output, four times a pipe's buffer
    writer = subprocess.Popen([sys.executable, "-m", "bot", "match", "--claims", inputs["claims"],
                               "--input", str(lines)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=ENV)
    head = subprocess.Popen(["head", "-n", "1"], stdin=writer.stdout, stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    writer.stdout.close()  # only head reads it now
    first, _ = head.communicate(timeout=120)
    err = writer.stderr.read() if writer.stderr else ""
    assert writer.wait(timeout=120) == EXIT_EPIPE
    assert json.loads(first)["id"] == 0
    assert "Broken pipe" not in err and "Traceback" not in err
