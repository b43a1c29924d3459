"""Slash commands over Socket Mode: every command, moderators, acks, ephemeral replies, charts."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.platform import Command, Reply
from handlers.table import COMMANDS
from tests.slack.conftest import ADMIN, CHANNEL, GROUP_MOD, MOD, USER, Harness, shown, start_harness
from tests.slack.fake_slack import FakeSlack

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Every command of the table, in an order that works on one database; each with what its reply shows.
SCRIPT: list[tuple[tuple[str, str], str, str]] = [
    (("claim", "help"), "help", "/claim watch <id>"),
    (("claim", "add"), "add Tanker traffic through the strait fell by half in April", "Now watching claim #2"),
    (("claim", "list"), "list", "2 watched claim(s)"),
    (("claim", "status"), "status 2", "Claim #2: Tanker traffic"),
    (("claim", "check"), "check Officials said the northern port was closed to cargo ships in March.",
     "This text"),
    (("claim", "watch"), "watch 1", "claim #1"),
    (("claim", "unwatch"), "unwatch 1", "No more alerts for claim #1"),
    (("claim", "set"), "set 2 disputed two ministries disagree", "Claim #2 set to disputed"),
    (("claim", "review"), "review 1", "Alert 1 marked reviewed"),
    (("claim", "evidence"), "evidence 1", "Claim #1"),
    (("claim", "export"), "export 2", "Claim #2 ledger"),
    (("claim", "alerts"), "alerts", "Alerts in"),
    (("claim", "possible"), "possible 1", "Claim #1 has no possible matches awaiting review"),
    (("claim", "confirm"), "confirm 1", "No match 1."),
    (("claim", "reject"), "reject alert=1", "Alert 1 is not about a statement"),
    (("claim", "stance"), "stance 1 refutes", "No match 1."),
    (("claim", "why"), "why 1", "No match 1."),
    (("claim", "remove"), "remove 2", "Claim #2 is no longer watched"),
    (("claim", "audit"), "audit 5", "moderator action(s) and refusal(s), newest first"),
    (("source", "help"), "help", "/source add <url>"),
    (("source", "add"), "add <https://93.184.216.34/feed.xml> every=15m label=Wire", "Added source #1 Wire"),
    (("source", "list"), "list", "Wire"),
    (("source", "resume"), "resume 1", "not paused"),
    (("source", "remove"), "remove 1", "source #1"),
]


async def test_every_command_in_the_table_answers_through_slack(slack: Harness) -> None:
    assert {key for key, _, _ in SCRIPT} == set(COMMANDS), "a command was added: script it here"
    for (group, _name), text, expected in SCRIPT:
        answer = await slack.command(text, command=f"/{group}", user=MOD)
        assert expected.lower() in shown(answer).lower(), (group, text, shown(answer))
    # Changes made through Slack are real: the claim list and the audit log say so.
    assert [c.id for c in await slack.store.list_claims()] == [1]
    actions = [(e.action, e.allowed) for e in await slack.store.audit_log()]
    assert ("/claim add", True) in actions and ("/source remove", True) in actions


async def test_ack_comes_before_the_answer_and_within_three_seconds(slack: Harness) -> None:
    payload = slack.fake.slash("status 1")
    started = time.monotonic()
    ack = await slack.fake.push("slash_commands", payload)
    assert time.monotonic() - started < 3.0
    assert ack.get("payload") in (None, {}, "")  # an empty ack: the answer follows separately
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 1)
    assert "The northern port" in shown(slack.fake.responses[0])


async def test_queries_are_ephemeral_and_changes_are_shown_in_channel(slack: Harness) -> None:
    query = await slack.command("status 1")
    assert query["response_type"] == "ephemeral"
    change = await slack.command("add Rail freight resumed on the eastern line", user=MOD)
    assert change["response_type"] == "in_channel"
    # The new claim is watched in the channel the command came from.
    watches = await slack.store.watches(2)
    assert [(w.platform, w.channel) for w in watches] == [("slack", CHANNEL)]


async def test_reply_in_channel_option(fake: FakeSlack, tmp_path: Path) -> None:
    h = await start_harness(fake, tmp_path, CLAIMWATCH_SLACK_REPLY_IN_CHANNEL="true")
    try:
        answer = await h.command("list")
        assert answer["response_type"] == "in_channel"
    finally:
        await h.close()


async def test_non_moderator_is_refused_and_audited(slack: Harness) -> None:
    answer = await slack.command("add Someone should not be able to add this", user=USER)
    assert "Only moderators can use /claim add" in shown(answer)
    assert len(await slack.store.list_claims()) == 1
    refused = [e for e in await slack.store.audit_log() if not e.allowed]
    assert [(e.platform, e.user_id, e.action) for e in refused] == [("slack", USER, "/claim add")]
    answer = await slack.command("remove 1", command="/claim", user=USER)
    assert "Only moderators" in shown(answer)


async def test_user_group_members_and_workspace_admins_are_moderators(slack: Harness) -> None:
    answer = await slack.command("set 1 disputed conflicting reports", user=GROUP_MOD)
    assert "set to disputed" in shown(answer)
    answer = await slack.command("set 1 confirmed port authority notice", user=ADMIN)
    assert "set to confirmed" in shown(answer)
    assert slack.fake.called("usergroups.users.list")[0]["usergroup"] == "S0MODS"
    assert any(c["user"] == ADMIN for c in slack.fake.called("users.info"))


async def test_over_long_command_gets_a_one_line_reason(slack: Harness) -> None:
    answer = await slack.command("status " + "drone " * 2000, user=USER)
    assert shown(answer).startswith("That command is 12,007 characters long; the limit is 4,000.")


async def test_unknown_subcommand_gets_a_one_line_reason(slack: Harness) -> None:
    answer = await slack.command("frobnicate 3")
    assert "Unknown command /claim frobnicate" in shown(answer)
    answer = await slack.command("status")
    assert "Usage: /claim status" in shown(answer)


async def test_long_replies_are_split_within_slack_limits(slack: Harness) -> None:
    for i in range(40):
        await slack.store.add_claim(f"Claim number {i} about grain exports " + "and shipping " * 20, "test")
    answer = await slack.command("list")
    rid = answer["_rid"]
    await slack.fake.wait_for(lambda: sum(r["_rid"] == rid for r in slack.fake.responses) >= 1)
    posts = [r for r in slack.fake.responses if r["_rid"] == rid]
    sections = [b["text"]["text"] for p in posts for b in p["blocks"]]
    assert len(sections) >= 2 and all(len(s) <= 3000 for s in sections)
    assert all(len(p["blocks"]) <= 50 for p in posts)
    text = html_join(sections)
    assert "Claim number 39" in text and "41 watched claim(s)" in text


def html_join(sections: list[str]) -> str:
    """Sections back to plain text."""
    return shown({"blocks": [{"text": {"text": s}} for s in sections]})


async def test_chart_replies_are_uploaded_with_files_upload_v2(fake: FakeSlack, tmp_path: Path) -> None:
    def wrap(dispatcher):  # a status answer that carries a chart, as a richer status handler would
        async def dispatch(command: Command) -> Reply:
            reply = await dispatcher(command)
            if command.text.startswith("status"):
                reply.image, reply.image_name = PNG, "claim-1.png"
            return reply
        return dispatch

    h = await start_harness(fake, tmp_path, wrap=wrap)
    try:
        await h.command("status 1")
        await fake.wait_for(lambda: fake.called("files.completeUploadExternal"))
        await fake.wait_for(lambda: len(fake.responses) == 2)
        assert fake.called("files.getUploadURLExternal")[0]["filename"] == "claim-1.png"
        file_id = fake.called("files.completeUploadExternal")[0]["files"][0]["id"]
        assert fake.uploads[file_id] == PNG
        image = fake.responses[1]["blocks"][0]
        assert image["type"] == "image" and image["slack_file"] == {"id": file_id}
        assert fake.responses[1]["response_type"] == "ephemeral"
    finally:
        await h.close()


async def test_export_files_go_to_a_direct_message_when_private(slack: Harness) -> None:
    if ("claim", "export") not in COMMANDS:
        return
    answer = await slack.command("export 1", user=USER)
    assert "Claim #1 ledger" in shown(answer) and answer["response_type"] == "ephemeral"
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 2)
    assert "direct message" in shown(slack.fake.responses[1])
    assert slack.fake.called("conversations.open")[0]["users"] == USER
    done = slack.fake.called("files.completeUploadExternal")[0]
    assert done["channel_id"] == "D0USER"
    names = [c["filename"] for c in slack.fake.called("files.getUploadURLExternal")]
    assert names == ["claim-1-ledger.json", "claim-1-statements.csv"]
    assert all(slack.fake.uploads[f["id"]] for f in done["files"])


async def test_expired_response_url_falls_back_to_the_web_api(slack: Harness) -> None:
    slack.fake.expired_responses = True
    await slack.fake.push("slash_commands", slack.fake.slash("status 1"))
    await slack.fake.wait_for(lambda: slack.fake.called("chat.postEphemeral"))
    private = slack.fake.called("chat.postEphemeral")[0]
    assert private["user"] == USER and private["channel"] == CHANNEL and "Claim #1:" in shown(private)
    await slack.fake.push("slash_commands", slack.fake.slash("add Ferries resumed on the island route", user=MOD))
    await slack.fake.wait_for(lambda: slack.fake.called("chat.postMessage"))
    public = slack.fake.called("chat.postMessage")[0]
    assert public["channel"] == CHANNEL and "Now watching claim #2" in shown(public)


async def test_slow_work_answers_after_the_ack(fake: FakeSlack, tmp_path: Path) -> None:
    def wrap(dispatcher):  # a command that takes longer than Slack's three seconds would allow
        async def dispatch(command: Command) -> Reply:
            await asyncio.sleep(1.5)
            return await dispatcher(command)
        return dispatch

    h = await start_harness(fake, tmp_path, wrap=wrap)
    try:
        started = time.monotonic()
        await fake.push("slash_commands", fake.slash("status 1"))
        acked = time.monotonic() - started
        assert acked < 1.0 and fake.responses == []
        await fake.wait_for(lambda: fake.responses, timeout=5)
        assert time.monotonic() - started >= 1.5
        assert "Claim #1:" in shown(fake.responses[0])
    finally:
        await h.close()


async def test_socket_mode_reconnects_after_slack_comes_back(fake: FakeSlack, tmp_path: Path) -> None:
    h = await start_harness(fake, tmp_path, ping_interval=0.5)
    try:
        await fake.go_down()
        await fake.wait_for(lambda: not fake.connected.is_set(), timeout=5)
        await asyncio.sleep(1.0)
        await fake.come_back()
        await asyncio.wait_for(fake.connected.wait(), 15)
        answer = await h.command("status 1")
        assert "Claim #1:" in shown(answer)
        assert len(fake.called("apps.connections.open")) >= 2  # a fresh URL for the new connection
    finally:
        await h.close()
