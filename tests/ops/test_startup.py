"""`claimwatch run` with Slack and Discord unreachable: one line each, no tracebacks, no idle warnings."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from tests.discord.fake_discord import TOKEN as DISCORD_TOKEN
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment for a child `python -m bot`: no settings leak in from the test runner."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLAIMWATCH_", "DISCORD_"))}
    env.update({"CLAIMWATCH_DB": str(tmp_path / "cw.db"), "CLAIMWATCH_MODEL_DIR": "/nonexistent",
                "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


async def test_unreachable_platforms_print_one_line_each_and_keep_retrying(tmp_path: Path) -> None:
    (tmp_path / "claimwatch.toml").write_text('[bot]\ntick = "1s"\n', encoding="utf-8")
    port = closed_port()
    env = bot_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, DISCORD_TOKEN=DISCORD_TOKEN,
                  CLAIMWATCH_SLACK_API_URL=f"http://127.0.0.1:{port}/api/",
                  CLAIMWATCH_DISCORD_API_URL=f"http://127.0.0.1:{port}/api/v10",
                  CLAIMWATCH_DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await asyncio.sleep(5)  # Discord's login is retried after 1 s, 2 s, ...; Slack's at once, then every 10 s
        assert proc.returncode is None, "the bot must keep running while the platforms are unreachable"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    logs = (out + err).decode(errors="replace")
    assert proc.returncode == 0, logs[-3000:]
    assert logs.count("Slack: cannot reach Slack") == 1, logs
    assert logs.count("Discord: cannot reach Discord") == 1, logs
    assert "retrying until it answers" in logs
    for noise in ("Traceback", "PyNaCl", "davey", "will be unused", BOT_TOKEN, APP_TOKEN, DISCORD_TOKEN):
        assert noise not in logs, noise
