"""Three `claimwatch run` processes on one PostgreSQL, killed with SIGKILL at random moments, against
local feeds that publish every second and the fake Slack (Socket Mode) and Discord servers."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storage import Store
from tests.discord.fake_discord import CHANNEL_ID, GUILD_ID, TOKEN, FakeDiscord
from tests.postgres.fleet import Fleet
from tests.postgres.live_feeds import LiveFeeds
from tests.postgres.multi_slack import MultiSlack
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 4
ITEMS = 45  # one a second: publishing lasts the kill phase
KILLS = 10
LEASE_S = 4
SLACK_CHANNELS = ("C0ALERTS", "C0DESK")


def config(feeds: LiveFeeds) -> str:
    sources = "".join(
        f'\n[[sources]]\nurl = "{feeds.url(f)}"\nlabel = "Live {f}"\nevery = "1s"\nquiet_first = false\n'
        for f in range(FEEDS))
    channels = "".join(f'\n[[channels]]\nplatform = "slack"\nchannel = "{c}"\nalerts = "rate=off"\n'
                       for c in SLACK_CHANNELS)
    return f"""
[bot]
tick = "1s"
max_item_age = "4000d"
lease = "{LEASE_S}s"

[[claims]]
key = "drone-residence"
text = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"
keywords = ["Novgorod", "residence"]

