"""Argument parsing shared by handlers."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from bot.models import STANCES, Claim
from bot.text import clip
from handlers.context import Context
from handlers.errors import NotFoundError, UsageError
from storage import MatchInfo

_BAD_TEXT = re.compile("[\ud800-\udfff\x00]")  # lone surrogates: undecodable bytes kept by surrogateescape


def has_bad_text(text: str) -> bool:
    """True when `text` holds bytes that were not valid UTF-8 (or a NUL), which storage would refuse."""
    return _BAD_TEXT.search(text) is not None


def split_args(args: str) -> list[str]:
    """Shell-like words, so label="Wire service" stays one word."""
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


MAX_ID_DIGITS = 18  # every id fits SQLite's 64-bit integer


def parse_id(word: str, what: str = "claim") -> int:
    """A positive integer id in ASCII digits, '#12' allowed; a one-line UsageError otherwise."""
    word = word.strip().lstrip("#")
    if not (word.isascii() and word.isdigit()):
        raise UsageError(f"{what} id must be a number, got {clip(word, 30)!r}.")
    if len(word.lstrip("0")) > MAX_ID_DIGITS:
        raise UsageError(f"{what} id {clip(word, 24)} is too large; ids have at most {MAX_ID_DIGITS} digits.")
    if int(word) == 0:
        raise UsageError(f"{what} ids start at 1, got 0.")
    return int(word)


async def claim_by_id(ctx: Context, word: str, with_removed: bool = False) -> Claim:
    """The live claim named by `word` (or a removed one too, with_removed), or NotFoundError."""
    claim_id = parse_id(word)
    claim = await ctx.store.get_claim(claim_id, with_removed=with_removed)
    if claim is None:
        raise NotFoundError(f"No claim #{claim_id}. See /claim list.")
    return claim


def options(
    words: list[str], allowed: set[str], text_keys: frozenset[str] = frozenset()
) -> tuple[list[str], dict[str, str]]:
    """Split words into positionals and key=value options, refusing unknown keys.

    A key in `text_keys` takes the words after it too, up to the next option or URL, so
    label=BBC World reads as label="BBC World".
    """
    positional: list[str] = []
    opts: dict[str, str] = {}
    joining = ""
    for w in words:
        key, eq, value = w.partition("=")
        if eq and key.isidentifier():
            if key not in allowed:
                raise UsageError(f"Unknown option {clip(key, 30)}= (allowed: {', '.join(sorted(allowed))}).")
            opts[key] = value
            joining = key if key in text_keys else ""
        elif joining and "://" not in w:
            opts[joining] = f"{opts[joining]} {w}".strip()
        else:
            positional.append(w)
            joining = ""
    return positional, opts


@dataclass(frozen=True, slots=True)
class MatchTarget:
    """The match a command names, and the alert it was named through (None for a plain match id)."""

    match: MatchInfo
    alert_id: int | None = None


async def target(ctx: Context, match: int | None, alert: int | None) -> MatchTarget:
    """The match named by its id or through an alert (the alert row knows the match it was raised for)."""
    if alert is not None:
        ref = await ctx.store.alert_match(alert)
        if ref is None:
            raise NotFoundError(f"No alert {alert}.")
        if ref.match_id is None:
            raise NotFoundError(f"Alert {alert} is not about a statement; there is no match to look at.")
        match = ref.match_id
    elif match is None:
        raise UsageError("Which match? Give its id (shown by /claim evidence and /claim possible).")
    info = await ctx.store.get_match(match)
    if info is None:
        raise NotFoundError(f"No match {match}. Match ids are shown by /claim evidence and /claim possible.")
    return MatchTarget(info, alert)


def alert_command(action: str, alert_id: str, stance: str = "") -> str | None:
    """The /claim command text a button (or the stance menu) on an alert stands for; None when malformed.

    Corrections name the alert they sit on (`alert=<id>`, read back by target), which finds its match.
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
