"""CLAIMWATCH_LOG_FORMAT=json: one JSON object a line, secrets redacted everywhere, stats as fields."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.pipeline import CycleStats
from tests.ops.logging_setup import bot_logging
from tests.ops.test_startup import bot_env

SECRET = "xoxb-1234-5678-abcdefSECRET"
ROOT = Path(__file__).resolve().parents[2]


def test_json_lines_redact_secrets_in_messages_fields_and_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    with bot_logging("INFO", secrets=("hunter2-value",), fmt="json"):
        log = logging.getLogger("bot.test")
        log.info("token %s in use", SECRET, extra={"cycle": {"documents": 3, "url": "https://x/?t=hunter2-value"}})
        try:
            raise RuntimeError(f"failed with {SECRET}\nsecond line")
        except RuntimeError:
            log.exception("boom")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2  # the multi-line traceback stays inside one JSON object
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "bot.test" and first["ts"].endswith("+00:00")
    assert first["message"] == "token *** in use"
    assert first["cycle"] == {"documents": 3, "url": "https://x/?t=***"}
    assert second["message"] == "boom" and "RuntimeError: failed with ***" in second["exc"]
    assert SECRET not in "".join(lines) and "hunter2-value" not in "".join(lines)


def test_text_format_stays_the_default_and_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMWATCH_LOG_FORMAT", raising=False)
    assert load_settings(env_file=None).log_format == "text"
    monkeypatch.setenv("CLAIMWATCH_LOG_FORMAT", "JSON")
    assert load_settings(env_file=None).log_format == "json"
    monkeypatch.setenv("CLAIMWATCH_LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="CLAIMWATCH_LOG_FORMAT.*use text or json"):
        load_settings(env_file=None)


def test_cycle_summary_is_words_not_a_repr() -> None:
    stats = CycleStats(sources=3, documents=2, statements=14, alerts=1)
    assert stats.summary() == ("3 sources, 2 documents, 14 statements, 1 alerts, 0 errors, 0 bad items, 0 not modified, "
                               "0 copies")


async def test_the_running_bot_logs_its_cycles_as_json_fields(tmp_path: Path) -> None:
    feed = ROOT / "examples" / "feeds" / "wire-service.xml"
    (tmp_path / "claimwatch.toml").write_text(f"""
[bot]
tick = "1s"
max_item_age = "4000d"

[[claims]]
key = "drone"
text = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"

[[sources]]
url = "{feed}"
kind = "folder"
quiet_first = false
""", encoding="utf-8")
    env = bot_env(tmp_path, CLAIMWATCH_LOG_FORMAT="json", CLAIMWATCH_CONSOLE="true")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert proc.stderr is not None and proc.stdin is not None
    cycle = None
    lines: list[str] = []
    async with asyncio.timeout(60):
        while cycle is None:
            raw = await proc.stderr.readline()
            assert raw, "the bot exited: " + "\n".join(lines)
            lines.append(raw.decode())
            doc = json.loads(raw)  # every line is one JSON object
            if doc["message"].startswith("cycle: "):
                cycle = doc
    proc.stdin.write(b"/quit\n")
    await proc.stdin.drain()
    _, rest = await asyncio.wait_for(proc.communicate(), 30)
    for raw in rest.decode().splitlines():
        json.loads(raw)
    assert proc.returncode == 0
    assert cycle["level"] == "INFO" and cycle["logger"] == "bot.pipeline"
    fields = cycle["cycle"]
    assert fields["sources"] == 1 and fields["documents"] >= 1 and isinstance(fields["seconds"], float)
    assert "CycleStats(" not in cycle["message"]
