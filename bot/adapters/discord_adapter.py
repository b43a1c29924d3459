"""Discord platform on discord.py: /claim and /source app commands in, alert embeds out.

Pointing discord.py somewhere other than discord.com (a local fake in tests, a proxy) is done
here and only here: discord.py has no per-client base URL, so `point_discord_py_at` sets the two
class attributes it reads, `discord.http.Route.BASE` (every REST and webhook route, including
interaction callbacks and follow-ups) and `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` (the
gateway a non-sharded client opens; discord.py 2.x no longer asks /gateway/bot for it). A process
runs at most one Discord client, so process-wide values are safe.
"""

from __future__ import annotations

import asyncio
import io
import logging

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.discord_buttons import alert_view
from bot.adapters.discord_commands import build_groups
from bot.adapters.discord_errors import RETRYABLE, delivery_error
from bot.adapters.discord_interactions import NO_MENTIONS, Interactions
from bot.adapters.discord_lookup import find_earlier
from bot.adapters.discord_render import alert_embeds, nonce, thread_name
from bot.adapters.retry_notice import RetryNotice
from bot.alert_types import Edit
from bot.config import ConfigError, FileConfig, Settings
from bot.platform import (
    DeliveryError,
    DeliveryReceipt,
    Destination,
    Dispatch,
    OutboundMessage,
)
from storage import AdapterStore

log = logging.getLogger(__name__)

