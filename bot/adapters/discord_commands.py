"""The /claim and /source application command groups: a loop over handlers.table.COMMANDS."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.models import STANCES
from bot.text import clip
from handlers.args import Arg
from handlers.table import COMMANDS, CommandSpec
from storage import AdapterStore

# (interaction, the command, its named options as given) -> answers the interaction
Runner = Callable[[discord.Interaction, CommandSpec, dict[str, str]], Awaitable[object]]
Autocomplete = Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[str]]]]
Choice = app_commands.Choice
MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices


def summary(group: str, name: str) -> str:
    """A subcommand's description: the command table's summary (Discord allows 100 characters)."""
    return clip(COMMANDS[(group, name)].summary, 100)


def _label(prefix: str, ident: int, text: str) -> str:
    return clip(f"{prefix}{ident} {' '.join(text.split())}", 100)


async def claim_choices(store: AdapterStore, current: str) -> list[Choice[str]]:
    """Claims whose id or words contain what the user typed so far."""
    typed = current.strip().lstrip("#").lower()
    choices = []
    for claim in await store.list_claims():
        if not typed or str(claim.id).startswith(typed) or typed in claim.text.lower():
            choices.append(Choice(name=_label("#", claim.id, claim.text), value=str(claim.id)))
    return choices[:MAX_CHOICES]


async def source_choices(store: AdapterStore, current: str) -> list[Choice[str]]:
    """Sources whose id, label or URL contain what the user typed so far."""
    typed = current.strip().lstrip("#").lower()
    choices = []
    for src in await store.list_sources():
        text = f"{src.label} {src.url}" if src.label else src.url
        if not typed or str(src.id).startswith(typed) or typed in text.lower():
            choices.append(Choice(name=_label("#", src.id, text), value=str(src.id)))
    return choices[:MAX_CHOICES]


def _annotation(arg: Arg) -> Any:
    """The option's type: integers for ids Discord cannot autocomplete and counts, bounded text, else text."""
    if arg.kind in ("match", "alert"):
        return app_commands.Range[int, 1]
    if arg.kind == "int":
        return app_commands.Range[int, arg.lo, arg.hi or 10**6]
    if arg.kind == "text" and arg.hi:
        return app_commands.Range[str, 1 if arg.required else 0, arg.hi]
    return str


def subcommand(spec: CommandSpec, run: Runner, complete: dict[str, Autocomplete]) -> app_commands.Command:
    """One table command as a Discord subcommand: its options, choices and autocomplete from its arguments."""
    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await run(interaction, spec, {k: str(v) for k, v in values.items() if v is not None})

    keyword = inspect.Parameter.KEYWORD_ONLY
    callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
        + [inspect.Parameter(a.name, keyword, annotation=_annotation(a) if a.required else _annotation(a) | None,
                             default=inspect.Parameter.empty if a.required else None) for a in spec.args])
    if spec.args:
        app_commands.describe(**{a.name: a.description for a in spec.args})(callback)
    choices = {a.name: [Choice(name=c, value=c) for c in (a.choices or STANCES)][:MAX_CHOICES]
               for a in spec.args if a.kind in ("stance", "choice")}
    if choices:
        app_commands.choices(**choices)(callback)
    completing = {a.name: complete[a.completes] for a in spec.args if a.completes}
    if completing:
        app_commands.autocomplete(**completing)(callback)
    return app_commands.Command(name=spec.name, description=summary(spec.group, spec.name), callback=callback)


def build_groups(run: Runner, store: AdapterStore) -> list[app_commands.Group]:
    """The two groups, one subcommand per table command; each hands its named options to the Dispatcher."""

    async def claims_ac(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await claim_choices(store, current)

    async def sources_ac(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await source_choices(store, current)

    groups = {"claim": app_commands.Group(name="claim", description="Watched claims: status, checks and alerts",
                                          guild_only=True),
              "source": app_commands.Group(name="source", description="News sources Claimwatch polls",
                                           guild_only=True)}
    for spec in COMMANDS.values():
        groups[spec.group].add_command(subcommand(spec, run, {"claim": claims_ac, "source": sources_ac}))
    return list(groups.values())
