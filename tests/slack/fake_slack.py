"""A fake Slack on 127.0.0.1: the Web API methods the adapter uses, response URLs and Socket Mode."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-fake-bot-token-000"
APP_TOKEN = "xapp-fake-app-token-000"
TEAM = "T0FAKE"


@dataclass
class Failure:
    """A canned failure for the next calls of one method."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """Records every call; tests inject failures, push Socket Mode envelopes and read the acks."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.channels: dict[str, list[dict[str, Any]]] = {}  # channel -> messages posted there, oldest first
        self.responses: list[dict[str, Any]] = []  # posts to response URLs
        self.uploads: dict[str, bytes] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.acks: dict[str, dict[str, Any]] = {}
        self.ws: web.WebSocketResponse | None = None
        self.expired_responses = False  # response URLs answer 404, as after 30 minutes or 5 uses
        self.connected = asyncio.Event()
        self._ack_events: dict[str, asyncio.Event] = {}
        self._ts = itertools.count(1)
        # Message ts seconds; tests that page history by time (oldest=) set it to the current time.
        self.ts_base = 1700000000
        self._ids = itertools.count(1)
        self.port = 0
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{rid}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        self._site: web.TCPSite | None = None

    @property
    def api_url(self) -> str:
        """What CLAIMWATCH_SLACK_API_URL points at."""
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await self._site.start()
        self.port = self._runner.addresses[0][1]

    async def go_down(self) -> None:
        """Stop listening: clients get 'connection refused' until come_back()."""
        if self.ws is not None:
            await self.ws.close()
        assert self._site is not None
        await self._site.stop()

    async def come_back(self) -> None:
        """Listen again on the same port."""
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await self._site.start()

    async def stop(self) -> None:
        """Shut down."""
        if self.ws is not None:
            await self.ws.close()
        await self._runner.cleanup()

    def fail(self, method: str, status: int, error: str, times: int = 1, **headers: str) -> None:
        """Make the next `times` calls of `method` fail."""
        self.failures.setdefault(method, []).extend(
            [Failure(status, {"ok": False, "error": error}, dict(headers))] * times)

    def called(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every call to `method`, in order."""
        return [args for name, args in self.calls if name == method]

    def response_url(self) -> str:
        """A fresh response URL for a command or button payload."""
        return f"http://127.0.0.1:{self.port}/response/{next(self._ids)}"

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        for key in ("blocks", "files"):  # form-encoded calls carry these as JSON strings
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        args["_token"] = auth.removeprefix("Bearer ")
        self.calls.append((method, args))
        queued = self.failures.get(method)
        if queued:
            f = queued.pop(0)
            return web.json_response(f.body, status=f.status, headers=f.headers)
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if args["_token"] != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            return ok | {"url": "https://fake.slack.test/", "team": "Fake", "user": "claimwatch",
                         "team_id": TEAM, "user_id": "UBOT", "bot_id": "BBOT"}
        if method == "apps.connections.open":
            return ok | {"url": f"ws://127.0.0.1:{self.port}/socket"}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"{self.ts_base}.{next(self._ts):06d}"
            self._keep(method, ts, args)
            return ok | {"channel": args.get("channel"), "ts": ts,
                         "message": {"text": args.get("text"), "blocks": args.get("blocks")}}
        if method in ("conversations.history", "conversations.replies"):
            return ok | self._history(method, args)
        if method == "chat.postEphemeral":
            return ok | {"message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            return ok | {"user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.open":
            return ok | {"channel": {"id": "D" + str(args.get("users", "")).lstrip("UW")}}
        if method == "usergroups.users.list":
            return ok | {"users": self.usergroups.get(str(args.get("usergroup")), [])}
        if method == "files.getUploadURLExternal":
            fid = f"F{next(self._ids):05d}"
            return ok | {"upload_url": f"http://127.0.0.1:{self.port}/upload/{fid}", "file_id": fid}
        if method == "files.completeUploadExternal":
            files = args.get("files") or []
            return ok | {"files": [{"id": f["id"], "title": f.get("title", ""),
                                    "size": len(self.uploads.get(f["id"], b""))} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def _keep(self, method: str, ts: str, args: dict[str, Any]) -> None:
        """Remember posts per channel (and apply edits), as conversations.history shows them."""
        kept = self.channels.setdefault(str(args.get("channel")), [])
        if method == "chat.update":
            for m in kept:
                if m["ts"] == ts:
                    m.update(text=args.get("text"), blocks=args.get("blocks"))
            return
        message = {"type": "message", "ts": ts, "text": args.get("text"), "blocks": args.get("blocks"),
                   "bot_id": "BBOT", "user": "UBOT"}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        kept.append(message)

    def posted(self, channel: str) -> list[dict[str, Any]]:
        """Every message posted in a channel, thread replies included, oldest first."""
        return self.channels.get(channel, [])

    def _history(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.history (top level, newest first) or .replies (one thread, oldest first), paged.

        Metadata is only shown with include_all_metadata, as Slack does.
        """
        kept = self.channels.get(str(args.get("channel")), [])
        if method == "conversations.history":
            found = [m for m in reversed(kept) if m.get("thread_ts") in (None, m["ts"])]
        else:
            found = [m for m in kept if m["ts"] == args.get("ts") or m.get("thread_ts") == args.get("ts")]
        if args.get("oldest"):
            found = [m for m in found if float(m["ts"]) >= float(args["oldest"])]
        show_meta = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [m if show_meta else {k: v for k, v in m.items() if k != "metadata"} for m in found]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = found[start:start + limit]
        more = start + limit < len(found)
        return {"messages": page, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()  # type: ignore[unreachable]
            part = await reader.next()
            data = await part.read() if part is not None else b""
        self.uploads[request.match_info["file_id"]] = data
        return web.Response(text="OK")

    async def _response(self, request: web.Request) -> web.Response:
        if self.expired_responses:
            return web.Response(status=404, text="expired_url")
        body = await request.json()
        body["_rid"] = request.match_info["rid"]
        self.responses.append(body)
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.ws = ws
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
        self.connected.set()
        await self._read_acks(ws)
        self.connected.clear()
        return ws

    async def _read_acks(self, ws: web.WebSocketResponse) -> None:
        """Record every envelope acknowledgement the app sends on `ws` until it closes."""
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            env_id = data.get("envelope_id")
            if env_id:
                self.acks[env_id] = data
                self._ack_events.setdefault(env_id, asyncio.Event()).set()

    async def push(self, kind: str, payload: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send one Socket Mode envelope and wait for the app's ack (Slack gives it 3 s)."""
        await asyncio.wait_for(self.connected.wait(), timeout)
        assert self.ws is not None
        env_id = f"env-{next(self._ids)}"
        event = self._ack_events.setdefault(env_id, asyncio.Event())
        await self.ws.send_json({"envelope_id": env_id, "type": kind, "payload": payload,
                                 "accepts_response_payload": kind != "events_api"})
        await asyncio.wait_for(event.wait(), timeout)
        return self.acks[env_id]

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> None:
        """Poll until predicate() is true (the app answers after the ack, asynchronously)."""
        async def loop() -> None:
            while not predicate():
                await asyncio.sleep(0.02)
        await asyncio.wait_for(loop(), timeout)

    def slash(self, text: str, command: str = "/claim", user: str = "U0USER", channel: str = "C0ALERTS",
              user_name: str = "alice") -> dict[str, Any]:
        """A slash-command payload as Slack sends it."""
        return {"token": "legacy", "team_id": TEAM, "team_domain": "fake", "channel_id": channel,
                "channel_name": "alerts", "user_id": user, "user_name": user_name, "command": command,
                "text": text, "api_app_id": "A0APP", "is_enterprise_install": "false",
                "response_url": self.response_url(), "trigger_id": f"trig.{next(self._ids)}"}

    def button(self, action_id: str, value: str, message: dict[str, Any], user: str = "U0USER",
               channel: str = "C0ALERTS") -> dict[str, Any]:
        """A block_actions payload for a button pressed on `message` (with ts, text, blocks)."""
        return {"type": "block_actions", "team": {"id": TEAM, "domain": "fake"},
                "user": {"id": user, "username": "alice", "name": "alice", "team_id": TEAM},
                "api_app_id": "A0APP", "token": "legacy", "trigger_id": f"trig.{next(self._ids)}",
                "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel,
                              "is_ephemeral": False},
                "channel": {"id": channel, "name": "alerts"}, "message": message,
                "response_url": self.response_url(),
                "actions": [{"action_id": action_id, "block_id": "b1", "value": value, "type": "button",
                             "action_ts": "1700000001.000001", "text": {"type": "plain_text", "text": "x"}}]}

    def menu(self, action_id: str, value: str, message: dict[str, Any], user: str = "U0USER",
             channel: str = "C0ALERTS") -> dict[str, Any]:
        """A block_actions payload for an option chosen in a static_select menu on `message`."""
        payload = self.button(action_id, value, message, user, channel)
        payload["actions"] = [{"action_id": action_id, "block_id": "b1", "type": "static_select",
                               "action_ts": "1700000001.000002",
                               "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value}}]
        return payload
