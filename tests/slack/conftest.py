"""Fixtures: a fake Slack, and the real adapter wired to a real Dispatcher, Store, judge and Outbox."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack_adapter import SlackAdapter, create
from bot.alerts import Outbox
from bot.config import ChannelEntry, ClaimEntry, FileConfig, ModeratorsSection, Settings
from bot.judge import load_judge
from bot.judging import JudgeService
from bot.platform import Dispatch
from bot.seed import seed
from handlers import Dispatcher, Services
from handlers.context import moderators_from
from storage import Store
from tests.clock import Clock
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack

CHANNEL = "C0ALERTS"
MOD = "U0MOD"
GROUP_MOD = "U0GROUPMOD"
ADMIN = "U0ADMIN"
USER = "U0USER"
SIGNING_SECRET = "fake-signing-secret-123"



@dataclass
class Harness:
    """Everything a Slack test drives."""

    fake: FakeSlack
    store: Store
    dispatcher: Dispatcher
    adapter: SlackAdapter
    outbox: Outbox
    clock: Clock
    judge: JudgeService
    task: asyncio.Task[None]

    async def command(self, text: str, command: str = "/claim", user: str = USER, **kw: Any) -> dict[str, Any]:
        """Run a slash command through Socket Mode; returns the first answer posted to its response URL."""
        payload = self.fake.slash(text, command=command, user=user, **kw)
        rid = payload["response_url"].rsplit("/", 1)[1]
        ack = await self.fake.push("slash_commands", payload)
        assert ack["envelope_id"]
        await self.fake.wait_for(lambda: any(r["_rid"] == rid for r in self.fake.responses))
        return next(r for r in self.fake.responses if r["_rid"] == rid)

    async def close(self) -> None:
        """Stop serving and release everything."""
        self.task.cancel()
        try:
            await asyncio.wait_for(self.task, 10)
        except (asyncio.CancelledError, TimeoutError):
            pass
        self.judge.close()
        await self.store.close()


def shown(message: dict[str, Any]) -> str:
    """The mrkdwn text a message shows, with Slack's three escapes undone (for readable asserts)."""
    parts = [message.get("text") or ""]
    for block in message.get("blocks") or []:
        if "text" in block and isinstance(block["text"], dict):
            parts.append(block["text"]["text"])
        for el in block.get("elements") or []:
            if isinstance(el.get("text"), str):
                parts.append(el["text"])
        for f in block.get("fields") or []:
            parts.append(f["text"])
    return html.unescape("\n".join(parts))


def make_config() -> FileConfig:
    """One seed claim watched in the alert channel; moderators by id, by user group and by admin flag."""
    return FileConfig(
        moderators=ModeratorsSection(slack_users=[MOD], slack_usergroups=["S0MODS"], slack_admins=True),
        claims=[ClaimEntry(key="port", text="The northern port was closed to cargo ships in March")],
        channels=[ChannelEntry(platform="slack", channel=CHANNEL)],
    )


def make_settings(fake: FakeSlack, tmp_path: Path, **extra: Any) -> Settings:
    """Settings pointing the real Slack libraries at the fake."""
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "CLAIMWATCH_SLACK_API_URL": fake.api_url,
           "CLAIMWATCH_DB": str(tmp_path / "cw.db")}
    env.update({k: v for k, v in extra.items() if v is not None})
    for key in [k for k, v in extra.items() if v is None]:
        env.pop(key, None)
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


async def start_harness(fake: FakeSlack, tmp_path: Path, wrap: Any = None, ping_interval: float | None = None,
                        **extra: Any) -> Harness:
    """Open the store, seed it, start the adapter's serve() and wait until it is connected."""
    settings = make_settings(fake, tmp_path, **extra)
    config = make_config()
    store = Store(settings.db_path)
    await store.open()
    await seed(store, config, settings)
    judge = JudgeService(load_judge(Path("/nonexistent")))
    dispatcher = Dispatcher(Services(store=store, judge=judge, moderators=moderators_from(config)))
    adapter = create(settings, config, store)
    if ping_interval is not None:
        adapter.ping_interval = ping_interval
    clock = Clock()
    outbox = Outbox(store, {"slack": adapter}, clock=clock)
    dispatch: Dispatch = wrap(dispatcher) if wrap else dispatcher
    task = asyncio.create_task(adapter.serve(dispatch))
    await asyncio.wait_for(adapter.ready.wait(), 10)
    if adapter.mode == "socket":
        await asyncio.wait_for(fake.connected.wait(), 10)
    return Harness(fake, store, dispatcher, adapter, outbox, clock, judge, task)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A running fake Slack."""
    f = FakeSlack()
    f.usergroups["S0MODS"] = [GROUP_MOD]
    f.users[ADMIN] = {"id": ADMIN, "name": "boss", "is_admin": True}
    for uid in (USER, MOD, GROUP_MOD):
        f.users[uid] = {"id": uid, "name": uid.lower(), "is_admin": False}
    await f.start()
    yield f
    await f.stop()


@pytest.fixture
async def slack(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Harness]:
    """The adapter in Socket Mode against the fake."""
    h = await start_harness(fake, tmp_path)
    yield h
    await h.close()
