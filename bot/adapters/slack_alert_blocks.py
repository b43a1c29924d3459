"""Block Kit for alerts on Slack: one body per alert type, the heading, and the buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.adapters.slack_render import (
    ACTION_MUTE,
    ACTION_REJECT,
    ACTION_REVIEW,
    ACTION_STANCE,
    ACTION_STATUS,
    CLAIM_LIMIT,
    FALLBACK_LIMIT,
    STANCE_EMOJI,
    Block,
    button,
    context,
    escape,
    hard_split,
    link,
    linkify,
    section,
    split_text,
)
from bot.alert_types import (
    ConflictAlert,
    Digest,
    Notice,
    SourcePaused,
    StatementAlert,
    StatusChange,
    claim_words,
)
from bot.durations import show_time
from bot.links import shown_link
from bot.platform import OutboundMessage, Quote
from bot.text import STANCE_LABEL, clip

QUOTE_LIMIT = 2500
QUOTES_LIMIT = 800  # each quote when an alert quotes several statements
MAX_ALERT_SECTIONS = 10  # a digest longer than ~29k characters is cut, staying under Slack's 40k


def _byline(alert: StatementAlert, speaker: bool = True) -> str:
    bits = [f"— *{escape(clip(alert.speaker or 'unattributed', 200))}*"] if speaker else []
    if alert.source:
        src = escape(clip(alert.source, 200))
        if alert.outlets > 1:
            src += f", carried by {alert.outlets} outlets"
        bits.append(src)
    if alert.published_at:
        bits.append(escape(show_time(alert.published_at)))
    also = alert.also_carried_by
    if also:
        names = ", ".join(escape(clip(n, 80)) for n in also[:8])
        bits.append(f"also carried by {names}" + (f" and {len(also) - 8} more" if len(also) > 8 else ""))
    if alert.link:
        bits.append(link(shown_link(alert.link), "read the article"))
    return " · ".join(bits)


def quote_text(text: str, limit: int) -> str:
    """`text` on one line and escaped, cut (with an ellipsis) so the escaped form stays within `limit`."""
    flat = " ".join(text.split())
    out = escape(flat)
    # Clip the raw text, not the escaped form, so an entity such as &amp; is never cut in half.
    return out if len(out) <= limit else escape(hard_split(flat, limit - 1)[0]) + "…"


def _claim(claim_id: int | None, claim_text: str) -> list[Block]:
    if not claim_text:
        return []
    cid = f" #{claim_id}" if claim_id is not None else ""
    return [section(f"*Claim{cid}:* {escape(clip(claim_text, CLAIM_LIMIT))}")]


def _text(text: str, url: str | None = None) -> list[Block]:
    """Plain alert text as sections (cut to fit one message), then its link."""
    chunks = split_text(text) if text.strip() else []
    blocks = [section(linkify(c)) for c in chunks[:MAX_ALERT_SECTIONS]]
    if len(chunks) > MAX_ALERT_SECTIONS:
        blocks.append(context("(cut short: too long for one Slack message)"))
    if url:
        blocks.append(context(link(shown_link(url), "details")))
    return blocks


def _fields(fields: tuple[tuple[str, str], ...]) -> list[Block]:
    shown = [{"type": "mrkdwn", "text": f"*{escape(clip(n, 100))}*\n{escape(clip(v, 1800))}"}
             for n, v in fields[:10]]
    return [{"type": "section", "fields": shown}] if shown else []


def _statement(alert: StatementAlert) -> list[Block]:
    """The quoted statement(s) and the byline; several quotes each name their speaker and stance."""
    blocks = _claim(alert.claim_id, alert.claim_text)
    quotes = alert.quotes or (Quote(alert.text, alert.speaker, alert.stance),)
    if len(quotes) == 1:
        return [*blocks, section(f"> “{quote_text(quotes[0].text, QUOTE_LIMIT)}”"), context(_byline(alert))]
    for q in quotes:
        who = escape(clip(q.speaker or "unattributed", 200))
        side = f" · {STANCE_EMOJI[q.stance]} _{STANCE_LABEL[q.stance]}_" if q.stance in STANCE_EMOJI else ""
        blocks.append(section(f"> “{quote_text(q.text, QUOTES_LIMIT)}”\n— *{who}*{side}"))
    byline = _byline(alert, speaker=False)
    return [*blocks, context(byline)] if byline else blocks  # Slack refuses an empty context


def _conflict(alert: ConflictAlert) -> list[Block]:
    return _claim(alert.claim_id, alert.claim_text) + _text(alert.text, alert.link) + _fields(alert.fields)


def _status(alert: StatusChange) -> list[Block]:
    return _claim(alert.claim_id, alert.claim_text) + _text(alert.text)


def _digest(alert: Digest) -> list[Block]:
    return _text(alert.text) + _fields(alert.fields)


def _plain(alert: SourcePaused | Notice) -> list[Block]:
    return _text(alert.text)


# The blocks under the heading, per alert type; tests/test_alert_renderers.py fails on a missing type.
BODIES: dict[type, Callable[[Any], list[Block]]] = {
    StatementAlert: _statement,
    ConflictAlert: _conflict,
    StatusChange: _status,
    Digest: _digest,
    SourcePaused: _plain,
    Notice: _plain,
}
KIND_EMOJI: dict[type, str] = {ConflictAlert: ":warning:", StatusChange: ":pushpin:",
                               SourcePaused: ":double_vertical_bar:", Digest: ":newspaper:"}


def stance_select(alert_id: int) -> dict[str, Any]:
    """The "Wrong stance" menu: choosing a stance sets it on the alert's match."""
    options = [{"text": {"type": "plain_text", "text": f"It {label}"}, "value": f"{alert_id}:{stance}"}
               for stance, label in STANCE_LABEL.items()]
    return {"type": "static_select", "action_id": ACTION_STANCE, "options": options,
            "placeholder": {"type": "plain_text", "text": "Wrong stance…"}}


