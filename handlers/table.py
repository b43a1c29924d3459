"""The explicit command table and the dispatcher every adapter calls."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.durations import SOURCE_EVERY
from bot.models import CLAIM_STATUSES, SPEAKER_KINDS
from bot.platform import Command, Reply
from bot.text import clip
from handlers import audit, check, claims, evidence, policy, review, sources, why
from handlers.args import Arg, bind, or_list, parse, resolve, usage_line, written
from handlers.context import Context, Services
from handlers.errors import CommandError, UsageError
from handlers.parsing import has_bad_text

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Reply]]  # (ctx, **the values its arguments declare) -> the reply
Rights = Callable[[dict[str, Any]], bool]  # the call's parsed values -> whether this call needs a moderator

MAX_COMMAND_CHARS = 4000  # Slack's own limit for a slash command's text; far above any real command


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: where it lives, who may run it, and its arguments (parsing, usage and Discord's options)."""

    group: str
    name: str
    handler: Handler
    summary: str
    args: tuple[Arg, ...] = ()
    moderator: bool = False  # every call needs a moderator
    changes: Rights | None = None  # for half-public commands: which calls change something
    slow: bool = False  # may take seconds (fetching, judging): Discord defers its answer

    @property
    def full(self) -> str:
        """'/claim add'."""
        return f"/{self.group} {self.name}"

    @property
    def usage(self) -> str:
        """'/claim evidence <id> [supports|refutes|neutral] [page]': the one-line usage."""
        return f"{self.full} {usage_line(self.args)}".rstrip()

    def explained(self) -> str:
        """The usage with every option, the summary, and one line per argument (for /claim help <command>)."""
        lines = [f"{self.full} {usage_line(self.args, brief=False)}".rstrip() + f" - {self.summary}"]
        lines.extend(f"  {a.usage}: {a.description}" for a in self.args)
        return "\n".join(lines)

    def restricted(self, values: dict[str, Any]) -> bool:
        """Whether this call needs a moderator (always, or because these values change settings)."""
        return self.moderator or (self.changes is not None and self.changes(values))


def _helper(group: str) -> Handler:
    async def help_(ctx: Context, command: str | None = None) -> Reply:
        """List the group's commands, or explain one."""
        if command is None:
            return Reply(help_text())
        return Reply(COMMANDS[(group, command)].explained())
    return help_


CLAIM = Arg("claim", "claim")
HISTORY = Arg("claim", "claim", history=True)  # read-only commands: a removed claim's history too
MATCH = (Arg("match", "match", required=False, show="<match id>"),
         Arg("alert", "alert", required=False, key=True, alt=True, show="alert=<alert id>",
             help="An alert number instead of a match: its article's statements"))
