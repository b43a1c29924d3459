"""Render neutral alerts and replies for Discord: embeds, colours, and splitting within Discord's limits."""

from __future__ import annotations

import hashlib

import discord

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
KIND_COLOUR = {
    "status": discord.Colour(0x5865F2),
    "conflict": discord.Colour(0xE67E22),
    "source_paused": discord.Colour(0xF1C40F),
}


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


def colour(message: OutboundMessage) -> discord.Colour:
    """Green, red or grey by stance; other alert kinds get their own colour."""
    if message.stance in STANCE_COLOUR:
        return STANCE_COLOUR[message.stance]
    return KIND_COLOUR.get(message.kind, discord.Colour(0x5865F2))


def _fields(message: OutboundMessage) -> list[tuple[str, str, bool]]:
    fields: list[tuple[str, str, bool]] = []
    if message.escalation:
        fields.append(("Escalation", message.escalation, False))
    if message.claim_id is not None or message.claim_text:
        label = f"#{message.claim_id} " if message.claim_id is not None else ""
        fields.append(("Claim", label + (message.claim_text or ""), False))
    if message.kind == "statement":
        if len(message.quotes) <= 1:  # several quotes name their speakers in the description
            fields.append(("Speaker", message.speaker or "unattributed", True))
        if message.stance:
            fields.append(("Stance", STANCE_LABEL.get(message.stance, message.stance), True))
    if message.source:
        fields.append(("Source", message.source, True))
    if message.kind == "statement" or message.outlets > 1:
        fields.append(("Outlets", str(message.outlets), True))
    if message.also_carried_by:
        fields.append(("Also carried by", ", ".join(message.also_carried_by), False))
    if message.published_at:
        fields.append(("Published", show_time(message.published_at), True))
    fields.extend((name, value, True) for name, value in message.fields)
    return [(clip(n or "-", EMBED_FIELD_NAME), clip(v or "-", EMBED_FIELD_VALUE), inline)
            for n, v, inline in fields[:EMBED_FIELDS]]


def _quote(q: Quote) -> str:
    mark = STANCE_MARK.get(q.stance or "")
    said = f"“{clip(' '.join(q.text.split()), QUOTES_CHARS)}”"
    side = f", {STANCE_LABEL[q.stance]}" if q.stance in STANCE_LABEL else ""
    return f"{mark + ' ' if mark else ''}{said}\n— {clip(q.speaker or 'unattributed', 200)}{side}"


def body_text(message: OutboundMessage) -> str:
    """The description: the quoted statement, or each quote with its stance mark and speaker."""
    if message.kind in ("statement", "update") and len(message.quotes) > 1:
        return "\n\n".join(_quote(q) for q in message.quotes)
    return f"“{message.text}”" if message.kind == "statement" and message.text else message.text


def alert_embeds(message: OutboundMessage) -> list[discord.Embed]:
    """One alert as embeds for ONE message (so it is posted, or retried, as a unit).

    A body longer than one embed description continues in further embeds; whatever would pass
    Discord's 6000-character total for a message is cut, ending with a pointer to the link.
    """
    body = body_text(message)
    first = discord.Embed(
        title=clip(message.title or "Claimwatch alert", EMBED_TITLE),
        url=shown_link(message.link) or None,
        colour=colour(message),
        timestamp=parse_time(message.published_at),
    )
    for name, value, inline in _fields(message):
        first.add_field(name=name, value=value, inline=inline)
    first.set_footer(text=footer_text(message.alert_id))
    # Every embed of a message shares one 6000-character budget; each piece is >= 2048 characters
    # but the last, so at most 3 description embeds are ever needed (Discord allows 10).
    room = EMBED_TOTAL - len(first)
    if len(body) > room:
        note = " … (cut; the full text is at the link)" if message.link else " … (cut)"
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
    words = " ".join((message.claim_text or message.title).split())
    return clip(f"Claim #{message.claim_id}: {words}", THREAD_NAME)


def nonce(alert_id: int, channel: str) -> str:
    """A stable nonce per (alert, channel): with enforce_nonce Discord creates the message only once."""
    digest = hashlib.blake2b(f"{alert_id}:{channel}".encode(), digest_size=8).hexdigest()
    return "cw" + digest  # 18 characters; Discord allows 25


def reply_chunks(text: str) -> list[str]:
    """A command reply as message-sized pieces."""
    return split_text(text.strip() or "(no output)", MESSAGE_CHARS)
