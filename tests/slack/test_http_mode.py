"""HTTP mode: Slack's signed requests accepted; bad signatures and stale timestamps refused."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack_adapter import create, resolve_mode
from bot.config import ConfigError
from storage import Store
from tests.slack.conftest import (
    SIGNING_SECRET,
    Harness,
    make_config,
    make_settings,
    shown,
    start_harness,
)
from tests.slack.fake_slack import FakeSlack


@pytest.fixture
async def http_slack(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Harness]:
    """The adapter in HTTP mode (no app token) on a free loopback port."""
    h = await start_harness(fake, tmp_path, SLACK_APP_TOKEN=None, CLAIMWATCH_SLACK_HTTP_PORT="0",
                            CLAIMWATCH_SLACK_HTTP_HOST="127.0.0.1")
    assert h.adapter.mode == "http"
    yield h
    await h.close()


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """Slack's v0 request signature headers."""
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


async def post(h: Harness, body: str, headers: dict[str, str]) -> int:
    url = f"http://127.0.0.1:{h.adapter.http_port}/slack/events"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        async with session.post(url, data=body.encode(), headers=headers) as resp:
            return resp.status


async def test_signed_slash_command_is_answered(http_slack: Harness) -> None:
    body = urlencode(http_slack.fake.slash("status 1"))
    assert await post(http_slack, body, sign(body, int(time.time()))) == 200
    await http_slack.fake.wait_for(lambda: len(http_slack.fake.responses) == 1)
    answer = http_slack.fake.responses[0]
    assert answer["response_type"] == "ephemeral" and "Claim #1:" in shown(answer)


async def test_signed_button_press_is_handled(http_slack: Harness) -> None:
    message = {"ts": "1700000000.000009", "text": "x", "blocks": []}
    payload = http_slack.fake.button("claimwatch_status", "1", message)
    body = urlencode({"payload": json.dumps(payload)})
    assert await post(http_slack, body, sign(body, int(time.time()))) == 200
    await http_slack.fake.wait_for(lambda: len(http_slack.fake.responses) == 1)
    assert "Claim #1:" in shown(http_slack.fake.responses[0])


async def test_bad_signature_is_refused(http_slack: Harness) -> None:
    body = urlencode(http_slack.fake.slash("status 1"))
    headers = sign(body, int(time.time()), secret="not-the-secret")
    assert await post(http_slack, body, headers) == 401
    tampered = sign(body, int(time.time()))
    assert await post(http_slack, body.replace("status", "remove"), tampered) == 401
    assert http_slack.fake.responses == []
    assert await http_slack.store.audit_log() == []


async def test_stale_timestamp_is_refused(http_slack: Harness) -> None:
    body = urlencode(http_slack.fake.slash("status 1"))
    stale = int(time.time()) - 6 * 60  # correctly signed, but replayed after five minutes
    assert await post(http_slack, body, sign(body, stale)) == 401
    assert http_slack.fake.responses == []


UNREADABLE = [("abc", None), ("²", None), ("1e9", None), ("", None), (" ", None), ("-5", None),
              ("99999999999999999999999", None), (None, "v0=é"), (None, "v0=" + "é" * 64), (None, "")]


async def test_unreadable_signature_headers_get_401(http_slack: Harness) -> None:
    body = urlencode(http_slack.fake.slash("status 1"))
    for timestamp, signature in UNREADABLE:  # one harness for all: each start costs seconds
        headers = sign(body, int(time.time()))
        if timestamp is not None:
            headers["X-Slack-Request-Timestamp"] = timestamp
        if signature is not None:
            headers["X-Slack-Signature"] = signature
        assert await post(http_slack, body, headers) == 401, (timestamp, signature)
    assert http_slack.fake.responses == []
    # The server is still there and still answers a good request.
    assert await post(http_slack, body, sign(body, int(time.time()))) == 200


def test_mode_needs_its_secret(fake: FakeSlack, tmp_path: Path) -> None:
    settings = make_settings(fake, tmp_path, SLACK_APP_TOKEN=None, SLACK_SIGNING_SECRET=None)
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        resolve_mode(settings)
    settings = make_settings(fake, tmp_path, SLACK_APP_TOKEN=None, CLAIMWATCH_SLACK_MODE="socket")
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        resolve_mode(settings)
    settings = make_settings(fake, tmp_path, CLAIMWATCH_SLACK_MODE="carrier-pigeon")
    with pytest.raises(ConfigError, match="CLAIMWATCH_SLACK_MODE"):
        resolve_mode(settings)
    assert resolve_mode(make_settings(fake, tmp_path)) == "socket"
    assert resolve_mode(make_settings(fake, tmp_path, CLAIMWATCH_SLACK_MODE="http")) == "http"


async def test_port_in_use_is_a_one_line_config_error(fake: FakeSlack, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = make_settings(fake, tmp_path, SLACK_APP_TOKEN=None, CLAIMWATCH_SLACK_HTTP_PORT=str(port),
                                 CLAIMWATCH_SLACK_HTTP_HOST="127.0.0.1")
        store = Store(tmp_path / "p.db")
        await store.open()
        try:
            adapter = create(settings, make_config(), store)
            with pytest.raises(ConfigError, match=f"CLAIMWATCH_SLACK_HTTP_PORT: cannot listen on 127.0.0.1:{port}"):
                await asyncio.wait_for(adapter.serve(lambda c: None), 5)  # type: ignore[arg-type, return-value]
        finally:
            await store.close()
