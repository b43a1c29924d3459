"""The /claim and /source application command groups, mirroring handlers.table.COMMANDS."""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from bot.models import CLAIM_STATUSES, SPEAKER_KINDS, STANCES
from bot.text import clip
from handlers.table import COMMANDS, CommandSpec
from storage import Store

# (interaction, group, text after the group, defer first) -> answers the interaction
Runner = Callable[[discord.Interaction, str, str, bool], Awaitable[None]]
Choice = app_commands.Choice
MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices


def summary(group: str, name: str) -> str:
    """A subcommand's description: the command table's summary (Discord allows 100 characters)."""
    return clip(COMMANDS[(group, name)].summary, 100)


def _label(prefix: str, ident: int, text: str) -> str:
    return clip(f"{prefix}{ident} {' '.join(text.split())}", 100)


async def claim_choices(store: Store, current: str) -> list[Choice[str]]:
    """Claims whose id or words contain what the user typed so far."""
    typed = current.strip().lstrip("#").lower()
    choices = []
    for claim in await store.list_claims():
        if not typed or str(claim.id).startswith(typed) or typed in claim.text.lower():
            choices.append(Choice(name=_label("#", claim.id, claim.text), value=str(claim.id)))
    return choices[:MAX_CHOICES]


async def source_choices(store: Store, current: str) -> list[Choice[str]]:
    """Sources whose id, label or URL contain what the user typed so far."""
    typed = current.strip().lstrip("#").lower()
    choices = []
    for src in await store.list_sources():
        text = f"{src.label} {src.url}" if src.label else src.url
        if not typed or str(src.id).startswith(typed) or typed in text.lower():
            choices.append(Choice(name=_label("#", src.id, text), value=str(src.id)))
    return choices[:MAX_CHOICES]


def _names(group: str) -> list[Choice[str]]:
    return [Choice(name=n, value=n) for (g, n) in COMMANDS if g == group and n != "help"]


def add_generic(group: app_commands.Group, spec: CommandSpec, run: Runner,
                claims_ac: app_commands.commands.AutocompleteCallback) -> None:
    """A table command without a hand-made signature: its arguments as free text (a claim id first
    when the usage starts with <id>), so a command added to the table appears on Discord at once."""
    rest = spec.usage.removeprefix(spec.full).strip()
    if not rest:
        async def plain(interaction: discord.Interaction) -> None:
            await run(interaction, spec.group, spec.name, False)
        group.add_command(app_commands.Command(name=spec.name, description=summary(spec.group, spec.name),
                                               callback=plain))
    elif rest.startswith("<id>") and spec.group == "claim":
        async def with_claim(interaction: discord.Interaction, claim: str, more: str | None = None) -> None:
            await run(interaction, spec.group, f"{spec.name} {claim} {more or ''}".strip(), False)
        more = rest.removeprefix("<id>").strip()
        app_commands.describe(claim="A claim id", more=clip(more or "-", 100))(with_claim)
        app_commands.autocomplete(claim=claims_ac)(with_claim)
        group.add_command(app_commands.Command(name=spec.name, description=summary(spec.group, spec.name),
                                               callback=with_claim))
    else:
        async def free(interaction: discord.Interaction, args: str | None = None) -> None:
            await run(interaction, spec.group, f"{spec.name} {args or ''}".strip(), False)
        app_commands.describe(args=clip(rest, 100))(free)
        group.add_command(app_commands.Command(name=spec.name, description=summary(spec.group, spec.name),
                                               callback=free))


def add_by_match(group: app_commands.Group, name: str, run: Runner) -> None:
    """A command whose one option is a match id (ids in /claim evidence and /claim possible)."""
    async def by_match(interaction: discord.Interaction, match: app_commands.Range[int, 1]) -> None:
        await run(interaction, group.name, f"{name} {match}", False)
    app_commands.describe(match="The match id")(by_match)
    group.add_command(app_commands.Command(name=name, description=summary(group.name, name), callback=by_match))