[[claims]]
key = "baltic-cable"
text = "The tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea"
keywords = ["Eagle S", "Estlink"]
{channels}
[[channels]]
platform = "discord"
channel = "{CHANNEL_ID}"
alerts = "rate=off"
{sources}"""


async def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    store = Store(url)
    await store.open()
    try:
        return await store.run(lambda: [tuple(r) for r in store.db.execute(sql).fetchall()])
    finally:
        await store.close()


async def test_three_processes_killed_at_random_deliver_every_alert_once(pg_server, tmp_path):
    url = pg_server.new_database()
    rng = random.Random(int(os.environ.get("CLAIMWATCH_KILL_SEED", "12")))
    slack, discord = MultiSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    slack.ts_base = int(time.time())  # message times near now, so the look-before-repost finds them
    with LiveFeeds(FEEDS, ITEMS, period_s=1.0, start=time.time() + 8) as feeds:
        (tmp_path / "claimwatch.toml").write_text(config(feeds), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLAIMWATCH_", "DISCORD_"))}
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
                "CLAIMWATCH_SLACK_API_URL": slack.api_url, "DISCORD_TOKEN": TOKEN,
                "CLAIMWATCH_DISCORD_API_URL": discord.api_url,
                "CLAIMWATCH_DISCORD_GATEWAY_URL": discord.gateway_url,
                "CLAIMWATCH_DISCORD_GUILD_ID": str(GUILD_ID), "CLAIMWATCH_DISCORD_THREADS": "false",
                "CLAIMWATCH_CONFIG": str(tmp_path / "claimwatch.toml"), "CLAIMWATCH_DB": url,
                "CLAIMWATCH_MODEL_DIR": "/nonexistent", "CLAIMWATCH_ALLOW_PRIVATE": "true",
                "CLAIMWATCH_CONSOLE": "false", "CLAIMWATCH_LOG_LEVEL": "INFO",
                "PYTHONPATH": str(ROOT)}
        fleet = Fleet(env, tmp_path)
        asked = answered = 0
        answer_times: list[float] = []  # when the count of answered commands went up
        try:
            for _ in range(3):
                await fleet.start()
            await slack.wait_for(lambda: len(slack.live()) == 3, timeout=90)

            async def commands(until: float) -> None:
                nonlocal asked
                while time.monotonic() < until:
                    asked += 1
                    try:
                        await slack.push("slash_commands", slack.slash("list"), timeout=3)
                    except TimeoutError:
                        pass
                    await asyncio.sleep(0.7)
                    if len(slack.responses) > (len(answer_times) and answer_count[-1]):
                        answer_times.append(time.monotonic())
                        answer_count.append(len(slack.responses))

            answer_count: list[int] = []
            kill_phase_s = ITEMS + 10.0
            phase_start = time.monotonic()
            talker = asyncio.create_task(commands(time.monotonic() + kill_phase_s))
            kills = 0
            phase_end = time.monotonic() + kill_phase_s
            while time.monotonic() < phase_end:
                await asyncio.sleep(rng.uniform(kill_phase_s / (KILLS + 3), kill_phase_s / KILLS))
                victim = rng.choice(fleet.alive())
                await fleet.kill(victim)
                kills += 1
                await fleet.start()
            await talker
            answered = len({r["_rid"] for r in slack.responses})
            assert kills >= KILLS

            # Quiet down: every published item stored and no delivery left to make.
            deadline = time.monotonic() + 90
            while True:
                pending = await _rows(url, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'")
                guids = {r[0] for r in await _rows(url, "SELECT guid FROM documents")}
                done = pending[0][0] == 0 and {feeds.guid(i) for i in range(ITEMS)} <= guids
                if done or time.monotonic() > deadline:
                    break
                await asyncio.sleep(1)
            await slack.wait_for(lambda: len(slack.live()) == 3, timeout=60)  # all three up
            now_leases = await _rows(url, "SELECT lease_owner, lease_until FROM sources "
                                          "WHERE lease_owner IS NOT NULL")
            checked_at = time.time()
        finally:
            codes = await fleet.stop_all()
            await slack.stop()
            await discord.close()
    logs = fleet.log_text()

    # Every item stored once.
    docs = await _rows(url, "SELECT guid, COUNT(*) FROM documents GROUP BY guid")
    assert {g: n for g, n in docs if n != 1} == {}, logs[-5000:]
    assert {g for g, _ in docs} == {feeds.guid(i) for i in range(ITEMS)}, logs[-5000:]

    # Every alert delivered exactly once per watching channel, nothing left behind.
    deliveries = await _rows(url, "SELECT d.alert_id, d.platform, d.channel, d.status, a.sort_key, a.kind, "
                                  "a.payload FROM deliveries d JOIN alerts a ON a.id = d.alert_id ORDER BY a.id")
    assert deliveries and not [d for d in deliveries if d[3] == "pending"], logs[-5000:]
    # An update edits the message it updates in place: it posts nothing new.
    sent = {(a, p, c) for a, p, c, status, _, kind, _ in deliveries if status == "sent" and kind != "update"}
    assert {p for _, p, _ in sent} == {"slack", "discord"}
    posted: Counter[tuple[int, str, str]] = Counter()
    order: dict[tuple[str, str], list[int]] = {}
    for channel in SLACK_CHANNELS:
        for m in slack.posted(channel):
            meta = (m.get("metadata") or {}).get("event_payload") or {}
            if "alert_id" in meta:
                posted[(int(meta["alert_id"]), "slack", channel)] += 1
                order.setdefault(("slack", channel), []).append(int(meta["alert_id"]))
    # A Discord edit rewrites the message's footer to the update's alert id: follow it back.
    edit_of = {a: json.loads(p).get("edit_of") for a, _, _, _, _, kind, p in deliveries if kind == "update"}
    for m in discord.sent(CHANNEL_ID):
        footer = ((m.get("embeds") or [{}])[0].get("footer") or {}).get("text", "")
        if footer.startswith("Claimwatch alert "):
            alert_id = int(footer.rsplit(" ", 1)[1])
            while edit_of.get(alert_id):
                alert_id = int(edit_of[alert_id])
            posted[(alert_id, "discord", str(CHANNEL_ID))] += 1
            order.setdefault(("discord", str(CHANNEL_ID)), []).append(alert_id)
    assert {k: n for k, n in posted.items() if n != 1} == {}, "posted more than once"
    assert set(posted) == sent

    # In order per channel: each feed's items are stored oldest first and the outbox sends oldest
    # first, so within each feed a channel sees its alerts in publication order. (Feeds are fetched
    # whenever each is due, so alerts of different feeds may interleave.)
    sort_key = {a: k for a, _, _, _, k, _, _ in deliveries}
    feed_of = {a: json.loads(p).get("source") for a, _, _, _, _, _, p in deliveries}
    for place, ids in order.items():
        for feed in set(feed_of[a] for a in ids):
            mine = [a for a in ids if feed_of[a] == feed]
            assert mine == sorted(mine, key=lambda a: (sort_key[a], a)), (place, feed)

    # No lease outlived its expiry, and commands kept being answered through the kills.
    for owner, until in now_leases:
        assert until is None or _ts(until) <= checked_at + LEASE_S + 1, (owner, until)
    assert answered >= 0.8 * asked, (answered, asked)
    gaps = [b - a for a, b in zip([phase_start, *answer_times], answer_times, strict=False)]
    assert gaps and max(gaps) < 10, gaps  # never ten seconds without an answer, kills or not
    assert codes == [0, 0, 0], (codes, logs[-6000:])  # the three left stopped cleanly on SIGTERM


def _ts(iso_time: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso_time).timestamp()


async def test_claim_added_through_one_process_alerts_on_a_statement_another_fetches(pg_server, tmp_path):
    url = pg_server.new_database()
    slack = MultiSlack()
    await slack.start()
    slack.ts_base = int(time.time())
    line = "The harbour ferry service between the two islands was suspended after the winter storm."
    with LiveFeeds(1, 1, start=time.time() + 3600, lines=[line]) as feeds:
        (tmp_path / "claimwatch.toml").write_text(
            f'[bot]\ntick = "1s"\nmax_item_age = "4000d"\nlease = "{LEASE_S}s"\n\n'
            '[moderators]\nslack_users = ["U0MOD"]\n\n'
            f'[[sources]]\nurl = "{feeds.url(0)}"\nlabel = "Island News"\nevery = "1s"\nquiet_first = false\n',
            encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLAIMWATCH_", "DISCORD_"))}
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
                "CLAIMWATCH_SLACK_API_URL": slack.api_url, "CLAIMWATCH_DB": url,
                "CLAIMWATCH_CONFIG": str(tmp_path / "claimwatch.toml"), "CLAIMWATCH_MODEL_DIR": "/nonexistent",
                "CLAIMWATCH_ALLOW_PRIVATE": "true", "CLAIMWATCH_CONSOLE": "false", "PYTHONPATH": str(ROOT)}
        fleet = Fleet(env, tmp_path)
        try:
            first = await fleet.start()
            await slack.wait_for(lambda: len(slack.live()) == 1, timeout=60)
            adder = slack.live()[0]
            await fleet.start()
            await slack.wait_for(lambda: len(slack.live()) == 2, timeout=60)
            # The command goes to the first process's connection only.
            slack.rng.choice = lambda seq: adder  # type: ignore[method-assign]
            await slack.push("slash_commands", slack.slash(
                "add The harbour ferry service between the islands was suspended after the storm",
                user="U0MOD"), timeout=10)
            await slack.wait_for(lambda: any("Now watching claim #1" in str(r) for r in slack.responses), 20)
            await fleet.kill(first)  # so the statement can only be fetched and judged by the other one
            await asyncio.sleep(5)  # claims reach every process's judge within 5 s
            feeds.start = time.time()
            try:
                await slack.wait_for(lambda: any((m.get("text") or "").startswith("SUPPORTS: claim #1")
                                                 for m in slack.posted("C0ALERTS")), timeout=60)
            except TimeoutError:
                found = await _rows(url, "SELECT m.claim_id, m.tier, m.score, s.text FROM matches m "
                                         "JOIN statements s ON s.id = m.statement_id")
                texts = await _rows(url, "SELECT text FROM statements")
                raise AssertionError((found, texts, fleet.log_text()[-1500:])) from None
        finally:
            codes = await fleet.stop_all()
            await slack.stop()
    assert codes == [0]
    docs = await _rows(url, "SELECT COUNT(*) FROM documents")
    matches = await _rows(url, "SELECT claim_id, tier FROM matches")
    assert docs == [(1,)] and (1, "alert") in matches, (docs, matches, fleet.log_text()[-3000:])
