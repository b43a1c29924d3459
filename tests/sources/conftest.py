"""Fixtures: the local fault server and a guarded client with a fake resolver."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sources.http import make_client
from bot.sources.ssrf import Policy, UnsafeURLError, networks
from tests.sources.server import FaultServer

HOSTS = {
    "intranet.test": ["127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "mixed.test": ["93.184.216.34", "10.1.2.3"],
    "public.test": ["93.184.216.34"],
}
LOOPBACK_ONLY = Policy(allow_networks=networks(["127.0.0.1/32"]))


async def fake_resolve(host: str, port: int) -> list[str]:
    """A resolver that never leaves the machine."""
    if host in HOSTS:
        return HOSTS[host]
    raise UnsafeURLError(f"cannot resolve host {host!r}")


@pytest.fixture
async def server() -> AsyncIterator[FaultServer]:
    srv = FaultServer()
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    c = make_client("https://newsroom.example/bot", connect_s=2, read_s=2, resolver=fake_resolve)
    yield c
    await c.aclose()
