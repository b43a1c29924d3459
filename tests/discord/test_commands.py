"""Slash commands through the real discord.py against the fake Discord: every command, autocomplete, permissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.discord_adapter import PERMISSIONS, invite_url
from bot.adapters.discord_commands import summary
from bot.alert_types import StatusChange
from handlers.table import COMMANDS
from tests.discord.conftest import Rig, settings_for, start_rig, stop_rig
from tests.discord.fake_discord import APP_ID, CHANNEL_ID, GUILD_ID, MOD_ROLE_ID, FakeDiscord

MOD = [MOD_ROLE_ID]
EPHEMERAL = 64
BRIDGE = "The Old Town bridge was closed to traffic on Monday"


async def seed(rig: Rig) -> tuple[int, int]:
    """One claim watched here and one source, made through the real commands."""
    await rig.slash("claim", "add", roles=MOD, text=BRIDGE)
    await rig.slash("source", "add", roles=MOD, url="http://93.184.215.14/feed.xml", every="15m",
                    label="City wire")
    claim = (await rig.store.list_claims())[0]
    source = (await rig.store.list_sources())[0]
    return claim.id, source.id


# One case per entry of handlers.table.COMMANDS: options, and words the answer must contain.
CASES: dict[tuple[str, str], tuple[dict, str]] = {
    ("claim", "add"): ({"text": "Ferries stopped running after the storm"}, "Now watching claim #2"),
    ("claim", "list"): ({}, "#1 [unverified] The Old Town bridge"),
    ("claim", "status"): ({"claim": "1"}, "Claim #1: The Old Town bridge"),
    ("claim", "check"): ({"text": BRIDGE + ", the city council said."}, "#1"),
    ("claim", "watch"): ({"claim": "1"}, "already receives alerts for claim #1"),
    ("claim", "unwatch"): ({"claim": "1"}, "No more alerts for claim #1"),
    ("claim", "set"): ({"claim": "1", "status": "confirmed", "note": "council notice"}, "set to confirmed"),
    ("claim", "remove"): ({"claim": "1"}, "Claim #1 is no longer watched"),
    ("claim", "review"): ({"alert": 1}, "Alert 1 marked reviewed"),
    ("claim", "possible"): ({"claim": "1"}, "Claim #1 has no possible matches awaiting review"),
    ("claim", "confirm"): ({"match": 1}, "No match 1."),
    ("claim", "reject"): ({"match": 1}, "No match 1."),
    ("claim", "stance"): ({"match": 1, "stance": "refutes"}, "No match 1."),
    ("claim", "why"): ({"match": 1}, "No match 1."),
    ("claim", "help"): ({"command": "set"}, "/claim set <id> <status> [note]"),
    ("claim", "audit"): ({"count": 5}, "moderator action(s) and refusal(s), newest first"),
    ("source", "add"): ({"url": "http://93.184.215.15/rss", "label": "Harbour news", "kind": "feed"},
                        "Added source #2 Harbour news"),
    ("source", "list"): ({}, "City wire <http://93.184.215.14/feed.xml> (feed) every 15m"),
    ("source", "resume"): ({"source": "1"}, "is not paused"),
    ("source", "remove"): ({"source": "1"}, "#1"),
    ("source", "help"): ({}, "/source add <url>"),
}


def test_the_hand_written_cases_are_table_commands() -> None:
    assert set(CASES) <= set(COMMANDS)


def _case(key: tuple[str, str]) -> tuple[dict, str | None]:
    """The hand-written case, or (for a command added to the table later) its claim id when it takes one."""
    if key in CASES:
        return CASES[key]
    rest = COMMANDS[key].usage.removeprefix(COMMANDS[key].full).strip()
    return ({"claim": "1"} if rest.startswith("<id>") else {}), None


@pytest.mark.parametrize("key", list(COMMANDS), ids=[" ".join(k) for k in COMMANDS])
async def test_every_command_answers_through_discord(rig: Rig, key: tuple[str, str]) -> None:
    await seed(rig)
    await rig.judge.set_claims(await rig.store.list_claims())
    await rig.store.enqueue_alert(StatusChange(title="t", text="x", claim_id=1), destinations=[])
    options, expected = _case(key)
    answer = await rig.slash(*key, roles=MOD, **options)
    if expected is not None:
        assert expected in answer["content"]
    assert answer["content"].strip()
    assert "failed on our side" not in answer["content"] and "Unknown command" not in answer["content"]
    assert answer["payload"]["allowed_mentions"] == {"parse": []}
    if key in {("claim", "status"), ("claim", "check")}:
        assert answer["deferred"]  # long work: deferred, answered by follow-up


async def test_command_groups_synced_to_the_guild_with_help_from_the_table(rig: Rig) -> None:
    path, body = rig.fake.syncs[-1]
    assert path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    groups = {c["name"]: c for c in body}
    assert set(groups) == {"claim", "source"}
    for group, cmd in groups.items():
        subs = {o["name"]: o["description"] for o in cmd["options"]}
        assert subs == {n: summary(g, n) for (g, n) in COMMANDS if g == group}
        assert all(summary(g, n) == COMMANDS[(g, n)].summary[:100] for (g, n) in COMMANDS)


async def test_identify_asks_only_for_the_guilds_intent(rig: Rig) -> None:
    intents = rig.fake.identifies[0]["intents"]
    assert intents == 1  # GUILDS; no members (1<<1), presences (1<<8) or message content (1<<15)


async def test_global_sync_and_gateway_from_the_api(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, CLAIMWATCH_DISCORD_SYNC="global", CLAIMWATCH_DISCORD_GATEWAY_URL="")
    rig = await start_rig(fake, settings)
    try:
        path, body = fake.syncs[-1]
        assert path == f"/applications/{APP_ID}/commands"
        assert [c["dm_permission"] for c in body] == [False, False]  # guild only: a DM has no alert channel
        assert ("GET", "/gateway/bot", None) in fake.requests
        answer = await rig.slash("claim", "list")
        assert "No claims are watched yet" in answer["content"]
    finally:
        await stop_rig(rig)


async def test_autocomplete_offers_claim_and_source_ids(rig: Rig) -> None:
    await seed(rig)
    await rig.slash("claim", "add", roles=MOD, text="Ferries stopped running after the storm")
    choices = await rig.autocomplete("claim", "status", "claim", "ferr")
    assert choices == [{"name": "#2 Ferries stopped running after the storm", "value": "2"}]
    assert len(await rig.autocomplete("claim", "remove", "claim", "")) == 2
    assert await rig.autocomplete("source", "remove", "source", "wire") == [
        {"name": "#1 City wire http://93.184.215.14/feed.xml", "value": "1"}]


async def test_moderator_command_refused_ephemerally_for_other_members(rig: Rig) -> None:
    answer = await rig.slash("claim", "add", roles=[], text="Anyone can add claims")
    assert answer["content"] == "Only moderators can use /claim add."
    assert answer["flags"] & EPHEMERAL
    assert await rig.store.list_claims() == []
    entry = (await rig.store.audit_log())[0]
    assert (entry.platform, entry.allowed, entry.detail) == ("discord", False, "refused: not a moderator")


async def test_usage_errors_are_one_ephemeral_line(rig: Rig) -> None:
    answer = await rig.slash("claim", "watch", claim="twelve")
    assert answer["content"].startswith("claim id must be a number")
    assert answer["flags"] & EPHEMERAL


async def test_over_long_command_and_odd_ids_get_one_line(rig: Rig) -> None:
    answer = await rig.slash("claim", "status", claim="drone " * 1000)
    assert answer["content"] == "That command is 6,007 characters long; the limit is 4,000."
    odd = await rig.slash("claim", "status", claim="²")
    assert odd["content"].startswith("claim id must be a number, got '²'.")
    huge = await rig.slash("claim", "watch", claim="9" * 25)
    assert huge["content"].startswith("claim id " + "9" * 23 + "… is too large; ids have at most 18 digits.")


async def test_long_reply_is_split_into_messages_within_2000_characters(rig: Rig) -> None:
    for i in range(40):
        await rig.store.add_claim(f"Claim number {i} about the harbour, the ferries and the bridge " * 2, "t")
    iid, token = await rig.fake.interaction(2, "claim", "list", [])
    first = await rig.fake.callback(iid)
    follow = await rig.fake.followup(token)
    assert len(first["data"]["content"]) <= 2000 and len(follow["content"]) <= 2000
    assert follow["allowed_mentions"] == {"parse": []}
    assert "#40" in "".join(m["content"] for m in rig.fake.followups[token])


async def test_mention_injection_in_a_claim_pings_nobody(rig: Rig) -> None:
    text = "@everyone @here <@&700000000000000300> <@700000000000000400> the bridge fell"
    answer = await rig.slash("claim", "add", roles=MOD, text=text)
    assert "@everyone" in answer["content"]
    assert answer["payload"]["allowed_mentions"] == {"parse": []}


def test_invite_link_has_exact_scopes_and_permissions() -> None:
    url = invite_url(APP_ID)
    assert "scope=bot+applications.commands" in url
    assert f"permissions={PERMISSIONS.value}" in url and PERMISSIONS.value == 309237763072
    assert str(CHANNEL_ID) not in url