# What the bot needs in alert channels: see, post, embed, attach charts, read history, threads.
PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, attach_files=True,
    read_message_history=True, create_public_threads=True, send_messages_in_threads=True,
)
SCOPES = ("bot", "applications.commands")
SEND_TIMEOUT_S = 30.0
THREAD_ARCHIVE_MIN = 10080  # a week: claims are followed for days
# 429s up to this long are waited out inside discord.py (same request, so order holds); longer
# ones come back as RateLimited and become DeliveryError(retry_after) for the outbox.
INLINE_RATE_LIMIT_S = 30.0
ALERT_IMAGE = "claimwatch-alert.png"
# discord.py's gateway reconnect loop logs a traceback per attempt while Discord is unreachable.
UNREACHABLE = RetryNotice("Discord", ("Attempting a reconnect in",)).attach(logging.getLogger("discord.client"))
# The bot never joins voice: discord.py's "PyNaCl/davey is not installed" notices ask nothing of the user.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def point_discord_py_at(api_url: str, gateway_url: str | None) -> None:
    """Aim discord.py's REST routes and (when given) its gateway at these URLs."""
    Route.BASE = api_url.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def invite_url(application_id: int) -> str:
    """The link a server admin opens to add the bot with exactly the scopes and permissions it needs."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


class _Client(discord.Client):
    """discord.Client whose lifecycle hooks call back into the platform."""

    def __init__(self, platform: DiscordPlatform, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.platform = platform

    async def setup_hook(self) -> None:
        await self.platform.after_login()

    async def on_ready(self) -> None:
        UNREACHABLE.connected()
        self.platform.ready.set()

    async def on_resumed(self) -> None:
        UNREACHABLE.connected()
        self.platform.resumes += 1
        self.platform.ready.set()

    async def on_disconnect(self) -> None:
        self.platform.ready.clear()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.component:
            await self.platform.inbound.component(interaction)


class DiscordPlatform:
    """A Platform on Discord: serve() runs the gateway client; send() posts alert embeds."""

    name = "discord"

    def __init__(self, settings: Settings, store: AdapterStore) -> None:
        assert settings.discord_token is not None
        self._token = settings.discord_token.get_secret_value()
        self.settings = settings
        self.store = store
        self.sync = settings.discord_sync or ("guild" if settings.discord_guild_id else "global")
        self.threads = settings.discord_threads
        self.ready = asyncio.Event()
        self.logged_in = asyncio.Event()
        self.resumes = 0
        self.login_failures = 0
        self.inbound = Interactions()
        # guilds is the only intent needed (slash commands arrive regardless); none is privileged.
        intents = discord.Intents.none()
        intents.guilds = True
        self.client = _Client(self, intents=intents, allowed_mentions=NO_MENTIONS,
                              max_ratelimit_timeout=INLINE_RATE_LIMIT_S)
        self.tree = app_commands.CommandTree(self.client)
        guild = discord.Object(settings.discord_guild_id) if self.sync == "guild" else None
        for group in build_groups(self.inbound.slash, store):
            self.tree.add_command(group, guild=guild)

    # ----- inbound -----
    async def after_login(self) -> None:
        """Find the gateway when not configured, register the commands, print the invite link."""
        if not self.settings.discord_gateway_url:
            _, url, _ = await self.client.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        app_id = self.client.application_id
        if app_id is not None:
            log.info("Discord: invite the bot with %s", invite_url(app_id))
        if self.sync == "off":
            return
        guild = discord.Object(self.settings.discord_guild_id) if self.sync == "guild" else None
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.Forbidden:
            log.error("Discord: cannot register slash commands; invite the bot again with the "
                      "applications.commands scope (link above)")
            return
        where = f"guild {self.settings.discord_guild_id}" if guild else "globally (may take a while to show)"
        log.info("Discord: %d command groups registered %s", len(synced), where)

    async def serve(self, dispatch: Dispatch) -> None:
        """Log in (retrying while Discord is unreachable), then run the gateway until cancelled."""
        self.inbound.dispatch = dispatch
        delay = 1.0
        async with self.client:
            while True:
                try:
                    await self.client.login(self._token)
                    break
                except discord.LoginFailure:
                    raise ConfigError("setting DISCORD_TOKEN: Discord rejected the token (401)") from None
                except RETRYABLE as exc:
                    # One line per outage; the later attempts only at DEBUG.
                    self.login_failures += 1
                    level = logging.WARNING if self.login_failures == 1 else logging.DEBUG
                    log.log(level, "Discord: cannot reach Discord (%s: %s); retrying until it answers "
                            "(next try in %.0fs)", type(exc).__name__, exc, delay)
                    # A fresh HTTP session next time; the failed one would otherwise leak.
                    await self.client.http.close()
                    self.client.http.connector = discord.utils.MISSING
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 60.0)
            self.login_failures = 0
            self.logged_in.set()
            await self.client.connect(reconnect=True)

    async def state(self) -> str:
        """connected, retrying (login or gateway unreachable; alerts wait in the outbox), starting, stopped."""
        if self.ready.is_set():
            return "connected"
        if self.client.is_closed() and self.logged_in.is_set():
            return "stopped"
        if self.login_failures or UNREACHABLE.retrying or self.logged_in.is_set():
            return "retrying"
        return "starting"

    # ----- outbound -----
    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        """Post one alert as one message (in the claim's thread when threads are on), unless maybe_sent finds it."""
        if not self.logged_in.is_set() or self.client.is_closed():
            raise DeliveryError("Discord is not connected yet", retry_after=5.0)
        if not dest.channel.isdigit():
            raise DeliveryError(f"{dest.channel!r} is not a Discord channel id", permanent=True)
        channel_id = int(dest.channel)
        embeds = alert_embeds(message)
        if message.image is not None:
            embeds[0].set_image(url=f"attachment://{ALERT_IMAGE}")
        if message.edit is not None and message.edit.message_id:
            edited = await self._edit(dest.channel, message.edit, embeds)
            if edited is not None:
                return edited
        key = nonce(message.alert_id, dest.channel)
        use_threads = self.threads and message.claim_id is not None
        thread = await self.store.get_thread(self.name, dest.channel, message.claim_id) if use_threads else None
        if message.attempt.maybe_sent:
            # An unrecorded attempt may have posted it, in the thread or (as its first alert) the channel.
            places = [int(thread), channel_id] if thread is not None else [channel_id]
            found = await find_earlier(self.client, places, message.alert_id, message.attempt.first_attempt_at)
            if found is not None:
                where, sent_id = found
                if use_threads and thread is None and where == channel_id:
                    thread = await self._start_thread(dest.channel, sent_id, message)
                return DeliveryReceipt(self.name, dest.channel, str(sent_id), thread)
        if thread is not None:
            try:
                sent = await self._post(int(thread), embeds, key, message)
                return DeliveryReceipt(self.name, dest.channel, str(sent.id), thread)
            except (discord.NotFound, discord.Forbidden) as exc:
                # Deleted, or locked by a moderator: post in the channel and start a new thread.
                log.warning("Discord: thread %s unusable (%s); starting a new one for claim %s",
                            thread, exc.status, message.claim_id)
            except RETRYABLE as exc:
                raise delivery_error(exc, f"thread {thread}") from None
        try:
            sent = await self._post(channel_id, embeds, key, message)
        except RETRYABLE as exc:
            raise delivery_error(exc, f"channel {dest.channel}") from None
        new_thread = await self._start_thread(dest.channel, sent.id, message) if use_threads else None
        return DeliveryReceipt(self.name, dest.channel, str(sent.id), new_thread)

    async def _edit(self, channel: str, edit: Edit, embeds: list[discord.Embed]) -> DeliveryReceipt | None:
        """Edit the alert an update stands for in place; None when it is gone (then it is posted anew)."""
        assert edit.message_id
        thread = edit.thread_id
        # The original sits in the channel, or in the claim's thread when one already existed.
        for where in dict.fromkeys([channel, thread] if thread else [channel]):
            target = self.client.get_partial_messageable(int(where)).get_partial_message(int(edit.message_id))
            try:
                await asyncio.wait_for(target.edit(embeds=embeds, allowed_mentions=NO_MENTIONS), SEND_TIMEOUT_S)
            except (discord.NotFound, discord.Forbidden):
                continue  # not there, deleted, or in a locked thread
            except RETRYABLE as exc:
                raise delivery_error(exc, f"edit in {where}") from None
            return DeliveryReceipt(self.name, channel, edit.message_id, thread)
        return None

    async def _post(self, channel_id: int, embeds: list[discord.Embed], key: str,
                    message: OutboundMessage) -> discord.Message:
        # The nonce (enforce_nonce) makes a retry after a lost answer return the first message.
        channel = self.client.get_partial_messageable(channel_id)
        image = message.image
        files = [discord.File(io.BytesIO(image), filename=ALERT_IMAGE)] if image is not None else []
        return await asyncio.wait_for(
            channel.send(embeds=embeds, files=files, allowed_mentions=NO_MENTIONS, nonce=key,
                         view=alert_view(message)), SEND_TIMEOUT_S)

    async def _start_thread(self, channel: str, message_id: int, message: OutboundMessage) -> str | None:
        """Open the claim's thread on the alert just posted; failure only costs the threading."""
        assert message.claim_id is not None
        try:
            data = await self.client.http.start_thread_with_message(
                int(channel), message_id, name=thread_name(message), auto_archive_duration=THREAD_ARCHIVE_MIN)
        except RETRYABLE as exc:
            # The alert is already posted: raising would post it twice. Try a thread next time.
            log.warning("Discord: could not start a thread in %s: %s", channel, exc)
            return None
        thread_id = str(data["id"])
        await self.store.set_thread(self.name, channel, message.claim_id, thread_id)
        return thread_id


def create(settings: Settings, config: FileConfig, store: AdapterStore) -> DiscordPlatform:
    """The Discord platform from settings; raises ConfigError for unusable settings."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise ConfigError("setting DISCORD_TOKEN: empty")
    sync = settings.discord_sync or ("guild" if settings.discord_guild_id else "global")
    if sync == "guild" and settings.discord_guild_id is None:
        raise ConfigError("setting CLAIMWATCH_DISCORD_SYNC=guild needs CLAIMWATCH_DISCORD_GUILD_ID")
    point_discord_py_at(settings.discord_api_url, settings.discord_gateway_url)
    return DiscordPlatform(settings, store)
