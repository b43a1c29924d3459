"""Posting alerts to Slack: one thread per claim per channel, and Slack errors as DeliveryErrors."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_alert_blocks import alert_blocks
from bot.adapters.slack_lookup import alert_metadata, find_post, thread_metadata
from bot.adapters.slack_render import parent_blocks
from bot.alert_types import claim_words
from bot.platform import DeliveryError, DeliveryReceipt, Destination, OutboundMessage
from storage import AdapterStore

log = logging.getLogger(__name__)

PLATFORM = "slack"
# Errors no retry will fix: the outbox marks the delivery failed instead of retrying forever.
PERMANENT = {
    "channel_not_found", "is_archived", "invalid_blocks", "invalid_blocks_format", "msg_too_long",
    "invalid_arguments", "too_many_attachments", "no_text", "cannot_reply_to_message",
}
# Errors a person can fix (invite the bot, renew the token): retried slowly so nothing is lost.
SLOW_RETRY = {"not_in_channel", "invalid_auth", "not_authed", "account_inactive", "token_revoked",
              "token_expired", "missing_scope", "ekm_access_denied", "team_access_not_granted"}
SLOW_RETRY_S = 300.0
EDIT_GONE = {"message_not_found", "cant_update_message", "edit_window_closed"}


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) else str(value)
    return None


def delivery_error(exc: Exception) -> DeliveryError:
    """Translate a Slack client failure into the outbox's terms."""
    if isinstance(exc, SlackApiError):
        resp = exc.response
        status = getattr(resp, "status_code", 200)
        error = str(resp.get("error", "")) if isinstance(resp.data, dict) else ""
        if status == 429 or error == "ratelimited":
            raw = _header(getattr(resp, "headers", None), "retry-after")
            try:
                wait = max(0.0, float(raw)) if raw is not None else 30.0
            except ValueError:
                wait = 30.0
            return DeliveryError(f"slack rate limited; retry after {wait:g}s", retry_after=wait)
        if error in PERMANENT:
            return DeliveryError(f"slack refused the message: {error}", permanent=True)
        if error in SLOW_RETRY:
            return DeliveryError(f"slack refused the message: {error}", retry_after=SLOW_RETRY_S)
        if status >= 500 or not error:
            return DeliveryError(f"slack unavailable (HTTP {status})")
        return DeliveryError(f"slack error: {error}")
    if isinstance(exc, aiohttp.ClientError | OSError | TimeoutError | asyncio.TimeoutError):
        return DeliveryError(f"slack unreachable: {type(exc).__name__}")
    return DeliveryError(f"{type(exc).__name__}: {exc}")


