"""Operations on Slack: health routes on the HTTP-mode server, a clean start, one line while unreachable."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path

import httpx
import pytest

from bot.adapters.slack_adapter import create
from bot.app import build_app, run_app
from storage import Store
from tests.ops.logging_setup import bot_logging
from tests.slack.conftest import BOT_TOKEN, make_config, make_settings, start_harness
from tests.slack.fake_slack import FakeSlack


async def test_http_mode_serves_health_routes_beside_slack_events(fake: FakeSlack, tmp_path: Path) -> None:
    settings = make_settings(fake, tmp_path, SLACK_APP_TOKEN=None, CLAIMWATCH_SLACK_HTTP_PORT="0",
                             CLAIMWATCH_SLACK_HTTP_HOST="127.0.0.1", CLAIMWATCH_MODEL_DIR=str(tmp_path / "none"))
    app = await build_app(settings, make_config())
    slack = app.platforms["slack"]
    task = asyncio.create_task(run_app(app))
    try:
        async with asyncio.timeout(10):
            while slack.http_port is None:  # type: ignore[attr-defined]
                await asyncio.sleep(0.02)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{slack.http_port}", timeout=5) as http:  # type: ignore[attr-defined]
            assert (await http.get("/healthz")).text == "ok\n"
            ready = await http.get("/readyz")
            assert ready.status_code == 200 and "slack: connected" in ready.text
            assert "claimwatch_outbox_depth" in (await http.get("/metrics")).text
            unsigned = await http.post("/slack/events", content=b"command=%2Fclaim")
            assert unsigned.status_code == 401  # the Slack route is still there and still checks signatures
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 10)


async def test_no_token_warning_when_the_token_is_in_the_environment(
        fake: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # as in a container's environment
    caplog.set_level(logging.WARNING)
    h = await start_harness(fake, tmp_path)
    try:
        assert not [r for r in caplog.records if "will be unused" in r.getMessage()]
        assert await h.adapter.state() == "connected"
    finally:
        await h.close()
    assert os.environ["SLACK_BOT_TOKEN"] == BOT_TOKEN  # put back as it was


async def test_unreachable_slack_is_one_line_then_connects(
        fake: FakeSlack, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with bot_logging("INFO"):  # the bot's own handler, so this checks the lines an operator sees
        await fake.go_down()
        settings = make_settings(fake, tmp_path)
        store = Store(settings.db_path)
        await store.open()
        adapter = create(settings, make_config(), store)
        adapter.ping_interval = 0.1  # the Socket Mode client retries every ping_interval
        task = asyncio.create_task(adapter.serve(lambda command: None))  # type: ignore[arg-type,return-value]
        await asyncio.sleep(1.5)  # about ten failed attempts
        assert await adapter.state() == "retrying"
        err = capsys.readouterr().err
        assert err.count("Slack: cannot reach Slack") == 1, err
        assert "Traceback" not in err and "Retrying..." not in err
        await fake.come_back()
        await asyncio.wait_for(adapter.ready.wait(), 10)
        assert await adapter.state() == "connected"
        assert "slack: connected in Socket Mode" in capsys.readouterr().err
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await store.close()