PAGE = Arg("page", "int", required=False, default=1, hi=10_000, what="page number", help="Page (optional)")
_CLAIMS = [
    CommandSpec("claim", "add", claims.add, "watch a new claim (moderators)",
                (Arg("text", "text", hi=500, what="Claim text", ask="Claim text is empty.",
                     help="The claim, in one sentence (up to 500 characters)"),), moderator=True),
    CommandSpec("claim", "list", claims.list_, "list watched claims"),
    CommandSpec("claim", "status", claims.status, "where a claim stands",
                (Arg("claim", "text", complete="claim", show="<id or words>", ask="Name a claim by id or by words.",
                     help="A claim id, or words from it"),), slow=True),
    CommandSpec("claim", "evidence", evidence.evidence, "page through a claim's statements",
                (HISTORY, Arg("stance", "stance", required=False, help="Only this stance (optional)"), PAGE)),
    CommandSpec("claim", "export", evidence.export,
                "the claim's ledger as JSON and CSV, plus ClaimReview JSON-LD once a verdict is set",
                (HISTORY, Arg("url", "url", required=False, key=True, show="[url=<review page>]",
                            what="url=", bad="url= must be the http(s) address where the review is published.",
                            help="Where the review is published (for ClaimReview)"))),
    CommandSpec("claim", "alerts", policy.alerts, "show this channel's alert settings; moderators change them",
                (Arg("claim", "claim", required=False, words=("all",), show="[<id>|all]",
                     help="A claim id, or all (the channel); leave out to list"),
                 Arg("settings", "options", required=False, default=(), show="[settings|reset]",
                     help="min=0.7 stances=… mode=instant|hourly|daily@08:00 quiet=… rate=10/1h tz=…, or reset")),
                changes=policy.changes_settings),
    CommandSpec("claim", "check", check.check, "which watched claims a text or page concerns, with stance",
                (Arg("text", "text", raw=True, show="<text or URL>", ask="Paste a statement or an article URL to check.",
                     help="A statement, or the URL of an article"),), slow=True),
    CommandSpec("claim", "watch", claims.watch, "send this claim's alerts here",
                (Arg("claim", "claim", help="The claim whose alerts should come to this channel"),)),
    CommandSpec("claim", "unwatch", claims.unwatch, "stop this claim's alerts here",
                (Arg("claim", "claim", help="The claim whose alerts should stop here"),)),
    CommandSpec("claim", "set", claims.set_,
                "set the verdict: unverified, disputed, confirmed, false, resolved (moderators)",
                (CLAIM, Arg("status", "choice", choices=CLAIM_STATUSES, ask="Give a claim id and a status.",
                            help="Its new status"),
                 Arg("note", "text", required=False, default="", hi=500, what="The note", help="Why (optional)")),
                moderator=True),
    CommandSpec("claim", "remove", claims.remove, "stop watching a claim (moderators)",
                (Arg("claim", "claim", help="The claim to stop watching"),), moderator=True),
    CommandSpec("claim", "review", claims.review, "mark an alert reviewed (moderators)",
                (Arg("alert", "alert", help="The alert number (in the alert's footer)"),), moderator=True),
    CommandSpec("claim", "possible", review.possible, "a claim's possible matches awaiting review (moderators)",
                (Arg("claim", "claim", help="The claim whose possible matches to review"),
                 replace(PAGE, bad="{word} is not a page number.")), moderator=True),
    CommandSpec("claim", "confirm", review.confirm,
                "confirm a match: it is about the claim and counts (moderators)", MATCH, moderator=True),
    CommandSpec("claim", "reject", review.reject,
                "not about this claim: it stops counting (alert=: all its article's statements) (moderators)",
                MATCH, moderator=True),
    CommandSpec("claim", "stance", review.stance,
                "correct a stance (alert=: all its article's statements); the judge's is kept (moderators)",
                (*MATCH, Arg("stance", "stance", ask="Give one stance: supports, refutes or neutral.",
                             help="Its stance toward the claim")), moderator=True),
    CommandSpec("claim", "why", why.why, "why a statement matched a claim: the judge's reasons, tier and review",
                MATCH),
    CommandSpec("claim", "audit", audit.audit,
                "the latest moderator actions and refusals: who did what, when (moderators)",
                (Arg("count", "int", required=False, default=audit.DEFAULT_ROWS, hi=audit.MAX_ROWS,
                     bad=f"Give how many entries to show, 1 to {audit.MAX_ROWS}.",
                     help=f"How many entries (1 to {audit.MAX_ROWS})"),), moderator=True),
]
_SOURCES = [
    CommandSpec("source", "add", sources.add, "watch a feed or page (moderators)",
                (Arg("url", "url", ask="Give exactly one URL.", paths=True,
                     help="Feed or page URL (http or https), or a removed config-file source's URL or path"),
                 Arg("every", "duration", required=False, key=True, lo=SOURCE_EVERY[0], hi=SOURCE_EVERY[1],
                     show="[every=10m]", help="How often, e.g. 10m or 1h"),
                 Arg("label", "text", required=False, default="", key=True, hi=80, show="[label=...]",
                     help="A short name"),
                 Arg("kind", "choice", required=False, default="feed", key=True, choices=("feed", "page"),
                     brief=False, help="feed or page"),
                 Arg("speaker", "choice", required=False, default="unknown", key=True, choices=SPEAKER_KINDS,
                     brief=False, help=f"Who speaks there: {or_list(SPEAKER_KINDS)}")), moderator=True),
    CommandSpec("source", "list", sources.list_, "sources with last fetch and last error"),
    CommandSpec("source", "remove", sources.remove, "stop watching a source (moderators)",
                (Arg("source", "source", help="The source to stop fetching"),), moderator=True),
    CommandSpec("source", "resume", sources.resume, "fetch a paused source again (moderators)",
                (Arg("source", "source", help="The paused source to fetch again"),), moderator=True),
]