def alert_actions(message: OutboundMessage) -> Block:
    """The buttons on an alert: mute here, mark reviewed, corrections of a statement alert, status."""
    elements = []
    # An edit in place stands for the alert it edits: reviewing it reviews that one.
    target = message.target_id
    if message.claim_id is not None:
        elements.append(button("Mute here", ACTION_MUTE, str(message.claim_id)))
    elements.append(button("Mark reviewed", ACTION_REVIEW, str(target), "primary"))
    if isinstance(message.alert, StatementAlert):
        elements.append(button("Not about this claim", ACTION_REJECT, str(target), "danger"))
        elements.append(stance_select(target))
    if message.claim_id is not None:
        elements.append(button("Status", ACTION_STATUS, str(message.claim_id)))
    return {"type": "actions", "block_id": f"claimwatch_alert_{target}", "elements": elements}


def alert_blocks(message: OutboundMessage) -> tuple[str, list[Block]]:
    """Block Kit for one alert: stance, claim, quoted statement(s), speakers, source, outlets, time, link."""
    alert = message.alert
    stance = alert.stance if isinstance(alert, StatementAlert) else None
    emoji = STANCE_EMOJI.get(stance or "", KIND_EMOJI.get(type(alert), ":bell:"))
    head = f"{emoji} *{escape(clip(alert.title, 200))}*"
    if stance in STANCE_LABEL:
        head += f"  _{STANCE_LABEL[stance]}_"
    if message.escalation:
        head = f":rotating_light: {escape(clip(message.escalation, 200))}\n" + head
    blocks = [section(head), *BODIES[type(alert)](alert), alert_actions(message)]
    fallback = escape(clip(f"{alert.title}: {claim_words(alert) or alert.text}", FALLBACK_LIMIT))
    return fallback, blocks
