"""Render neutral alerts and replies for Discord: embeds, colours, and splitting within Discord's limits."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.alert_types import (
    ConflictAlert,
    Digest,
    Notice,
    SourcePaused,
    StatementAlert,
    StatusChange,
    claim_words,
)
from bot.durations import parse_time, show_time
from bot.links import shown_link
from bot.platform import OutboundMessage, Quote
from bot.text import STANCE_LABEL, STANCE_MARK, clip

# Discord's documented limits.
MESSAGE_CHARS = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FIELDS = 25
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL = 6000  # all embeds of one message together
THREAD_NAME = 100
QUOTES_CHARS = 1200  # each quote when an alert quotes several: three stay within one description

STANCE_COLOUR = {
    "supports": discord.Colour(0x2E8B57),  # green: the statement asserts the claim
    "refutes": discord.Colour(0xC0392B),  # red: the statement denies it
    "neutral": discord.Colour(0x7F8C8D),  # grey: reporting without taking a side
}
BLURPLE = discord.Colour(0x5865F2)
CONFLICT_COLOUR = discord.Colour(0xE67E22)
PAUSED_COLOUR = discord.Colour(0xF1C40F)

Field = tuple[str, str, bool]


@dataclass(frozen=True, slots=True)
class EmbedParts:
    """What one alert type puts in its embed, before Discord's limits are applied."""

    colour: discord.Colour
    fields: list[Field]
    body: str
    link: str | None = None
    published_at: str | None = None


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks, then spaces, when possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit  # one very long word: cut it hard
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _claim(claim_id: int | None, claim_text: str = "") -> list[Field]:
    if claim_id is None and not claim_text:
        return []
    label = f"#{claim_id} " if claim_id is not None else ""
    return [("Claim", label + claim_text, False)]


def _extra(fields: tuple[tuple[str, str], ...]) -> list[Field]:
    return [(name, value, True) for name, value in fields]


def _quote(q: Quote) -> str:
    mark = STANCE_MARK.get(q.stance or "")
    said = f"“{clip(' '.join(q.text.split()), QUOTES_CHARS)}”"
    side = f", {STANCE_LABEL[q.stance]}" if q.stance in STANCE_LABEL else ""
    return f"{mark + ' ' if mark else ''}{said}\n— {clip(q.speaker or 'unattributed', 200)}{side}"


def _statement(alert: StatementAlert) -> EmbedParts:
    """The quoted statement (or each quote with its stance mark and speaker), speaker, stance, source."""
    fields = _claim(alert.claim_id, alert.claim_text)
    if len(alert.quotes) <= 1:  # several quotes name their speakers in the description
        fields.append(("Speaker", alert.speaker or "unattributed", True))
    if alert.stance:
        fields.append(("Stance", STANCE_LABEL.get(alert.stance, alert.stance), True))
    if alert.source:
        fields.append(("Source", alert.source, True))
    fields.append(("Outlets", str(alert.outlets), True))
    if alert.also_carried_by:
        fields.append(("Also carried by", ", ".join(alert.also_carried_by), False))
    if alert.published_at:
        fields.append(("Published", show_time(alert.published_at), True))
    if len(alert.quotes) > 1:
        body = "\n\n".join(_quote(q) for q in alert.quotes)
    else:
        body = f"“{alert.text}”" if alert.text else ""
    return EmbedParts(STANCE_COLOUR.get(alert.stance or "", BLURPLE), fields, body, alert.link, alert.published_at)


def _conflict(alert: ConflictAlert) -> EmbedParts:
    fields = _claim(alert.claim_id, alert.claim_text) + _extra(alert.fields)
    return EmbedParts(CONFLICT_COLOUR, fields, alert.text, alert.link)


def _status(alert: StatusChange) -> EmbedParts:
    return EmbedParts(BLURPLE, _claim(alert.claim_id, alert.claim_text), alert.text)


def _digest(alert: Digest) -> EmbedParts:
    return EmbedParts(BLURPLE, _claim(alert.claim_id) + _extra(alert.fields), alert.text)


def _paused(alert: SourcePaused) -> EmbedParts:
    return EmbedParts(PAUSED_COLOUR, [], alert.text)


def _notice(alert: Notice) -> EmbedParts:
    return EmbedParts(BLURPLE, _claim(alert.claim_id), alert.text)


# One embed shape per alert type; tests/test_alert_renderers.py fails when a type is missing here.
RENDERERS: dict[type, Callable[[Any], EmbedParts]] = {
    StatementAlert: _statement,
    ConflictAlert: _conflict,
    StatusChange: _status,
    Digest: _digest,
    SourcePaused: _paused,
    Notice: _notice,
}


def embed_parts(message: OutboundMessage) -> EmbedParts:
    """The parts of a message's embed; an edit shows its alert's current content the same way."""
    return RENDERERS[type(message.alert)](message.alert)


def alert_embeds(message: OutboundMessage) -> list[discord.Embed]:
    """One alert as embeds for ONE message (so it is posted, or retried, as a unit).

    A body longer than one embed description continues in further embeds; whatever would pass
    Discord's 6000-character total for a message is cut, ending with a pointer to the link.
    """
    parts = embed_parts(message)
    body = parts.body
    first = discord.Embed(
        title=clip(message.alert.title or "Claimwatch alert", EMBED_TITLE),
        url=shown_link(parts.link) or None,
        colour=parts.colour,
        timestamp=parse_time(parts.published_at),
    )
    fields = [("Escalation", message.escalation, False)] if message.escalation else []
    for name, value, inline in (fields + parts.fields)[:EMBED_FIELDS]:
        first.add_field(name=clip(name or "-", EMBED_FIELD_NAME), value=clip(value or "-", EMBED_FIELD_VALUE),
                        inline=inline)
    first.set_footer(text=footer_text(message.alert_id))
    # Every embed of a message shares one 6000-character budget; each piece is >= 2048 characters
    # but the last, so at most 3 description embeds are ever needed (Discord allows 10).
    room = EMBED_TOTAL - len(first)
    if len(body) > room:
        note = " … (cut; the full text is at the link)" if parts.link else " … (cut)"
        body = clip(body, room - len(note)).removesuffix("…") + note
    embeds = [first]
    for i, part in enumerate(split_text(body, EMBED_DESCRIPTION) if body else []):
        if i == 0:
            first.description = part
        else:
            embeds.append(discord.Embed(description=part, colour=first.colour))
    return embeds[:EMBEDS_PER_MESSAGE]


def footer_text(alert_id: int) -> str:
    """The first embed's footer; it also marks the post so a retry after a crash can find it."""
    return f"Claimwatch alert {alert_id}"


def thread_name(message: OutboundMessage) -> str:
    """A thread title for a claim: its number and words, within Discord's 100 characters."""
    words = " ".join((claim_words(message.alert) or message.alert.title).split())
    return clip(f"Claim #{message.claim_id}: {words}", THREAD_NAME)


def nonce(alert_id: int, channel: str) -> str:
    """A stable nonce per (alert, channel): with enforce_nonce Discord creates the message only once."""
    digest = hashlib.blake2b(f"{alert_id}:{channel}".encode(), digest_size=8).hexdigest()
    return "cw" + digest  # 18 characters; Discord allows 25


def reply_chunks(text: str) -> list[str]:
    """A command reply as message-sized pieces."""
    return split_text(text.strip() or "(no output)", MESSAGE_CHARS)
