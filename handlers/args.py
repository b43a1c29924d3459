"""Command arguments declared once: each `Arg` says how it is written, read, shown in usage and offered on Discord.

`parse` reads typed chat text (Slack, the console, buttons); `bind` reads Discord's named options. Both give
the same typed values by argument name; `resolve` then turns claim and source ids into the rows they name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.durations import parse_duration
from bot.models import STANCES, Claim, Source
from bot.sources.fetcher import is_local
from bot.text import clip
from handlers.context import Context
from handlers.errors import NotFoundError, UsageError
from handlers.parsing import options, parse_id, split_args
from handlers.urls import check_url_shape

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 but tab, newline, CR

IDS = ("claim", "source", "match", "alert")  # ids: ASCII digits, '#12' allowed
REST = ("text", "options")  # take the rest of the line, as typed
KINDS = (*IDS, "stance", "choice", "duration", "url", "int", *REST)
ASK = {"claim": "Which claim? Give its id.", "source": "Which source? Give its id.",
       "match": "Which match? Give its id (shown by /claim evidence and /claim possible).",
       "alert": "Which alert? Give its id."}
HELP = {"claim": "A claim id", "source": "A source id", "match": "The match id", "alert": "The alert number",
        "stance": "Stance toward the claim", "url": "An http or https URL", "duration": "A duration, e.g. 10m or 1h"}


def _local(word: str) -> bool:
    """A filesystem path or file: URL (bot.sources.fetcher.is_local); a malformed URL is not one."""
    try:
        return is_local(word)
    except ValueError:  # 'http://[zz/rss'
        return False


def or_list(words: Sequence[str]) -> str:
    """'a, b or c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a command: its kind, whether it is required, its choices and default."""

    name: str  # the handler's parameter, Discord's option and, with key=True, the word before '='
    kind: str  # one of KINDS
    required: bool = True
    help: str = ""  # Discord's option description and /claim help <command>; the kind's own when empty
    choices: tuple[str, ...] = ()  # choice: the allowed words (lower case)
    default: Any = None  # what the handler gets when it is left out
    key: bool = False  # written name=value (else positional, in declaration order)
    lo: int = 1  # int: smallest; duration: shortest in seconds
    hi: int | None = None  # int: largest; duration: longest in seconds; text: most characters
    words: tuple[str, ...] = ()  # ids: words that may stand instead of an id ('all')
    what: str = ""  # how replies name it ('Claim text', 'page number'); the name (or 'name=') when empty
    ask: str = ""  # the reply when a required one is missing
    bad: str = ""  # the reply when a word does not fit ({word} is the word, quoted)
    show: str = ""  # its usage, verbatim, when the kind's own does not say it
    brief: bool = True  # in the one-line usage; False: only in /claim help <command>
    alt: bool = False  # written instead of the argument before it: usage joins them with '|'
    complete: str = ""  # text arguments Discord autocompletes: 'claim' or 'source' (ids complete by kind)
    raw: bool = False  # text kept as typed (line breaks and all), not squeezed to single spaces
    history: bool = False  # claim ids: a removed claim is found too (reading its history, never changing it)
    paths: bool = False  # url: a local path is handed on as written; the handler takes only the config file's own

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown argument kind {self.kind!r}")

    @property
    def label(self) -> str:
        """How replies name it."""
        return self.what or (f"{self.name}=" if self.key else self.name)

    @property
    def completes(self) -> str:
        """'claim' or 'source' when Discord should offer matching rows, else ''."""
        return self.complete or (self.kind if self.kind in ("claim", "source") else "")

    @property
    def description(self) -> str:
        """A one-line description (Discord allows 100 characters)."""
        return clip(self.help or HELP.get(self.kind, self.label), 100)

    @property
    def usage(self) -> str:
        """'<id>', '[page]', '[every=10m]', 'supports|refutes|neutral'."""
        if self.show:
            return self.show
        word = {"claim": "<id>", "source": "<id>", "match": "<match id>", "alert": "<alert id>",
                "stance": "|".join(STANCES)}.get(self.kind, f"<{self.name}>")
        if self.kind == "choice" and len(self.choices) <= 3:
            word = "|".join(self.choices)
        elif not (self.required or self.key) and self.kind in ("int", "text", "choice"):
            word = self.name
        if self.key:
            word = f"{self.name}={word}"
        return word if self.required else f"[{word}]"

    def looks(self, word: str) -> bool:
        """Whether `word` is plausibly meant as this argument (so an optional one before it is not)."""
        if self.kind in IDS:  # other digits ('²') too, so the id parser says why they are refused
            return word.lower() in self.words or word.lstrip("#").isdigit()
        if self.kind == "int":
            return word.isascii() and word.isdigit()
        if self.kind in ("stance", "choice"):
            return word.lower() in (self.choices or STANCES)
        return True

    def _refuse(self, word: str, default: str) -> UsageError:
        return UsageError(self.bad.format(word=repr(clip(word, 30))) if self.bad else default)

    def convert(self, word: str) -> Any:
        """The typed value of one written value; a one-line UsageError when it does not fit."""
        kind = self.kind
        if kind in IDS:
            return word.lower() if word.lower() in self.words else parse_id(word, kind)
        if kind in ("stance", "choice"):
            allowed = self.choices or STANCES
            if word.lower() in allowed:
                return word.lower()
            if self.key:
                raise self._refuse(word, f"{self.label} must be {or_list(allowed)}.")
            raise self._refuse(word, f"Unknown {self.label} {clip(word, 30)!r}; use {or_list(allowed)}.")
        if kind == "int":
            hi = self.hi or 10**6
            if not (word.isascii() and word.isdigit() and len(word) <= 9 and self.lo <= int(word) <= hi):
                raise self._refuse(word, f"{self.label} must be a number from {self.lo} to {hi:,}.")
            return int(word)
        if kind == "duration":
            try:
                return parse_duration(word, self.lo, self.hi or 7 * 86400)
            except ValueError as exc:
                raise UsageError(f"{self.label}: {exc}") from None
        if kind == "url":
            try:
                return check_url_shape(word)
            except UsageError as exc:
                if self.paths and _local(word):
                    return word  # /source add restores a folder or file the config file declares
                raise self._refuse(word, str(exc)) from None
        if kind == "options":
            return tuple(word.split())
        # control characters (terminal escapes, bells) never reach storage or another screen
        text = _CONTROL.sub("", word.strip() if self.raw else " ".join(word.split()))
        if self.hi is not None and len(text) > self.hi:
            raise UsageError(f"{self.label} is {len(text)} characters; the limit is {self.hi}.")
        return text

    def described(self) -> str:
        """'a stance (supports, refutes, neutral)', 'a page number (1 to 10,000)': what a stray word is not."""
        if self.kind in ("stance", "choice"):
            return f"a {self.label} ({', '.join(self.choices or STANCES)})"
        if self.kind == "int":
            return f"a {self.label} ({self.lo} to {self.hi or 10**6:,})"
        return f"a {self.label}"