def _help_spec(group: str, specs: list[CommandSpec]) -> CommandSpec:
    names = tuple(s.name for s in specs)
    return CommandSpec(group, "help", _helper(group), "this help",
                       (Arg("command", "choice", required=False, choices=names,
                            help="One command to explain (optional)"),))


_SPECS = [*_CLAIMS, _help_spec("claim", _CLAIMS), *_SOURCES, _help_spec("source", _SOURCES)]
COMMANDS: dict[tuple[str, str], CommandSpec] = {(s.group, s.name): s for s in _SPECS}
GROUPS = ("claim", "source")


def help_text(group: str | None = None) -> str:
    """One line per command, for a group or for all."""
    lines = ["Claimwatch commands:"]
    for spec in _SPECS:
        if spec.name == "help" and spec.group == "source":
            continue
        if group is None or spec.group == group:
            lines.append(f"  {spec.usage} - {spec.summary}")
    return "\n".join(lines)


class Dispatcher:
    """Routes a neutral Command to its handler, enforcing moderator rights and auditing."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(self, command: Command) -> Reply:
        """Run one command; every failure becomes a one-line reply."""
        group = command.group.strip().lstrip("/").lower()[:40]
        if len(command.text) > MAX_COMMAND_CHARS:
            # Refused before any parsing: every later step (search, audit) stays bounded.
            return Reply(f"That command is {len(command.text):,} characters long; "
                         f"the limit is {MAX_COMMAND_CHARS:,}.", ok=False)
        name, _, args = command.text.strip().partition(" ")
        name = name.lower() or "help"
        spec = COMMANDS.get((group, name))
        if spec is None:
            if group not in GROUPS:
                return Reply(f"Unknown command /{clip(group, 30)}. Try /claim help.", ok=False)
            return Reply(f"Unknown command /{group} {clip(name, 30)}.\n{help_text(group)}", ok=False)
        args = args.strip()
        if has_bad_text(args):
            return Reply("That command contains bytes that are not valid text (UTF-8); type it again.", ok=False)
        ctx = Context(self.services, command.actor, command.channel)
        if spec.moderator and not ctx.is_moderator:  # refused before its arguments are even read
            return await self._refuse(ctx, spec, args)
        restricted, ran = spec.moderator, False
        try:
            values = parse(spec.args, args) if command.values is None else bind(spec.args, command.values)
            restricted = spec.restricted(values)
            if restricted and not ctx.is_moderator:
                return await self._refuse(ctx, spec, args)
            reply = await spec.handler(ctx, **await resolve(ctx, spec.args, values))
            ran = True
        except UsageError as exc:
            reply = Reply(f"{exc}\nUsage: {spec.usage}", ok=False)
        except CommandError as exc:
            reply = Reply(str(exc), ok=False)
        except Exception:
            log.exception("command %s failed", spec.full)
            reply = Reply(f"{spec.full} failed on our side; the error is logged. Try again shortly.", ok=False)
        if restricted:
            # a moderator's attempt that was refused (a private URL, an unknown id) is audited too
            await ctx.store.audit(ctx.actor.platform, ctx.actor.user_id, spec.full,
                                  ctx.audit_target or clip(args, 500),
                                  True, "ok" if reply.ok else clip(reply.text.splitlines()[0], 200))
            if ran:
                for callback in self.services.on_change:
                    callback()
        return reply

    async def _refuse(self, ctx: Context, spec: CommandSpec, args: str) -> Reply:
        """A caller who is not a moderator: refused, and the refusal audited."""
        await ctx.store.audit(ctx.actor.platform, ctx.actor.user_id, spec.full, clip(args, 500), False,
                              "refused: not a moderator")
        return Reply(f"Only moderators can use {spec.full}" + ("." if spec.moderator else " to change settings."),
                     ok=False)


def command_text(spec: CommandSpec, given: dict[str, str]) -> str:
    """The text of a call made with named options: `status 3`, `add <url> every=1h` (for the length limit, audit)."""
    words = written(spec.args, given)
    return f"{spec.name} {words}" if words else spec.name
