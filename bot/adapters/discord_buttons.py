"""Buttons on Discord alerts: Mark reviewed, Not about this claim, and a Wrong stance menu.

Each component's custom_id names the action and the alert ("claimwatch:reject:12"); presses
arrive as component interactions and become /claim commands for the Dispatcher, which checks
moderator rights and audits. No view is kept in memory per alert: the ids carry everything.
"""

from __future__ import annotations

import discord

from bot.adapters.discord_render import EMBED_FIELDS, EMBED_TOTAL
from bot.alert_types import StatementAlert
from bot.models import STANCES
from bot.platform import OutboundMessage
from bot.text import STANCE_LABEL, clip
from handlers.parsing import alert_command

PREFIX = "claimwatch"
REVIEW_FIELD = "Review"
# What the alert then shows for everyone; {stance} is the stance chosen.
DONE_NOTES = {"review": "Reviewed by {who}", "reject": "Not about this claim (marked by {who})",
              "stance": "Stance set to {stance} by {who}"}


def custom_id(action: str, alert_id: int) -> str:
    """'claimwatch:<action>:<alert id>' (Discord allows 100 characters)."""
    return f"{PREFIX}:{action}:{alert_id}"


def alert_view(message: OutboundMessage) -> discord.ui.View:
    """The components of an alert; statement alerts (and their edits) can be corrected."""
    # An edit in place stands for the alert it edits: reviewing it reviews that one.
    target = message.target_id
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Mark reviewed", style=discord.ButtonStyle.primary,
                                    custom_id=custom_id("review", target)))
    if isinstance(message.alert, StatementAlert):
        view.add_item(discord.ui.Button(label="Not about this claim", style=discord.ButtonStyle.danger,
                                        custom_id=custom_id("reject", target)))
        view.add_item(discord.ui.Select(
            custom_id=custom_id("stance", target), placeholder="Wrong stance…",
            options=[discord.SelectOption(label=f"It {STANCE_LABEL[s]}", value=s) for s in STANCES]))
    # Stopped before sending, so discord.py does not keep it per message: on_interaction answers.
    view.stop()
    return view


def command_for(cid: str, values: list[str]) -> tuple[str, str] | None:
    """(action, /claim command text) of a pressed component; None if it is not ours or is malformed."""
    prefix, _, rest = cid.partition(":")
    action, _, alert_id = rest.partition(":")
    if prefix != PREFIX:
        return None
    text = alert_command(action, alert_id, values[0] if len(values) == 1 else "")
    return (action, text) if text is not None else None


def reviewed_embeds(embeds: list[discord.Embed], action: str, who: str, values: list[str]) -> list[discord.Embed]:
    """The alert's embeds with a Review field saying who did what (replacing an earlier one)."""
    if not embeds:
        return embeds
    first = embeds[0].copy()
    for i in reversed(range(len(first.fields))):
        if first.fields[i].name == REVIEW_FIELD:
            first.remove_field(i)
    note = DONE_NOTES[action].format(who=clip(who or "a moderator", 80), stance=values[0] if values else "")
    if len(first.fields) < EMBED_FIELDS:
        first.add_field(name=REVIEW_FIELD, value=note, inline=False)
    out = [first, *(e.copy() for e in embeds[1:])]
    # A long alert already fills the message's 6000 characters: shorten its text to make room.
    over = sum(len(e) for e in out) - EMBED_TOTAL
    if over > 0 and out[-1].description:
        out[-1].description = clip(out[-1].description, max(1, len(out[-1].description) - over))
    return out