class SlackDelivery:
    """Sends alerts; alerts about one claim share a thread in each channel."""

    def __init__(self, client: AsyncWebClient, store: AdapterStore) -> None:
        self.client = client
        self.store = store
        # Two alerts for one new claim must not each start a thread.
        self._thread_locks: dict[tuple[str, int], asyncio.Lock] = {}

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        """Post one alert (into its claim's thread, started if needed); raise DeliveryError on failure."""
        try:
            thread_ts = None
            if message.claim_id is not None:
                thread_ts = await self._thread(dest.channel, message)
            text, blocks = alert_blocks(message)
            ts = await self._edit(dest.channel, message, text, blocks)
            found = await self._earlier_post(dest.channel, message, thread_ts) if ts is None else None
            if found:
                ts = found  # an attempt the outbox could not record posted it already
            elif ts is None:
                resp = await self.client.chat_postMessage(
                    channel=dest.channel, text=text, blocks=blocks, thread_ts=thread_ts,
                    unfurl_links=False, unfurl_media=False,
                    metadata=alert_metadata(message.alert_id, dest.channel, message.attempt.dedupe_key),
                )
                ts = str(resp.get("ts", ""))
        except Exception as exc:  # every client failure becomes a DeliveryError the outbox understands
            raise delivery_error(exc) from None
        # The alert is posted: what follows is best effort, so a failure never re-sends it.
        # An image is attached only with a fresh post: the earlier attempt may have attached it already.
        if message.image and not found:
            await self._attach_image(dest.channel, message, thread_ts or ts)
        if thread_ts is not None:
            await self._refresh_parent(dest.channel, message, thread_ts)
        return DeliveryReceipt(PLATFORM, dest.channel, message_id=ts, thread_id=thread_ts)

    async def _earlier_post(self, channel: str, message: OutboundMessage, thread_ts: str | None) -> str | None:
        """The ts of this alert's post from an unrecorded earlier attempt, if Slack shows it."""
        if not message.attempt.maybe_sent:
            return None
        wanted = alert_metadata(message.alert_id, channel, message.attempt.dedupe_key)
        ts = await find_post(self.client, channel, wanted, message.attempt.first_attempt_at, thread_ts)
        if ts:
            log.info("Slack: alert %s was already posted in %s (ts %s); not posting it again",
                     message.alert_id, channel, ts)
        return ts

    async def _edit(self, channel: str, message: OutboundMessage, text: str, blocks: list[Any]) -> str | None:
        """Edit the earlier alert in place for an Edit; None when there is nothing to edit."""
        target = message.edit.message_id if message.edit is not None else None
        if not target:
            return None
        try:
            await self.client.chat_update(channel=channel, ts=target, text=text, blocks=blocks)
        except SlackApiError as exc:
            if exc.response.get("error") in EDIT_GONE:
                return None  # the original was deleted: post the update as a new message
            raise
        return str(target)

    async def _attach_image(self, channel: str, message: OutboundMessage, thread_ts: str) -> None:
        try:
            await self.client.files_upload_v2(
                channel=channel, thread_ts=thread_ts, file=message.image,
                filename=f"claimwatch-alert-{message.alert_id}.png", title=message.alert.title[:200],
            )
        except Exception as exc:
            log.warning("could not attach the image of alert %s in %s: %s", message.alert_id, channel,
                        delivery_error(exc))

    async def _thread(self, channel: str, message: OutboundMessage) -> str:
        """The claim's thread in this channel, posting its summary parent the first time."""
        assert message.claim_id is not None
        lock = self._thread_locks.setdefault((channel, message.claim_id), asyncio.Lock())
        async with lock:
            existing = await self.store.get_thread(PLATFORM, channel, message.claim_id)
            if existing:
                return existing
            meta = thread_metadata(message.claim_id, channel)
            # A crash between posting the parent and storing it: find that parent, do not start another.
            attempt = message.attempt
            found = await find_post(self.client, channel, meta, attempt.first_attempt_at) if attempt.maybe_sent else None
            if found:
                await self.store.set_thread(PLATFORM, channel, message.claim_id, found)
                return found
            text, blocks = await self._parent(message)
            resp = await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks,
                                                      unfurl_links=False, unfurl_media=False, metadata=meta)
            ts = str(resp["ts"])
            await self.store.set_thread(PLATFORM, channel, message.claim_id, ts)
            return ts

    async def _parent(self, message: OutboundMessage) -> tuple[str, list[dict[str, Any]]]:
        assert message.claim_id is not None
        claim = await self.store.get_claim(message.claim_id)
        counts = await self.store.stance_counts(message.claim_id)
        text = claim.text if claim else claim_words(message.alert)
        status = claim.status if claim else "unknown"
        return parent_blocks(message.claim_id, text, status, counts)

    async def _refresh_parent(self, channel: str, message: OutboundMessage, thread_ts: str) -> None:
        """Keep the parent's status and tally current; best effort, the alert is already delivered."""
        try:
            text, blocks = await self._parent(message)
            await self.client.chat_update(channel=channel, ts=thread_ts, text=text, blocks=blocks)
        except Exception as exc:
            log.info("could not refresh the thread summary of claim %s in %s: %s",
                     message.claim_id, channel, delivery_error(exc))
