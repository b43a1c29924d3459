"""Answering a slash command or button: ephemeral by default, split to Slack's limits, charts uploaded."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_render import escape, reply_messages
from bot.platform import Reply
from bot.text import clip

log = logging.getLogger(__name__)

MAX_RESPONSES = 5  # Slack accepts five posts to one response_url


class ReplySender:
    """Turns a neutral Reply into response_url posts (falling back to the Web API) and file uploads."""

    def __init__(self, client: AsyncWebClient, reply_in_channel: bool = False) -> None:
        self.client = client
        self.reply_in_channel = reply_in_channel

    def visible(self, reply: Reply, private: bool = False) -> bool:
        """Whether the whole channel sees the reply."""
        return not private and (self.reply_in_channel or not reply.ephemeral)

    async def answer(self, reply: Reply, respond: Any, channel: str, user_id: str, private: bool = False) -> None:
        """Post the reply text (and chart, if any) where the command came from."""
        public = self.visible(reply, private)
        messages = reply_messages(reply.text)
        if len(messages) > MAX_RESPONSES:
            messages = messages[:MAX_RESPONSES]
            text, blocks = messages[-1]
            messages[-1] = (text, blocks + [{"type": "context", "elements": [
                {"type": "mrkdwn", "text": "(reply cut short: too long for Slack)"}]}])
        for text, blocks in messages:
            await self._post(respond, text, blocks, public, channel, user_id)
        if reply.image:
            await self._image(reply, respond, public, channel, user_id)
        if reply.attachments:
            await self._files(reply, respond, public, channel, user_id)

    async def _post(self, respond: Any, text: str, blocks: list[dict[str, Any]], public: bool,
                    channel: str, user_id: str) -> None:
        kind = "in_channel" if public else "ephemeral"
        try:
            resp = await respond(text=text, blocks=blocks or None, response_type=kind, replace_original=False,
                                 unfurl_links=False, unfurl_media=False)
            if resp.status_code == 200:
                return
            reason = f"HTTP {resp.status_code}"
        except Exception as exc:  # an expired or unreachable response_url: try the Web API instead
            reason = type(exc).__name__
        log.info("slack: response_url failed (%s); replying through the Web API", reason)
        try:
            if public:
                await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks or None,
                                                   unfurl_links=False, unfurl_media=False)
            else:
                await self.client.chat_postEphemeral(channel=channel, user=user_id, text=text,
                                                     blocks=blocks or None)
        except Exception as exc:
            log.warning("slack: could not answer %s in %s: %s", user_id, channel, type(exc).__name__)

    async def _image(self, reply: Reply, respond: Any, public: bool, channel: str, user_id: str) -> None:
        """Upload a chart with files.uploadV2: shared in the channel, or private and shown ephemerally."""
        name = reply.image_name or "chart.png"
        title = clip(reply.text.splitlines()[0] if reply.text.strip() else name, 200)
        try:
            if public:
                await self.client.files_upload_v2(channel=channel, file=reply.image, filename=name, title=title)
                return
            # Not shared anywhere: only the bot holds the file, and the ephemeral block shows it.
            resp = await self.client.files_upload_v2(file=reply.image, filename=name, title=title)
            file_id = (resp.get("file") or {}).get("id") or (resp.get("files") or [{}])[0].get("id")
        except Exception as exc:
            log.warning("slack: chart upload failed: %s", type(exc).__name__)
            await self._post(respond, "(the chart could not be uploaded)", [], False, channel, user_id)
            return
        block = {"type": "image", "slack_file": {"id": file_id}, "alt_text": title}
        await self._post(respond, title, [block], False, channel, user_id)

    async def _files(self, reply: Reply, respond: Any, public: bool, channel: str, user_id: str) -> None:
        """Upload attachments (exports): to the channel, or to a direct message for a private reply."""
        uploads = [{"file": data, "filename": name, "title": name} for name, data in reply.attachments.items()]
        try:
            if public:
                await self.client.files_upload_v2(channel=channel, file_uploads=uploads)
                return
            # Slack has no private files in a channel: a private reply's files go to a direct message.
            opened = await self.client.conversations_open(users=user_id)
            dm = opened["channel"]["id"]
            await self.client.files_upload_v2(channel=dm, file_uploads=uploads,
                                              initial_comment=escape(clip(reply.text.splitlines()[0], 300)))
        except Exception as exc:
            log.warning("slack: file upload failed: %s", type(exc).__name__)
            await self._post(respond, "(the files could not be uploaded; try again shortly)", [], False,
                             channel, user_id)
            return
        note = f"Sent {len(uploads)} file(s) to you in a direct message from Claimwatch."
        await self._post(respond, note, [], False, channel, user_id)
