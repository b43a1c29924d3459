"""The real `claimwatch run` process against the fake Slack: feed -> judge -> threaded Slack alerts."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "examples" / "feeds" / "wire-service.xml"

CONFIG = f"""
[bot]
tick = "1s"
max_item_age = "4000d"

[moderators]
slack_users = ["U0MOD"]

[[claims]]
key = "drone-residence"
text = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"
keywords = ["Valdai", "Novgorod", "residence"]

[[claims]]
key = "baltic-cable"
text = "The tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea"
keywords = ["Eagle S", "Estlink"]

[[channels]]
platform = "slack"
channel = "C0ALERTS"

[[sources]]
url = "{FEED}"
kind = "feed"
label = "Example Wire"
every = "1m"
quiet_first = false
"""


async def test_claimwatch_run_serves_slack_and_posts_threaded_alerts(fake: FakeSlack, tmp_path: Path) -> None:
    config = tmp_path / "claimwatch.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLAIMWATCH_", "DISCORD_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
                "CLAIMWATCH_SLACK_API_URL": fake.api_url, "CLAIMWATCH_CONFIG": str(config),
                "CLAIMWATCH_DB": str(tmp_path / "cw.db"), "CLAIMWATCH_MODEL_DIR": "/nonexistent",
                "CLAIMWATCH_ALLOW_PRIVATE": "true", "CLAIMWATCH_LOG_LEVEL": "DEBUG"})
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env | {"PYTHONPATH": str(ROOT)},
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await asyncio.wait_for(fake.connected.wait(), 60)
        payload = fake.slash("list", user="U0MOD")
        await fake.push("slash_commands", payload, timeout=10)
        await fake.wait_for(lambda: fake.responses, timeout=10)
        assert "2 watched claim(s)" in fake.responses[0]["blocks"][0]["text"]["text"]
        await fake.wait_for(lambda: any(c.get("thread_ts") for c in fake.called("chat.postMessage")), 60)
        parents = [c for c in fake.called("chat.postMessage") if not c.get("thread_ts")]
        assert parents and all("Claim #" in p["text"] for p in parents)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        try:
            out, err = await asyncio.wait_for(proc.communicate(), 30)
        except TimeoutError:
            proc.kill()
            out, err = await proc.communicate()
    logs = (out + err).decode(errors="replace")
    assert proc.returncode == 0, logs[-3000:]
    for secret in (BOT_TOKEN, APP_TOKEN):
        assert secret not in logs
