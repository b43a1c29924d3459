"""Argument parsing shared by handlers."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from bot.models import STANCES, Claim
from handlers.context import Context
from handlers.errors import NotFoundError, UsageError
from storage.reviews import MatchInfo

MAX_CLAIM_CHARS = 500


def split_args(args: str) -> list[str]:
    """Shell-like words, so label="Wire service" stays one word."""
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def parse_id(word: str, what: str = "claim") -> int:
    """A positive integer id, '#12' allowed."""
    word = word.strip().lstrip("#")
    if not word.isdigit() or int(word) <= 0:
        raise UsageError(f"{what} id must be a number, got {word!r}.")
    return int(word)


async def claim_by_id(ctx: Context, word: str) -> Claim:
    """The live claim named by `word`, or NotFoundError."""
    claim_id = parse_id(word)
    claim = await ctx.store.get_claim(claim_id)
    if claim is None:
        raise NotFoundError(f"No claim #{claim_id}. See /claim list.")
    return claim


def claim_text(text: str) -> str:
    """Validated claim text: not empty, at most MAX_CLAIM_CHARS."""
    text = " ".join(text.split())
    if not text:
        raise UsageError("Claim text is empty.")
    if len(text) > MAX_CLAIM_CHARS:
        raise UsageError(f"Claim text is {len(text)} characters; the limit is {MAX_CLAIM_CHARS}.")
    return text


def options(words: list[str], allowed: set[str]) -> tuple[list[str], dict[str, str]]:
    """Split words into positionals and key=value options, refusing unknown keys."""
    positional, opts = [], {}
    for w in words:
        key, eq, value = w.partition("=")
        if eq and key.isidentifier():
            if key not in allowed:
                raise UsageError(f"Unknown option {key}= (allowed: {', '.join(sorted(allowed))}).")
            opts[key] = value
        else:
            positional.append(w)
    return positional, opts


@dataclass(frozen=True, slots=True)
class MatchTarget:
    """The match a command names, and the alert it was named through (None for a plain match id)."""

    match: MatchInfo
    alert_id: int | None = None


async def target_from(ctx: Context, args: str) -> tuple[MatchTarget, list[str]]:
    """The match named by `<match id>` or `alert=<alert id>` in `args`, and the other words.

    Alert buttons name the alert they sit on; the alert row knows the match it was raised for.
    """
    words, opts = options(split_args(args), {"alert"})
    alert_id = None
    if "alert" in opts:
        alert_id = parse_id(opts["alert"], "alert")
        ref = await ctx.store.alert_match(alert_id)
        if ref is None:
            raise NotFoundError(f"No alert {alert_id}.")
        if ref.match_id is None:
            raise NotFoundError(f"Alert {alert_id} is not about a statement; there is no match to look at.")
        match_id = ref.match_id
    elif words:
        match_id = parse_id(words.pop(0), "match")
    else:
        raise UsageError("Which match? Give its id (shown by /claim evidence and /claim possible).")
    info = await ctx.store.get_match(match_id)
    if info is None:
        raise NotFoundError(f"No match {match_id}. Match ids are shown by /claim evidence and /claim possible.")
    return MatchTarget(info, alert_id), words


async def match_from(ctx: Context, args: str) -> tuple[MatchInfo, list[str]]:
    """The match named by `<match id>` or `alert=<alert id>` (the alert's lead match), and the other words."""
    target, words = await target_from(ctx, args)
    return target.match, words


def alert_command(action: str, alert_id: str, stance: str = "") -> str | None:
    """The /claim command text a button (or the stance menu) on an alert stands for; None when malformed.

    Corrections name the alert they sit on (`alert=<id>`, read back by target_from), which finds its match.
    """
    if not alert_id.isdigit():
        return None
    if action == "review":
        return f"review {alert_id}"
    if action == "reject":
        return f"reject alert={alert_id}"
    if action == "stance" and stance in STANCES:
        return f"stance alert={alert_id} {stance}"
    return None
