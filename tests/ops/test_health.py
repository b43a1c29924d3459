"""/healthz, /readyz and /metrics over real HTTP on 127.0.0.1, on the whole app (bot.app)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App, build_app, run_app
from bot.config import ChannelEntry, ClaimEntry, ConfigError, FileConfig, Settings, SourceEntry
from bot.judge import load_judge
from bot.judging import JudgeService
from bot.ops.health import Health, serve_health
from bot.platform import DeliveryReceipt, Destination, Dispatch, OutboundMessage
from storage import Store

ROOT = Path(__file__).resolve().parents[2]
FEED = ROOT / "examples" / "feeds" / "wire-service.xml"


@dataclass
class FakePlatform:
    """A chat platform whose connection state the test sets; it records what it is sent."""

    name: str = "discord"
    current: str = "connected"
    sent: list[OutboundMessage] = field(default_factory=list)

    async def serve(self, dispatch: Dispatch) -> None:
        await asyncio.Event().wait()

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        self.sent.append(message)
        return DeliveryReceipt(self.name, dest.channel, str(len(self.sent)))

    async def state(self) -> str:
        return self.current


@dataclass
class Running:
    app: App
    chat: FakePlatform
    base: str
    task: asyncio.Task[None]


@contextlib.asynccontextmanager
async def health_server(tmp_path: Path, platforms: dict | None = None) -> AsyncIterator[tuple[Store, JudgeService, Health]]:
    """A Health listener on a free 127.0.0.1 port over a fresh store and a lexical judge; all closed after."""
    store = Store(tmp_path / "cw.db")
    await store.open()
    judge = JudgeService(load_judge(tmp_path / "no-model"))
    health = Health(store, judge, platforms or {})
    server = asyncio.create_task(serve_health(health, "127.0.0.1", 0))
    try:
        async with asyncio.timeout(10):
            while health.port is None:
                await asyncio.sleep(0.02)
        yield store, judge, health
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
        judge.close()
        await store.close()


def _config() -> FileConfig:
    return FileConfig(
        claims=[ClaimEntry(key="drone", text="Ukraine launched a drone attack on Putin's residence in the "
                           "Novgorod region", keywords=["Valdai", "Novgorod", "residence"])],
        sources=[SourceEntry(url=str(FEED), kind="folder", label="Example Wire", every="1h", quiet_first=False)],
        channels=[ChannelEntry(platform="discord", channel="C1")],
        bot={"tick": "1s", "max_item_age": "4000d"},  # type: ignore[arg-type]
    )


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    settings = Settings(_env_file=None, CLAIMWATCH_DB=str(tmp_path / "cw.db"),  # type: ignore[call-arg]
                        CLAIMWATCH_MODEL_DIR=str(tmp_path / "no-model"), CLAIMWATCH_HTTP_PORT="0",
                        CLAIMWATCH_ALLOW_PRIVATE="true")
    chat = FakePlatform()
    app = await build_app(settings, _config(), platforms={"discord": chat})  # type: ignore[dict-item]
    task = asyncio.create_task(run_app(app))
    async with asyncio.timeout(10):
        while app.health.port is None:
            await asyncio.sleep(0.02)
    yield Running(app, chat, f"http://127.0.0.1:{app.health.port}", task)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await asyncio.wait_for(task, 10)


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[s.name, tuple(sorted(s.labels.items()))] = s.value
    return out


async def test_healthz_and_readyz_answer_over_http(running: Running) -> None:
    async with httpx.AsyncClient(base_url=running.base, timeout=5) as http:
        alive = await http.get("/healthz")
        assert alive.status_code == 200 and alive.text == "ok\n"
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.text.splitlines() == ["ready", "database: ok", "judge: loaded (lexical, no model files)",
                                           "discord: connected"]
        running.chat.current = "retrying"  # an outage: alerts wait in the outbox, still ready
        assert (await http.get("/readyz")).status_code == 200
        running.chat.current = "starting"
        waiting = await http.get("/readyz")
        assert waiting.status_code == 503 and waiting.text.startswith("not ready\n")
        assert "discord: starting" in waiting.text
        running.chat.current = "connected"
        assert (await http.get("/nope")).status_code == 404


async def test_readyz_is_503_with_the_reason_when_the_database_is_gone(tmp_path: Path) -> None:
    async with health_server(tmp_path, {"discord": FakePlatform()}) as (store, _, health):
        await store.run(store._close)  # the connection is gone; the store thread still answers
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{health.port}", timeout=5) as http:
            r = await http.get("/readyz")
            assert r.status_code == 503
            assert "database: unreachable" in r.text and "discord: connected" in r.text
            assert (await http.get("/healthz")).status_code == 200  # alive all the same
            assert (await http.get("/metrics")).status_code == 200  # counters still served


async def test_a_taken_port_is_one_config_error(tmp_path: Path) -> None:
    async with health_server(tmp_path) as (store, judge, first):
        with pytest.raises(ConfigError, match=f"CLAIMWATCH_HTTP_PORT: cannot listen on 127.0.0.1:{first.port}"):
            await serve_health(Health(store, judge, {}), "127.0.0.1", first.port)


async def test_metrics_count_what_the_bot_did(running: Running) -> None:
    async with asyncio.timeout(30):  # the first cycle fetches the example feed and alerts the channel
        while not running.chat.sent:
            await asyncio.sleep(0.1)
    async with httpx.AsyncClient(base_url=running.base, timeout=5) as http:
        r = await http.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    m = _samples(r.text)
    assert m["claimwatch_fetches_total", (("outcome", "ok"),)] >= 1
    assert m["claimwatch_documents_total", ()] >= 1
    assert m["claimwatch_statements_total", ()] >= m["claimwatch_documents_total", ()]
    assert m["claimwatch_matches_total", (("tier", "alert"),)] >= 1
    alerts = sum(v for (name, labels), v in m.items() if name == "claimwatch_alerts_total")
    assert alerts >= 1
    assert m["claimwatch_deliveries_total", (("outcome", "sent"), ("platform", "discord"))] >= 1
    assert m["claimwatch_cycle_duration_seconds_count", ()] >= 1
    assert m["claimwatch_judge_batch_seconds_count", ()] >= 1
    assert ("claimwatch_outbox_depth", (("platform", "discord"), ("status", "pending"))) in m
    assert ("claimwatch_outbox_oldest_pending_seconds", (("platform", "discord"),)) in m
    assert m["claimwatch_sources", (("state", "active"),)] == 1
    assert m["claimwatch_platform_connected", (("platform", "discord"),)] == 1
    for name in ("claimwatch_source_backoffs_total", "claimwatch_source_pauses_total",
                 "process_resident_memory_bytes"):
        assert (name, ()) in m, name