def usage_line(args: Sequence[Arg], brief: bool = True) -> str:
    """The arguments' usage words, alternatives joined: '<match id>|alert=<alert id> supports|refutes|neutral'."""
    words: list[str] = []
    for arg in args:
        if brief and not arg.brief:
            continue
        if arg.alt and words:
            words[-1] += "|" + arg.usage
        else:
            words.append(arg.usage)
    return " ".join(words)


def _missing(arg: Arg) -> UsageError:
    return UsageError(arg.ask or ASK.get(arg.kind) or f"Give {arg.described()}.")


def _split(args: Sequence[Arg]) -> tuple[list[Arg], dict[str, Arg], Arg | None]:
    """(positional arguments, keyed ones by name, the one that takes the rest of the line)."""
    rest = args[-1] if args and args[-1].kind in REST and not args[-1].key else None
    return ([a for a in args if not a.key and a is not rest], {a.name: a for a in args if a.key}, rest)


def parse(args: Sequence[Arg], text: str) -> dict[str, Any]:
    """The typed values of `text`, one per argument (defaults for those left out).

    Positionals are read in order; an optional one is skipped when the word fits a later one better
    (so `/claim evidence 1 2` is page 2), and a word that fits none is refused naming what it could be.
    """
    positional, keyed, rest = _split(args)
    values = {a.name: a.default for a in args}
    if rest is None:
        texts = frozenset(k for k, a in keyed.items() if a.kind == "text")
        words, opts = options(split_args(text), set(keyed), texts)
        starts: list[int] = []
        for name, value in opts.items():
            values[name] = keyed[name].convert(value)
    else:  # the rest is read as typed: quotes in a claim's text are its own
        found = list(re.finditer(r"\S+", text))
        words, starts = [m.group() for m in found], [m.start() for m in found]
    i = j = 0
    while j < len(words):
        word = words[j]
        if i == len(positional):
            if rest is None:
                raise UsageError(f"Unexpected {clip(' '.join(words[j:]), 40)!r}.")
            break
        arg = positional[i]
        if arg.required or arg.looks(word):
            values[arg.name] = arg.convert(word)
            i, j = i + 1, j + 1
            continue
        run = [arg]
        for later in positional[i + 1:]:
            if later.required:
                break
            run.append(later)
        if any(b.looks(word) for b in run[1:]) or (rest is None and len(words) - j <= sum(
                a.required for a in positional[i:])):
            i += 1  # this optional one is left out: the word is for a later argument
            continue
        if rest is not None:
            break
        if len(run) == 1:
            values[arg.name] = arg.convert(word)  # refuses with the argument's own reason
            i, j = i + 1, j + 1
            continue
        raise UsageError(f"{clip(word, 30)!r} is neither {' nor '.join(b.described() for b in run)}.")
    if rest is not None and j < len(words):
        values[rest.name] = rest.convert(text[starts[j]:])
    for arg in args:
        if arg.required and values[arg.name] is None:
            raise _missing(arg)
    return values


def bind(args: Sequence[Arg], given: Mapping[str, str]) -> dict[str, Any]:
    """The typed values of named options (Discord's), checked as `parse` checks typed words."""
    values = {a.name: a.default for a in args}
    for arg in args:
        if given.get(arg.name, "") != "":
            values[arg.name] = arg.convert(given[arg.name])
        elif arg.required:
            raise _missing(arg)
    return values


def written(args: Sequence[Arg], given: Mapping[str, str]) -> str:
    """Named options as the words a person would type (for the length limit and the audit log)."""
    return " ".join(f"{a.name}={given[a.name]}" if a.key else given[a.name]
                    for a in args if given.get(a.name, "") != "")


async def resolve(ctx: Context, args: Sequence[Arg], values: dict[str, Any]) -> dict[str, Any]:
    """Claim and source ids replaced by the rows they name; an id that names nothing is a NotFoundError."""
    out = dict(values)
    for arg in args:
        value = values[arg.name]
        if not isinstance(value, int) or arg.kind not in ("claim", "source"):
            continue
        row: Claim | Source | None
        if arg.kind == "claim":
            row = await ctx.store.get_claim(value, with_removed=arg.history)
            if row is None:
                raise NotFoundError(f"No claim #{value}. See /claim list.")
        else:
            row = await ctx.store.get_source(value)
            if row is None:
                raise NotFoundError(f"No source #{value}. See /source list.")
        out[arg.name] = row
    return out