def build_groups(run: Runner, store: Store) -> list[app_commands.Group]:
    """The two groups; every callback turns its options back into the text the Dispatcher parses."""

    async def claims_ac(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await claim_choices(store, current)

    async def sources_ac(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await source_choices(store, current)

    claim = app_commands.Group(name="claim", description="Watched claims: status, checks and alerts",
                               guild_only=True)
    source = app_commands.Group(name="source", description="News sources Claimwatch polls", guild_only=True)

    @claim.command(name="add", description=summary("claim", "add"))
    @app_commands.describe(text="The claim, in one sentence (up to 500 characters)")
    async def claim_add(interaction: discord.Interaction, text: app_commands.Range[str, 1, 500]) -> None:
        await run(interaction, "claim", f"add {text}", False)

    @claim.command(name="list", description=summary("claim", "list"))
    async def claim_list(interaction: discord.Interaction) -> None:
        await run(interaction, "claim", "list", False)

    @claim.command(name="status", description=summary("claim", "status"))
    @app_commands.describe(claim="A claim id, or words from it")
    @app_commands.autocomplete(claim=claims_ac)
    async def claim_status(interaction: discord.Interaction, claim: str) -> None:
        await run(interaction, "claim", f"status {claim}", True)

    @claim.command(name="check", description=summary("claim", "check"))
    @app_commands.describe(text="A statement, or the URL of an article")
    async def claim_check(interaction: discord.Interaction, text: str) -> None:
        await run(interaction, "claim", f"check {text}", True)

    @claim.command(name="watch", description=summary("claim", "watch"))
    @app_commands.describe(claim="The claim whose alerts should come to this channel")
    @app_commands.autocomplete(claim=claims_ac)
    async def claim_watch(interaction: discord.Interaction, claim: str) -> None:
        await run(interaction, "claim", f"watch {claim}", False)

    @claim.command(name="unwatch", description=summary("claim", "unwatch"))
    @app_commands.describe(claim="The claim whose alerts should stop here")
    @app_commands.autocomplete(claim=claims_ac)
    async def claim_unwatch(interaction: discord.Interaction, claim: str) -> None:
        await run(interaction, "claim", f"unwatch {claim}", False)

    @claim.command(name="set", description=summary("claim", "set"))
    @app_commands.describe(claim="The claim", status="Its new status", note="Why (optional)")
    @app_commands.autocomplete(claim=claims_ac)
    @app_commands.choices(status=[Choice(name=s, value=s) for s in CLAIM_STATUSES])
    async def claim_set(interaction: discord.Interaction, claim: str, status: Choice[str],
                        note: app_commands.Range[str, 0, 500] | None = None) -> None:
        await run(interaction, "claim", f"set {claim} {status.value} {note or ''}".strip(), False)

    @claim.command(name="remove", description=summary("claim", "remove"))
    @app_commands.describe(claim="The claim to stop watching")
    @app_commands.autocomplete(claim=claims_ac)
    async def claim_remove(interaction: discord.Interaction, claim: str) -> None:
        await run(interaction, "claim", f"remove {claim}", False)

    @claim.command(name="review", description=summary("claim", "review"))
    @app_commands.describe(alert="The alert number (in the alert's footer)")
    async def claim_review(interaction: discord.Interaction, alert: app_commands.Range[int, 1]) -> None:
        await run(interaction, "claim", f"review {alert}", False)

    @claim.command(name="possible", description=summary("claim", "possible"))
    @app_commands.describe(claim="The claim whose possible matches to review", page="Page (optional)")
    @app_commands.autocomplete(claim=claims_ac)
    async def claim_possible(interaction: discord.Interaction, claim: str,
                             page: app_commands.Range[int, 1] | None = None) -> None:
        await run(interaction, "claim", f"possible {claim} {page or ''}".strip(), False)

    # Corrections and /claim why name a match; the buttons on an alert do the same for the alert's own match.
    add_by_match(claim, "confirm", run)
    add_by_match(claim, "reject", run)

    @claim.command(name="stance", description=summary("claim", "stance"))
    @app_commands.describe(match="The match id", stance="Its stance toward the claim")
    @app_commands.choices(stance=[Choice(name=s, value=s) for s in STANCES])
    async def claim_stance(interaction: discord.Interaction, match: app_commands.Range[int, 1],
                           stance: Choice[str]) -> None:
        await run(interaction, "claim", f"stance {match} {stance.value}", False)

    add_by_match(claim, "why", run)

    @claim.command(name="help", description=summary("claim", "help"))
    @app_commands.describe(command="One command to explain (optional)")
    @app_commands.choices(command=_names("claim"))
    async def claim_help(interaction: discord.Interaction, command: Choice[str] | None = None) -> None:
        await run(interaction, "claim", f"help {command.value if command else ''}".strip(), False)

    @source.command(name="add", description=summary("source", "add"))
    @app_commands.describe(url="Feed or page URL (http or https)", every="How often, e.g. 10m or 1h",
                           label="A short name", kind="feed or page", speaker="Who speaks there")
    @app_commands.choices(kind=[Choice(name=k, value=k) for k in ("feed", "page")],
                          speaker=[Choice(name=k, value=k) for k in SPEAKER_KINDS])
    async def source_add(interaction: discord.Interaction, url: str, every: str | None = None,
                         label: app_commands.Range[str, 1, 80] | None = None,
                         kind: Choice[str] | None = None, speaker: Choice[str] | None = None) -> None:
        words = [shlex.quote(url)]
        if every:
            words.append("every=" + shlex.quote(every))
        if label:
            words.append("label=" + shlex.quote(label))
        if kind:
            words.append(f"kind={kind.value}")
        if speaker:
            words.append(f"speaker={speaker.value}")
        await run(interaction, "source", "add " + " ".join(words), False)

    @source.command(name="list", description=summary("source", "list"))
    async def source_list(interaction: discord.Interaction) -> None:
        await run(interaction, "source", "list", False)

    @source.command(name="remove", description=summary("source", "remove"))
    @app_commands.describe(source="The source to stop fetching")
    @app_commands.autocomplete(source=sources_ac)
    async def source_remove(interaction: discord.Interaction, source: str) -> None:
        await run(interaction, "source", f"remove {source}", False)

    @source.command(name="resume", description=summary("source", "resume"))
    @app_commands.describe(source="The paused source to fetch again")
    @app_commands.autocomplete(source=sources_ac)
    async def source_resume(interaction: discord.Interaction, source: str) -> None:
        await run(interaction, "source", f"resume {source}", False)

    @source.command(name="help", description=summary("source", "help"))
    async def source_help(interaction: discord.Interaction) -> None:
        await run(interaction, "source", "help", False)

    groups = {"claim": claim, "source": source}
    for spec in COMMANDS.values():
        group = groups.get(spec.group)
        if group is not None and group.get_command(spec.name) is None:
            add_generic(group, spec, run, claims_ac)
    return [claim, source]
