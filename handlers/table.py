"""The explicit command table and the dispatcher every adapter calls."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.platform import Command, Reply
from bot.text import clip
from handlers import audit, check, claims, evidence, policy, review, sources, why
from handlers.context import Context, Services
from handlers.errors import CommandError, UsageError
from handlers.parsing import has_bad_text

log = logging.getLogger(__name__)

Handler = Callable[[Context, str], Awaitable[Reply]]
Rights = Callable[[str], bool]  # the call's arguments -> whether this call needs a moderator

MAX_COMMAND_CHARS = 4000  # Slack's own limit for a slash command's text; far above any real command


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command: where it lives, who may run it, how to call it."""

    group: str
    name: str
    handler: Handler
    usage: str
    summary: str
    moderator: bool = False  # every call needs a moderator
    changes: Rights | None = None  # for half-public commands: which calls change something

    @property
    def full(self) -> str:
        """'/claim add'."""
        return f"/{self.group} {self.name}"

    def restricted(self, args: str) -> bool:
        """Whether this call needs a moderator (always, or because these arguments change settings)."""
        return self.moderator or (self.changes is not None and self.changes(args))


async def _help(ctx: Context, args: str) -> Reply:
    """List the commands, or one command's usage."""
    words = args.lower().split()
    if words:
        for spec in _SPECS:
            if spec.name == words[-1]:
                return Reply(f"{spec.usage} - {spec.summary}")
    return Reply(help_text())


_SPECS = [
    CommandSpec("claim", "add", claims.add, "/claim add <text>", "watch a new claim (moderators)", True),
    CommandSpec("claim", "list", claims.list_, "/claim list", "list watched claims"),
    CommandSpec("claim", "status", claims.status, "/claim status <id or words>", "where a claim stands"),
    CommandSpec("claim", "evidence", evidence.evidence, "/claim evidence <id> [supports|refutes|neutral] [page]",
                "page through a claim's statements"),
    CommandSpec("claim", "export", evidence.export, "/claim export <id> [url=<review page>]",
                "the claim's ledger as JSON and CSV, plus ClaimReview JSON-LD once a verdict is set"),
    CommandSpec("claim", "alerts", policy.alerts, "/claim alerts [<id>|all] [settings|reset]",
                "show this channel's alert settings; moderators change them", changes=policy.changes_settings),
    CommandSpec("claim", "check", check.check, "/claim check <text or URL>",
                "which watched claims a text or page concerns, with stance"),
    CommandSpec("claim", "watch", claims.watch, "/claim watch <id>", "send this claim's alerts here"),
    CommandSpec("claim", "unwatch", claims.unwatch, "/claim unwatch <id>", "stop this claim's alerts here"),
    CommandSpec("claim", "set", claims.set_, "/claim set <id> <status> [note]",
                "set the verdict: unverified, disputed, confirmed, false, resolved (moderators)", True),
    CommandSpec("claim", "remove", claims.remove, "/claim remove <id>", "stop watching a claim (moderators)", True),
    CommandSpec("claim", "review", claims.review, "/claim review <alert id>",
                "mark an alert reviewed (moderators)", True),
    CommandSpec("claim", "possible", review.possible, "/claim possible <id> [page]",
                "a claim's possible matches awaiting review (moderators)", True),
    CommandSpec("claim", "confirm", review.confirm, "/claim confirm <match id>|alert=<alert id>",
                "confirm a match: it is about the claim and counts (moderators)", True),
    CommandSpec("claim", "reject", review.reject, "/claim reject <match id>|alert=<alert id>",
                "not about this claim: it stops counting (alert=: all its article's statements) (moderators)", True),
    CommandSpec("claim", "stance", review.stance, "/claim stance <match id>|alert=<alert id> supports|refutes|neutral",
                "correct a stance (alert=: all its article's statements); the judge's is kept (moderators)", True),
    CommandSpec("claim", "why", why.why, "/claim why <match id>|alert=<alert id>",
                "why a statement matched a claim: the judge's reasons, tier and review"),
    CommandSpec("claim", "audit", audit.audit, "/claim audit [n]",
                "the latest moderator actions and refusals: who did what, when (moderators)", True),
    CommandSpec("claim", "help", _help, "/claim help [command]", "this help"),
    CommandSpec("source", "add", sources.add, "/source add <url> [every=10m] [label=...]",
                "watch a feed or page (moderators)", True),
    CommandSpec("source", "list", sources.list_, "/source list", "sources with last fetch and last error"),
    CommandSpec("source", "remove", sources.remove, "/source remove <id>", "stop watching a source (moderators)", True),
    CommandSpec("source", "resume", sources.resume, "/source resume <id>",
                "fetch a paused source again (moderators)", True),
    CommandSpec("source", "help", _help, "/source help", "this help"),
]

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
        restricted = spec.restricted(args)
        if restricted and not ctx.is_moderator:
            await ctx.store.audit(ctx.actor.platform, ctx.actor.user_id, spec.full, clip(args, 500), False,
                                  "refused: not a moderator")
            return Reply(f"Only moderators can use {spec.full}" + (" to change settings." if not spec.moderator
                                                                    else "."), ok=False)
        try:
            reply = await spec.handler(ctx, args)
        except UsageError as exc:
            return Reply(f"{exc}\nUsage: {spec.usage}", ok=False)
        except CommandError as exc:
            return Reply(str(exc), ok=False)
        except Exception:
            log.exception("command %s failed", spec.full)
            return Reply(f"{spec.full} failed on our side; the error is logged. Try again shortly.", ok=False)
        if restricted:
            await ctx.store.audit(ctx.actor.platform, ctx.actor.user_id, spec.full,
                                  ctx.audit_target or clip(args, 500),
                                  True, "ok" if reply.ok else clip(reply.text.splitlines()[0], 200))
            for callback in self.services.on_change:
                callback()
        return reply
