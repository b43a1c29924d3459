"""The fake Slack with several Socket Mode connections, spreading envelopes across them as Slack does."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from aiohttp import web

from tests.slack.fake_slack import FakeSlack


class MultiSlack(FakeSlack):
    """Each process connects; each envelope goes to one live connection, again to another if unacked."""

    def __init__(self) -> None:
        super().__init__()
        self.sockets: list[web.WebSocketResponse] = []
        self.rng = random.Random(7)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, heartbeat=2.0)
        await ws.prepare(request)
        self.sockets.append(ws)
        self.ws = ws
        await ws.send_json({"type": "hello", "num_connections": len(self.sockets),
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
        self.connected.set()
        try:
            await self._read_acks(ws)
        finally:
            self.sockets.remove(ws)
            if not self.sockets:
                self.connected.clear()
        return ws

    def live(self) -> list[web.WebSocketResponse]:
        """Open connections."""
        return [ws for ws in self.sockets if not ws.closed]

    async def push(self, kind: str, payload: dict[str, Any], timeout: float = 3.0) -> dict[str, Any]:
        """Send an envelope to a random live connection; retry elsewhere if it is not acked in time."""
        for _ in range(5):
            live = self.live()
            if not live:
                await asyncio.sleep(0.5)
                continue
            ws = self.rng.choice(live)
            env_id = f"env-{next(self._ids)}"
            event = self._ack_events.setdefault(env_id, asyncio.Event())
            try:
                await ws.send_json({"envelope_id": env_id, "type": kind, "payload": payload,
                                    "accepts_response_payload": kind != "events_api"})
                await asyncio.wait_for(event.wait(), timeout)
            except (TimeoutError, ConnectionError, RuntimeError):
                continue
            return self.acks[env_id]
        raise TimeoutError("no connection acked the envelope")
