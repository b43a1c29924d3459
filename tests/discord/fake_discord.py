"""A fake Discord (REST + gateway WebSocket) on 127.0.0.1 that the real discord.py talks to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "fake-bot-token"
APP_ID = 700000000000000001
BOT_ID = 700000000000000002
GUILD_ID = 700000000000000100
CHANNEL_ID = 700000000000000200
OTHER_CHANNEL_ID = 700000000000000201
MOD_ROLE_ID = 700000000000000300
USER_ID = 700000000000000400
DISCORD_EPOCH_MS = 1420070400000
HISTORY_PAGE = 100  # Discord answers at most 100 messages per history request


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json", no charset: discord.py only parses that content type as JSON.
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def _now() -> str:
    return datetime.now(UTC).isoformat()


def snowflakes() -> Iterator[int]:
    """Ids as Discord makes them: creation time in the high bits, so `after`/`before` compare times."""
    last = 0
    while True:
        ms = int(datetime.now(UTC).timestamp() * 1000) - DISCORD_EPOCH_MS
        last = max(last + 1, ms << 22)
        yield last


@dataclass
class Failure:
    """An injected answer for the next matching request."""

    method: str
    path_part: str
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    drop_after_create: bool = False  # create the message, then cut the connection (lost response)


class FakeDiscord:
    """Records every request; answers like Discord closely enough for discord.py."""

    def __init__(self) -> None:
        self.ids = snowflakes()
        self.requests: list[tuple[str, str, Any]] = []
        self.messages: dict[int, list[dict[str, Any]]] = {CHANNEL_ID: [], OTHER_CHANNEL_ID: []}
        self.threads: dict[int, dict[str, Any]] = {}
        self.syncs: list[tuple[str, list[dict[str, Any]]]] = []
        self.callbacks: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self.followups: dict[str, list[dict[str, Any]]] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.failures: list[Failure] = []
        self.nonces: dict[str, dict[str, Any]] = {}
        self.honour_nonces = True  # False: as Discord does once its few-minute nonce memory has passed
        self.history_reads: list[tuple[int, dict[str, str]]] = []
        self.ws: web.WebSocketResponse | None = None
        self.connected = asyncio.Event()
        self.session_id = ""
        self.seq = 0
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    # ----- lifecycle -----
    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await self._site.start()
        sock = self._site._server.sockets[0]  # type: ignore[union-attr]
        self.port = sock.getsockname()[1]

    async def go_down(self) -> None:
        """Discord outage: stop listening and cut the gateway."""
        if self.ws is not None:
            await self.ws.close(code=1001)
        assert self._site is not None
        await self._site.stop()

    async def come_back(self) -> None:
        """End the outage on the same port."""
        await self._listen()

    async def close(self) -> None:
        """Stop everything."""
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ----- gateway -----
    async def _send(self, op: int, d: Any, t: str | None = None) -> None:
        if self.ws is None or self.ws.closed:
            raise ConnectionError("no gateway connection")
        s = None
        if op == 0:
            self.seq += 1
            s = self.seq
        await self.ws.send_str(json.dumps({"op": op, "d": d, "s": s, "t": t}))

    async def dispatch(self, t: str, d: Any) -> None:
        """Send a gateway DISPATCH event."""
        await self._send(0, d, t)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        await self._send(10, {"heartbeat_interval": 45000})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            op, d = data["op"], data.get("d")
            if op == 1:
                await self._send(11, None)
            elif op == 2:
                self.identifies.append(d)
                await self._ready()
            elif op == 6:
                self.resumes.append(d)
                if d.get("session_id") == self.session_id and d.get("token") == TOKEN:
                    await self.dispatch("RESUMED", {})
                    self.connected.set()
                else:
                    await self._send(9, False)
        if self.ws is ws:
            self.connected.clear()
        return ws

    async def _ready(self) -> None:
        self.session_id = f"session-{next(self.ids)}"
        self.seq = 0
        await self.dispatch("READY", {
            "v": 10, "user": self.bot_user(), "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": self.session_id, "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
        })
        await self.dispatch("GUILD_CREATE", self.guild())
        self.connected.set()

    async def reconnect_request(self) -> None:
        """Gateway op 7: ask the client to reconnect and resume."""
        self.connected.clear()
        await self._send(7, None)

    async def drop(self, code: int = 4000) -> None:
        """Close the gateway socket abruptly with a resumable code."""
        self.connected.clear()
        assert self.ws is not None
        await self.ws.close(code=code)

    # ----- interactions -----
    def member(self, roles: list[int] | None = None) -> dict[str, Any]:
        return {
            "user": {"id": str(USER_ID), "username": "reporter", "discriminator": "0", "global_name": "Reporter",
                     "avatar": None},
            "roles": [str(r) for r in roles or []], "joined_at": _now(), "deaf": False, "mute": False,
            "permissions": "2147483647", "flags": 0,
        }

    async def interaction(
        self, itype: int, name: str, sub: str, options: list[dict[str, Any]] | None = None,
        roles: list[int] | None = None, channel: int = CHANNEL_ID,
    ) -> tuple[int, str]:
        """Send INTERACTION_CREATE for `/name sub` (type 2 command, 4 autocomplete); returns (id, token)."""
        iid = next(self.ids)
        token = f"itoken-{iid}"
        self.callbacks[iid] = asyncio.Queue()
        data = {
            "id": str(next(self.ids)), "name": name, "type": 1,
            "options": [{"name": sub, "type": 1, "options": options or []}],
        }
        if any(f"/guilds/{GUILD_ID}/" in path for path, _ in self.syncs):
            data["guild_id"] = str(GUILD_ID)  # Discord names the guild of a guild-registered command
        await self.dispatch("INTERACTION_CREATE", {
            "id": str(iid), "application_id": str(APP_ID), "type": itype, "token": token, "version": 1,
            "data": data, "guild_id": str(GUILD_ID),
            "channel": {"id": str(channel), "type": 0, "guild_id": str(GUILD_ID), "name": "alerts"},
            "channel_id": str(channel), "member": self.member(roles), "app_permissions": "2147483647",
            "locale": "en-US", "guild_locale": "en-US", "attachment_size_limit": 8388608,
            "entitlements": [], "authorizing_integration_owners": {"0": str(GUILD_ID)}, "context": 0,
        })
        return iid, token

    async def press(self, message: dict[str, Any], custom_id: str, values: list[str] | None = None,
                    roles: list[int] | None = None) -> tuple[int, str]:
        """Send INTERACTION_CREATE type 3: a member presses a button (or picks `values` in a menu) on `message`."""
        iid = next(self.ids)
        token = f"itoken-{iid}"
        self.callbacks[iid] = asyncio.Queue()
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2 if values is None else 3}
        if values is not None:
            data["values"] = values
        channel = int(message["channel_id"])
        await self.dispatch("INTERACTION_CREATE", {
            "id": str(iid), "application_id": str(APP_ID), "type": 3, "token": token, "version": 1,
            "data": data, "guild_id": str(GUILD_ID), "message": message,
            "channel": {"id": str(channel), "type": 0, "guild_id": str(GUILD_ID), "name": "alerts"},
            "channel_id": str(channel), "member": self.member(roles), "app_permissions": "2147483647",
            "locale": "en-US", "guild_locale": "en-US", "attachment_size_limit": 8388608,
            "entitlements": [], "authorizing_integration_owners": {"0": str(GUILD_ID)}, "context": 0,
        })
        return iid, token

    async def callback(self, iid: int, timeout: float = 10.0) -> dict[str, Any]:
        """The next interaction callback body the bot posted for `iid`."""
        return await asyncio.wait_for(self.callbacks[iid].get(), timeout)

    async def followup(self, token: str, timeout: float = 10.0) -> dict[str, Any]:
        """Wait for the first follow-up message posted with this interaction token."""
        async with asyncio.timeout(timeout):
            while not self.followups.get(token):
                await asyncio.sleep(0.02)
        return self.followups[token][0]

    # ----- REST -----
    def bot_user(self) -> dict[str, Any]:
        return {"id": str(BOT_ID), "username": "claimwatch", "discriminator": "0", "global_name": None,
                "avatar": None, "bot": True, "flags": 0, "verified": True, "mfa_enabled": False}

    def guild(self) -> dict[str, Any]:
        everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": "0", "position": 0, "color": 0,
                    "hoist": False, "managed": False, "mentionable": False, "flags": 0}
        mods = dict(everyone, id=str(MOD_ROLE_ID), name="moderators", position=1)
        channels = [{"id": str(c), "type": 0, "name": f"chan-{i}", "position": i, "guild_id": str(GUILD_ID),
                     "permission_overwrites": [], "nsfw": False, "parent_id": None}
                    for i, c in enumerate((CHANNEL_ID, OTHER_CHANNEL_ID))]
        return {"id": str(GUILD_ID), "name": "Newsroom", "icon": None, "owner_id": str(USER_ID),
                "roles": [everyone, mods], "channels": channels, "threads": [], "members": [],
                "member_count": 2, "features": [], "emojis": [], "stickers": [], "unavailable": False,
                "large": False, "joined_at": _now(), "verification_level": 0, "mfa_level": 0,
                "premium_tier": 0, "preferred_locale": "en-US", "system_channel_flags": 0, "nsfw_level": 0}

    def message(self, channel_id: int, body: dict[str, Any],
                author: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "id": str(next(self.ids)), "channel_id": str(channel_id), "author": author or self.bot_user(),
            "content": body.get("content") or "", "timestamp": _now(), "edited_timestamp": None,
            "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": body.get("embeds") or [], "pinned": False, "type": 0, "flags": body.get("flags", 0),
            "nonce": body.get("nonce"), "components": body.get("components") or [],
        }

    def user_post(self, channel_id: int, embeds: list[dict[str, Any]] | None = None,
                  content: str = "") -> dict[str, Any]:
        """A message some member posts in a channel (not the bot)."""
        author = self.member()["user"]
        msg = self.message(channel_id, {"content": content, "embeds": embeds or []}, author=author)
        self.messages[channel_id].append(msg)
        return msg

    def history(self, channel_id: int, query: dict[str, str]) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages: up to `limit` messages next to `after` or before `before`, newest first."""
        self.history_reads.append((channel_id, query))
        limit = max(1, min(int(query.get("limit", 50)), HISTORY_PAGE))
        msgs = sorted(self.messages[channel_id], key=lambda m: int(m["id"]))
        if "before" in query:
            msgs = [m for m in msgs if int(m["id"]) < int(query["before"])]
        if "after" in query:
            # The messages right after `after` (oldest first), answered newest first like every page.
            msgs = [m for m in msgs if int(m["id"]) > int(query["after"])][:limit]
        else:
            msgs = msgs[-limit:]
        return list(reversed(msgs))

    def sent(self, channel_id: int) -> list[dict[str, Any]]:
        """Messages created in a channel or thread, in order."""
        return self.messages.get(channel_id, [])

    def fail_next(self, method: str, path_part: str, status: int, body: dict[str, Any] | None = None,
                  headers: dict[str, str] | None = None, drop_after_create: bool = False) -> None:
        """Make the next matching request fail once."""
        self.failures.append(Failure(method, path_part, status, body or {}, headers or {}, drop_after_create))

    async def _body(self, request: web.Request) -> Any:
        if request.content_type == "application/json":
            return await request.json()
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            files = {k: v.file.read() for k, v in form.items() if hasattr(v, "file")}
            payload = json.loads(str(form.get("payload_json", "{}")))
            payload["_files"] = {k: len(v) for k, v in files.items()}
            return payload
        return None

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await self._body(request)
        self.requests.append((request.method, path, body))
        query = dict(request.query)
        is_webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not is_webhook and request.headers.get("Authorization") != f"Bot {TOKEN}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        for failure in self.failures:
            if failure.method == request.method and failure.path_part in path:
                self.failures.remove(failure)
                if failure.drop_after_create:
                    await self._route(request.method, path, body, query)
                    assert request.transport is not None
                    request.transport.close()  # the message exists but its answer is lost
                    return web.Response(status=500)
                return _json(failure.body, status=failure.status, headers=failure.headers)
        return await self._route(request.method, path, body, query)

    async def _route(self, method: str, path: str, body: Any,
                     query: dict[str, str] | None = None) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        ok = _json
        if path == "/users/@me":
            return ok(self.bot_user())
        if path == "/oauth2/applications/@me":
            return ok({"id": str(APP_ID), "name": "Claimwatch", "description": "", "icon": None,
                       "bot_public": False, "bot_require_code_grant": False, "verify_key": "00",
                       "owner": self.bot_user(), "flags": 0, "team": None})
        if path == "/gateway/bot":
            return ok({"url": self.gateway_url, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            self.syncs.append((path, body))
            guild = parts[3] if "guilds" in parts else None
            return ok([dict(c, id=str(next(self.ids)), application_id=str(APP_ID), version="1",
                            guild_id=guild) for c in body])
        if parts[0] == "interactions" and parts[-1] == "callback":
            iid = int(parts[1])
            await self.callbacks.setdefault(iid, asyncio.Queue()).put(body)
            return ok({"interaction": {"id": str(iid), "type": 2}})
        if parts[0] == "webhooks" and method == "POST":
            msg = self.message(0, body)
            self.followups.setdefault(parts[2], []).append(body)
            return ok(msg)
        if parts[0] == "webhooks" and method == "PATCH":
            self.followups.setdefault(parts[2], []).append(body)
            return ok(self.message(0, body))
        if parts[0] == "channels" and method == "PATCH" and len(parts) == 4 and parts[2] == "messages":
            for msg in self.messages.get(int(parts[1]), []):
                if msg["id"] == parts[3]:
                    msg.update(embeds=body.get("embeds") or [], edited_timestamp=_now(),
                               allowed_mentions=body.get("allowed_mentions"))
                    return ok(msg)
            return ok({"message": "Unknown Message", "code": 10008}, status=404)
        if parts[0] == "channels" and method == "GET" and len(parts) == 3 and parts[2] == "messages":
            channel_id = int(parts[1])
            if channel_id not in self.messages:
                return ok({"message": "Unknown Channel", "code": 10003}, status=404)
            return ok(self.history(channel_id, query or {}))
        if parts[0] == "channels" and method == "POST":
            channel_id = int(parts[1])
            if channel_id not in self.messages:
                return ok({"message": "Unknown Channel", "code": 10003}, status=404)
            if len(parts) == 3:
                nonce = body.get("nonce")
                if nonce and body.get("enforce_nonce") and self.honour_nonces and nonce in self.nonces:
                    return ok(self.nonces[nonce])  # Discord returns the earlier message: no duplicate
                msg = self.message(channel_id, body)
                msg["allowed_mentions"] = body.get("allowed_mentions")
                self.messages[channel_id].append(msg)
                if nonce:
                    self.nonces[nonce] = msg
                return ok(msg)
            if len(parts) == 5 and parts[4] == "threads":
                tid = next(self.ids)
                thread = {"id": str(tid), "type": 11, "guild_id": str(GUILD_ID), "parent_id": str(channel_id),
                          "name": body["name"], "owner_id": str(BOT_ID), "message_count": 0,
                          "member_count": 1, "rate_limit_per_user": 0, "flags": 0,
                          "thread_metadata": {"archived": False, "auto_archive_duration":
                                              body["auto_archive_duration"], "archive_timestamp": _now(),
                                              "locked": False}}
                self.threads[tid] = {"parent": channel_id, "message": int(parts[3]), **thread}
                self.messages[tid] = []
                return ok(thread, status=201)
        return ok({"message": f"fake discord: no route {method} {path}", "code": 0}, status=404)
