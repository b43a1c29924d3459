"""Discord interactions in: slash commands and alert buttons go to the Dispatcher; answers go back.

An answer must come within 3 seconds, so a command still running after ACK_S is deferred and answered by
follow-up; slow commands (the table's `slow`) are deferred at once.
"""

from __future__ import annotations

import asyncio
import io
import logging

import discord

from bot.adapters.discord_buttons import command_for, reviewed_embeds
from bot.adapters.discord_errors import RETRYABLE
from bot.adapters.discord_render import reply_chunks
from bot.platform import Actor, Command, Dispatch, Reply
from handlers.table import CommandSpec, command_text

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
ACK_S = 2.0  # Discord drops an interaction not answered within 3 s: defer after this long


def actor_of(interaction: discord.Interaction) -> Actor:
    """The neutral caller; role ids come straight from the interaction, no member cache needed."""
    user = interaction.user
    roles = tuple(str(r) for r in getattr(user, "_roles", ()))
    return Actor("discord", str(user.id), user.display_name, roles,
                 is_admin=interaction.permissions.administrator)


class Interactions:
    """Runs slash commands and button presses through the Dispatcher once serve() has given it one."""

    def __init__(self) -> None:
        self.dispatch: Dispatch | None = None
        self._tasks: set[asyncio.Task[Reply]] = set()

    async def slash(self, interaction: discord.Interaction, spec: CommandSpec, given: dict[str, str]) -> None:
        """A slash command: its named options go to the Dispatcher as they are, not back into text."""
        await self.run(interaction, spec.group, command_text(spec, given), spec.slow, given)

    async def run(self, interaction: discord.Interaction, group: str, text: str,
                          defer: bool, values: dict[str, str] | None = None) -> Reply | None:
        """Dispatch one command and answer it; slow work is deferred and answered by follow-up."""
        if self.dispatch is None:
            await interaction.response.send_message("Claimwatch is starting; try again shortly.",
                                                    ephemeral=True, allowed_mentions=NO_MENTIONS)
            return None
        command = Command(group, text, actor_of(interaction), str(interaction.channel_id), values)
        task = asyncio.create_task(self.dispatch(command))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if not defer:
            done, _ = await asyncio.wait({task}, timeout=ACK_S)
            defer = not done
        if defer:
            await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await task
        try:
            await self._answer(interaction, reply, deferred=defer)
        except RETRYABLE as exc:
            log.warning("Discord: could not answer %s %s: %s", group, text.split(" ")[0], exc)
        return reply

    async def component(self, interaction: discord.Interaction) -> None:
        """A button or the stance menu on an alert: run its command, answer privately, show it on the alert."""
        data = interaction.data or {}
        values = [str(v) for v in data.get("values", [])]
        found = command_for(str(data.get("custom_id", "")), values)
        if found is None:
            return  # not one of ours
        action, text = found
        # Command replies are private by default, and refusals always are: only the presser sees them.
        reply = await self.run(interaction, "claim", text, False)
        if reply is None or not reply.ok or interaction.message is None:
            return
        embeds = reviewed_embeds(interaction.message.embeds, action, interaction.user.display_name, values)
        try:
            await interaction.message.edit(embeds=embeds, allowed_mentions=NO_MENTIONS)
        except RETRYABLE as exc:
            log.warning("Discord: could not show the review on alert message %s: %s", interaction.message.id, exc)

    async def _answer(self, interaction: discord.Interaction, reply: Reply, deferred: bool) -> None:
        # Refusals and errors are only for the caller; a deferred answer keeps the defer's privacy.
        ephemeral = deferred or reply.ephemeral or not reply.ok
        files = []
        if reply.image is not None:
            files.append(discord.File(io.BytesIO(reply.image), filename=reply.image_name or "chart.png"))
        files += [discord.File(io.BytesIO(data), filename=name) for name, data in reply.attachments.items()]
        chunks = reply_chunks(reply.text)
        for i, chunk in enumerate(chunks):
            extra = {"files": files} if files and i == len(chunks) - 1 else {}
            if i == 0 and not deferred:
                await interaction.response.send_message(chunk, ephemeral=ephemeral,
                                                        allowed_mentions=NO_MENTIONS, **extra)
            else:
                await interaction.followup.send(chunk, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS,
                                                **extra)
