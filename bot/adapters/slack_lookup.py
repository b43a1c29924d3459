"""Finding a post Slack may already show: each post carries message metadata, history finds it again.

After a crash between Slack's answer and the outbox's record, the outbox retries with maybe_sent.
Before posting again, the adapter reads the recent history of the channel (or of the claim's
thread) for its own message with the same metadata and, if it is there, reports that one.
Reading history needs the channels:history scope (groups:history for private channels) and the
bot's membership of the channel; without them the alert is posted again rather than lost.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.durations import parse_time

log = logging.getLogger(__name__)

ALERT_EVENT = "claimwatch_alert"
THREAD_EVENT = "claimwatch_thread"
PAGE = 200
MAX_PAGES = 5  # a bounded look: 1,000 messages posted since the first attempt
SKEW_S = 120.0  # our clock and Slack's may differ; look a little further back
# The install lacks the history scopes (an app not yet reinstalled), or the bot posts to a public
# channel it was never invited to (chat:write.public), where history is closed to it: nothing can be
# checked, and posting again beats losing the alert.
CANNOT_LOOK = {"missing_scope", "not_allowed_token_type", "not_in_channel"}


def alert_metadata(alert_id: int, channel: str, key: str) -> dict[str, Any]:
    """Metadata tagging an alert post, so a later attempt can find it."""
    return {"event_type": ALERT_EVENT, "event_payload": {"alert_id": alert_id, "channel": channel, "key": key}}


def thread_metadata(claim_id: int, channel: str) -> dict[str, Any]:
    """Metadata tagging a claim's thread parent."""
    return {"event_type": THREAD_EVENT, "event_payload": {"claim_id": claim_id, "channel": channel}}


def _oldest(since: str | None) -> str | None:
    at = parse_time(since)  # naive means UTC (the outbox's zone), not the host's local time
    return f"{at.timestamp() - SKEW_S:.6f}" if at else None


def _matches(message: dict[str, Any], wanted: dict[str, Any]) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return meta.get("event_type") == wanted["event_type"] and all(
        str(payload.get(k)) == str(v) for k, v in wanted["event_payload"].items()
    )


async def find_post(client: AsyncWebClient, channel: str, wanted: dict[str, Any], since: str | None,
                    thread_ts: str | None = None) -> str | None:
    """The ts of our post carrying `wanted` metadata, posted since `since`; None if it is not there.

    Slack errors propagate (the outbox retries), except a missing history scope: then the post
    cannot be checked and None is returned, so the alert is posted rather than lost.
    """
    args: dict[str, Any] = {"channel": channel, "include_all_metadata": True, "limit": PAGE}
    oldest = _oldest(since)
    if oldest is not None:
        args["oldest"] = oldest
    cursor = None
    for _ in range(MAX_PAGES):
        try:
            if thread_ts:
                resp = await client.conversations_replies(ts=thread_ts, cursor=cursor, **args)
            else:
                resp = await client.conversations_history(cursor=cursor, **args)
        except SlackApiError as exc:
            if exc.response.get("error") in CANNOT_LOOK:
                log.warning("Slack: cannot read history of %s to check for an earlier post (%s); "
                            "add channels:history / groups:history and invite the bot", channel,
                            exc.response.get("error"))
                return None
            raise
        for message in resp.get("messages") or []:
            if _matches(message, wanted):
                return str(message["ts"])
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    log.warning("Slack: no earlier post of %s found in the last %d messages of %s; posting it",
                wanted["event_payload"], PAGE * MAX_PAGES, channel)
    return None
