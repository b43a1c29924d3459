"""The console adapter end to end: the real `claimwatch run` process against a local feed server."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import NO_MODEL, FeedServer, Route

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


class Bot:
    """A running bot process whose stdout lines arrive on a queue."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if needle in line:
                return line
        stderr = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
        raise AssertionError(f"{needle!r} not seen; stdout: {self.seen[-30:]}; stderr: {stderr[-2000:]}")

    def quit(self) -> int:
        self.send("/quit")
        try:
            return self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            rest = self.proc.stdout.read() if self.proc.stdout else ""
            self.seen.extend(rest.splitlines())


@pytest.fixture
def bot_env(tmp_path: Path, feed_server: FeedServer) -> dict[str, str]:
    feed_server.routes["/desk.xml"] = Route((FIXTURES / "drone_feed.xml").read_bytes())
    config = tmp_path / "claimwatch.toml"
    config.write_text(
        f"""
[bot]
tick = "1s"
max_item_age = "4000d"
allow_private_addresses = true

[moderators]
console = ["console"]

[[claims]]
key = "drone"
text = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"

[[channels]]
platform = "console"
channel = "console"

[[sources]]
url = "{feed_server.url('/desk.xml')}"
label = "Test Desk"
every = "1m"
quiet_first = false
""",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "CLAIMWATCH_"))}
    env |= {
        "CLAIMWATCH_CONFIG": str(config),
        "CLAIMWATCH_DB": str(tmp_path / "bot.db"),
        "CLAIMWATCH_MODEL_DIR": str(NO_MODEL),
        "PYTHONUNBUFFERED": "1",
    }
    return env


def test_console_alerts_and_commands(bot_env, feed_server):
    bot = Bot(bot_env)
    try:
        bot.wait_for("Claimwatch console.")
        first = bot.wait_for("ALERT SUPPORTS: claim #1")
        bot.wait_for("Lavrov")
        bot.wait_for("ALERT REFUTES: claim #1")
        # The alert's id is on its first line: the correction commands take it.
        found = re.search(r" \[alert (\d+)\]", first)
        assert found, first
        bot.send(f"/claim reject alert={found[1]}")
        assert "rejected by console" in bot.wait_for(f"Alert {found[1]}: ")
        bot.send("/claim status drone residence")
        bot.wait_for("Claim #1: Ukraine launched a drone attack")
        bot.wait_for("Statements:")
        bot.send("/source list")
        bot.wait_for("#1 [active] Test Desk")
        bot.send("/claim bogus")
        bot.wait_for("Unknown command /claim bogus.")
        bot.send("/claim alerts reset")  # the channel's settings: no claim id needed
        bot.wait_for("Alerts for this channel (nothing to reset)")
        bot.send("/claim status 0")
        bot.wait_for("claim ids start at 1, got 0.")
        bot.send("hello")
        bot.wait_for("Commands start with /.")
        assert bot.quit() == 0
    finally:
        if bot.proc.poll() is None:
            bot.proc.kill()
    alerts = [line for line in bot.seen if "ALERT" in line]
    assert any(re.search(r"\(Test Desk, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)", line) for line in bot.seen)
    assert len(alerts) == 2  # one per article about the claim (its headline and sentence judged together)
    assert not any("festival" in line for line in bot.seen)
    assert feed_server.requests.count("/desk.xml") >= 1
    # Restart on the same database: the feed is unchanged, so nothing alerts twice.
    again = Bot(bot_env)
    try:
        again.wait_for("Claimwatch console.")
        again.send("/claim list")
        again.wait_for("#1 [unverified]")
        time.sleep(2.5)  # two poll ticks
        assert again.quit() == 0
    finally:
        if again.proc.poll() is None:
            again.proc.kill()
    assert alerts and not [line for line in again.seen if "ALERT" in line]


def test_bad_config_exits_2_with_one_line(tmp_path, bot_env):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nurl = "https://x.example.org/rss"\nevery = "soon"\n', encoding="utf-8")
    env = bot_env | {"CLAIMWATCH_CONFIG": str(bad)}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == f"claimwatch: config file {bad}: sources[0].every: invalid duration 'soon' (use e.g. 30s, 10m, 1h)"
