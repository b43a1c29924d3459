"""Slack platform on slack-bolt's async app: Socket Mode or HTTP, slash commands, buttons, alerts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.retry_notice import RetryNotice
from bot.adapters.slack_delivery import SlackDelivery
from bot.adapters.slack_people import PeopleDirectory
from bot.adapters.slack_render import (
    ACTION_MUTE,
    ACTION_REJECT,
    ACTION_REVIEW,
    ACTION_STANCE,
    ACTION_STATUS,
    from_slack,
    reviewed_blocks,
)
from bot.adapters.slack_replies import ReplySender
from bot.config import ConfigError, FileConfig, Settings
from bot.platform import Command, DeliveryReceipt, Destination, Dispatch, OutboundMessage, Reply
from handlers.parsing import alert_command
from storage import AdapterStore

log = logging.getLogger(__name__)

MODES = ("auto", "socket", "http")
DEFAULT_HTTP_PORT = 3000
BUTTON_COMMANDS = {ACTION_MUTE: "unwatch", ACTION_REVIEW: "review", ACTION_STATUS: "status",
                   ACTION_REJECT: "reject", ACTION_STANCE: "stance"}
# What the alert then shows for everyone: (what was done, emoji); {stance} is the stance chosen.
DONE_NOTES = {"review": ("Reviewed by", ":white_check_mark:"),
              "reject": ("Marked not about this claim by", ":no_entry_sign:"),
              "stance": ("Stance set to {stance} by", ":pencil2:")}


def button_command(name: str, value: str) -> str | None:
    """The /claim command text a button (or the stance menu) stands for; None when the value is malformed."""
    if name == "stance":
        alert_id, _, stance = value.partition(":")
        return alert_command(name, alert_id, stance)
    if name in ("review", "reject"):
        return alert_command(name, value)
    return f"{name} {value}" if value.isdigit() else None  # mute (unwatch) and status name the claim


# Socket Mode's reconnect loop logs a traceback every 10 s while Slack is unreachable: one line instead.
UNREACHABLE = RetryNotice("Slack", ("Failed to connect",)).attach(logging.getLogger("slack_bolt"))


@contextlib.contextmanager
def _without_env(name: str) -> Iterator[None]:
    """Hide one environment variable for the duration (restored afterwards)."""
    saved = os.environ.pop(name, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[name] = saved


def _api_url(url: str) -> str:
    # slack_sdk joins method names onto the base URL, so it must end with a slash.
    return url if url.endswith("/") else url + "/"


def resolve_mode(settings: Settings) -> str:
    """'socket' or 'http', from CLAIMWATCH_SLACK_MODE and the secrets present; ConfigError if unusable."""
    mode = (settings.slack_mode or "auto").lower()
    if mode not in MODES:
        raise ConfigError(f"setting CLAIMWATCH_SLACK_MODE: use one of {', '.join(MODES)}, not {mode!r}")
    if mode == "auto":
        mode = "socket" if settings.slack_app_token is not None else "http"
    if mode == "socket" and settings.slack_app_token is None:
        raise ConfigError("setting SLACK_APP_TOKEN: Socket Mode needs the app-level token (xapp-...)")
    if mode == "http" and settings.slack_signing_secret is None:
        raise ConfigError("setting SLACK_SIGNING_SECRET: HTTP mode needs the signing secret "
                          "(or set SLACK_APP_TOKEN to use Socket Mode)")
    return mode


class SlackAdapter:
    """The Slack Platform: serve() runs the bolt app until cancelled; send() posts Block Kit alerts."""

    name = "slack"
    ping_interval = 10.0  # Socket Mode liveness check; a dead connection is replaced after about this long

    def __init__(self, settings: Settings, config: FileConfig, store: AdapterStore) -> None:
        assert settings.slack_bot_token is not None
        self.mode = resolve_mode(settings)
        self.settings = settings
        # No automatic retries: a 429 or an outage goes back to the outbox, which keeps order.
        self.client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(), base_url=_api_url(settings.slack_api_url),
            timeout=15, retry_handlers=[], logger=logging.getLogger("slack_sdk.web"),
        )
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        # AsyncApp reads SLACK_BOT_TOKEN from the environment by itself and then warns that the
        # client's token wins; the client already holds that token, so hide the variable from it.
        with _without_env("SLACK_BOT_TOKEN"):
            self.app = AsyncApp(
                client=self.client, signing_secret=secret, logger=logging.getLogger("slack_bolt"),
                request_verification_enabled=self.mode == "http", process_before_response=False,
            )
        mods = config.moderators
        self.people = PeopleDirectory(self.client, mods.slack_usergroups, mods.slack_admins)
        self.delivery = SlackDelivery(self.client, store)
        self.replies = ReplySender(self.client, settings.slack_reply_in_channel)
        self.ready = asyncio.Event()
        self.http_port: int | None = None
        self.extra_routes: list[web.RouteDef] = []  # health routes served beside /slack/events in HTTP mode
        self._handler: AsyncSocketModeHandler | None = None
        self._dispatch: Dispatch | None = None
        for group in ("/claim", "/source"):
            self.app.command(group)(self._on_command)
        for action_id in BUTTON_COMMANDS:
            self.app.action(action_id)(self._on_button)
        self.app.error(self._on_error)

    async def serve(self, dispatch: Dispatch) -> None:
        """Receive commands and button presses until cancelled."""
        self._dispatch = dispatch
        if self.mode == "socket":
            await self._serve_socket()
        else:
            await self._serve_http()

    async def _serve_socket(self) -> None:
        assert self.settings.slack_app_token is not None
        handler = AsyncSocketModeHandler(self.app, self.settings.slack_app_token.get_secret_value(),
                                         web_client=self.client, ping_interval=self.ping_interval)
        self._handler = handler
        try:
            await handler.connect_async()  # retries by itself until Slack answers
            UNREACHABLE.connected()
            self.ready.set()
            log.info("slack: connected in Socket Mode")
            await asyncio.Event().wait()
        finally:
            self.ready.clear()
            self._handler = None
            await handler.close_async()

    async def state(self) -> str:
        """connected, retrying (Slack unreachable; alerts wait in the outbox) or starting."""
        if self.mode == "http":
            return "connected" if self.ready.is_set() else "starting"
        handler = self._handler
        if handler is None:
            return "starting"
        if self.ready.is_set() and await handler.client.is_connected():
            return "connected"
        return "retrying" if self.ready.is_set() or UNREACHABLE.retrying else "starting"

    async def _serve_http(self) -> None:
        port = self.settings.slack_http_port
        port = DEFAULT_HTTP_PORT if port is None else port
        web_app = self.app.web_app(path=self.settings.slack_http_path, port=port)
        web_app.add_routes(self.extra_routes)
        web_app.middlewares.append(_refuse_unreadable_signature_headers(self.settings.slack_http_path))
        runner = web.AppRunner(web_app)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.settings.slack_http_host, port)
            try:
                await site.start()
            except OSError as exc:
                reason = (f"setting CLAIMWATCH_SLACK_HTTP_PORT: cannot listen on "
                          f"{self.settings.slack_http_host}:{port}: {exc.strerror or exc}")
                log.error("slack: %s", reason)
                raise ConfigError(reason) from None
            self.http_port = runner.addresses[0][1] if runner.addresses else port
            self.ready.set()
            log.info("slack: HTTP mode listening on %s:%s%s", self.settings.slack_http_host,
                     self.http_port, self.settings.slack_http_path)
            await asyncio.Event().wait()
        finally:
            self.ready.clear()
            await runner.cleanup()

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        """Post one alert into its claim's thread; DeliveryError on rate limits and outages."""
        return await self.delivery.send(dest, message)

    async def _run(self, command: Command) -> Reply:
        if self._dispatch is None:
            return Reply("Claimwatch is starting; try again in a moment.", ok=False)
        return await self._dispatch(command)

    async def _on_command(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        """A slash command: ack at once (Slack waits 3 s), then answer through the response URL."""
        await ack()
        user_id = str(command.get("user_id", ""))
        channel = str(command.get("channel_id", ""))
        actor = await self.people.actor(user_id, str(command.get("user_name", "")))
        group = str(command.get("command", "")).lstrip("/")
        reply = await self._run(Command(group, from_slack(str(command.get("text", ""))), actor, channel))
        await self.replies.answer(reply, respond, channel, user_id)

    async def _on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """A button or menu on an alert: mute, review or correct (then shown on the alert), status."""
        await ack()
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", ""))
        # A menu sends the chosen option, a button its value.
        value = str(action.get("value") or (action.get("selected_option") or {}).get("value") or "")
        name = BUTTON_COMMANDS[action["action_id"]]
        text = button_command(name, value)
        if text is None:
            await self.replies.answer(Reply("That button is out of date.", ok=False), respond, channel,
                                      user_id, private=True)
            return
        actor = await self.people.actor(user_id, str(user.get("name") or user.get("username") or ""))
        reply = await self._run(Command("claim", text, actor, channel))
        if name in DONE_NOTES and reply.ok:
            note, emoji = DONE_NOTES[name]
            await self._show_reviewed(body, channel, user_id, actor.display_name,
                                      note.format(stance=value.partition(":")[2]), emoji)
        await self.replies.answer(reply, respond, channel, user_id, private=True)

    async def _show_reviewed(self, body: dict[str, Any], channel: str, user_id: str, name: str,
                             note: str, emoji: str) -> None:
        """Update the alert so everyone sees it was reviewed or corrected, and by whom."""
        message = body.get("message") or {}
        ts = message.get("ts") or (body.get("container") or {}).get("message_ts")
        if not ts or not message.get("blocks"):
            return
        try:
            await self.client.chat_update(channel=channel, ts=ts, text=message.get("text", ""),
                                          blocks=reviewed_blocks(message["blocks"], user_id, name, note, emoji))
        except Exception as exc:
            log.warning("slack: could not mark the alert reviewed in %s: %s", channel, type(exc).__name__)

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("slack: request failed: %s: %s", type(error).__name__, error, exc_info=error)


def readable_signature_headers(timestamp: str | None, signature: str | None) -> bool:
    """False for headers slack_sdk's verifier would crash on rather than refuse: int() of a timestamp
    that is not ASCII digits ("abc", "²"), compare_digest() of a signature that is not ASCII."""
    return bool(timestamp and timestamp.isascii() and timestamp.isdigit()
                and signature and signature.isascii())


def _refuse_unreadable_signature_headers(path: str) -> Any:
    """Middleware: such a request gets the 401 of any other bad signature, not a 500 and a traceback."""
    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == path and not readable_signature_headers(
                request.headers.get("X-Slack-Request-Timestamp"), request.headers.get("X-Slack-Signature")):
            return web.Response(status=401, text="invalid request signature")
        return await handler(request)
    return middleware


def create(settings: Settings, config: FileConfig, store: AdapterStore) -> SlackAdapter:
    """The Slack platform for the composition root."""
    return SlackAdapter(settings, config, store)
