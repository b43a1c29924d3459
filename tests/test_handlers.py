"""Command handlers against a temporary store, through the real dispatcher."""

from __future__ import annotations

import pytest

from handlers.table import COMMANDS

pytestmark = pytest.mark.both_backends

DRONE = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"


async def test_add_list_status_roundtrip(chat, store):
    reply = await chat(f"/claim add {DRONE}")
    assert reply.ok and "claim #1" in reply.text
    assert (await store.watches(1))[0].channel == "newsroom"
    listing = await chat("/claim list", user="reader")
    assert "#1 [unverified]" in listing.text
    by_words = await chat("/claim status drone residence", user="reader")
    assert by_words.text.startswith(f"Claim #1: {DRONE}")
    by_id = await chat("/claim status #1", user="reader")
    assert by_id.text == by_words.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/claim frobnicate", "Unknown command /claim frobnicate."),
        ("/nonsense", "Unknown command /nonsense."),
        ("/claim add", "Claim text is empty."),
        ("/claim add " + "x" * 501, "Claim text is 501 characters; the limit is 500."),
        ("/claim status", "Name a claim by id or by words."),
        ("/claim status 99", "No claim #99."),
        ("/claim status zebra crossing", "No watched claim matches 'zebra crossing'."),
        ("/claim watch abc", "claim id must be a number, got 'abc'."),
        ("/claim set 1", "Give a claim id and a status."),
        ("/claim set 1 maybe", "Unknown status 'maybe'"),
        ("/claim remove 42", "No claim #42."),
        ("/source add ftp://example.org/feed", "not an http(s) URL"),
        ("/source add", "Give exactly one URL."),
        ("/source add http://127.0.0.1/feed", "non-public address"),
        ("/source add http://169.254.169.254/latest/meta-data", "refusing 169.254.169.254"),
        ("/source add http://[::1]:8080/feed", "non-public address"),
        ("/source add http://10.1.2.3/feed every=5m", "non-public address"),
        ("/source remove x", "source id must be a number"),
        ("/source remove 7", "No source #7."),
        ("/claim check", "Paste a statement or an article URL"),
        ("/claim check file:///etc/passwd", "not an http(s) URL"),
    ],
)
async def test_bad_input_gets_one_line_reason(chat, line, expected):
    await chat(f"/claim add {DRONE}")
    reply = await chat(line)
    assert not reply.ok
    assert expected in reply.text.splitlines()[0]


async def test_usage_shown_with_reason(chat):
    reply = await chat("/claim set 1")
    assert "Usage: /claim set <id> <status> [note]" in reply.text


@pytest.mark.parametrize("spec", [s for s in COMMANDS.values() if s.moderator], ids=lambda s: s.full)
async def test_moderator_only_commands_refused_and_audited(chat, store, spec):
    reply = await chat(f"{spec.full} 1", user="reader")
    assert not reply.ok and reply.text == f"Only moderators can use {spec.full}."
    entry = (await store.audit_log(1))[0]
    assert (entry.user_id, entry.action, entry.allowed) == ("reader", spec.full, False)


async def test_set_status_alerts_watchers_and_audits(chat, store):
    await chat(f"/claim add {DRONE}")
    reply = await chat("/claim set 1 false Kyiv and the EU call it a fabrication")
    assert reply.ok and "set to false" in reply.text
    claim = await store.get_claim(1)
    assert (claim.status, claim.note) == ("false", "Kyiv and the EU call it a fabrication")
    pending = await store.pending_deliveries("console", "9999")
    assert [p.alert.content.kind for p in pending if p.alert.content.kind != "notice"] == ["status"]
    assert (await store.audit_log(1))[0].action == "/claim set"


async def test_watch_unwatch_remove(chat, store):
    await chat(f"/claim add {DRONE}")
    chat.channel = "desk-2"
    assert "will come to this channel" in (await chat("/claim watch 1", user="reader")).text
    assert "already receives" in (await chat("/claim watch 1", user="reader")).text
    assert "No more alerts" in (await chat("/claim unwatch 1", user="reader")).text
    assert "was not receiving" in (await chat("/claim unwatch 1", user="reader")).text
    assert "no longer watched" in (await chat("/claim remove 1")).text
    assert await store.get_claim(1) is None
    assert await store.watches(1) == []


async def test_a_removed_claims_history_stays_readable(chat, store, tmp_path, monkeypatch):
    """/claim remove keeps the history: status, evidence and export still read it; nothing changes it."""
    monkeypatch.chdir(tmp_path)  # export writes its files here
    await chat(f"/claim add {DRONE}")
    await chat("/claim remove 1")
    status = await chat("/claim status 1")
    assert status.ok and status.text.splitlines()[1].startswith("No longer watched (removed)")
    assert (await chat("/claim evidence 1")).ok
    assert (await chat("/claim export 1")).ok
    assert (await store.get_claim(1, with_removed=True)).removed
    for change in ("/claim set 1 false", "/claim watch 1", "/claim remove 1"):
        reply = await chat(change)
        assert not reply.ok and reply.text.startswith("No claim #1"), change
    assert "#1" not in (await chat("/claim list")).text


async def test_source_add_duplicate_list_remove(chat, store, monkeypatch):
    async def public(url, **_kwargs):
        return None

    monkeypatch.setattr("handlers.sources.check_url", public)
    reply = await chat('/source add https://news.example.org/rss every=15m label="Example News"')
    assert reply.ok and "#1 Example News" in reply.text and "every 15m" in reply.text
    dup = await chat("/source add https://news.example.org/rss")
    assert not dup.ok and "already a source (#1)" in dup.text
    bad_every = await chat("/source add https://other.example.org/rss every=soon")
    assert not bad_every.ok and "every=" in bad_every.text
    unknown_opt = await chat("/source add https://other.example.org/rss colour=red")
    assert not unknown_opt.ok and "Unknown option colour=" in unknown_opt.text
    await store.update_source(1, last_error="HTTP 500", failures=2)
    listing = await chat("/source list", user="reader")
    assert "last error: HTTP 500 (2 failure(s) in a row)" in listing.text
    assert "removed" in (await chat("/source remove 1")).text
    assert (await store.list_sources()) == []


async def test_check_text_reports_claim_and_stance(chat):
    await chat(f"/claim add {DRONE}")
    reply = await chat("/claim check Kyiv denied that it launched a drone attack on the residence in Novgorod")
    assert reply.ok and "#1" in reply.text
    assert "refutes" in reply.text


async def test_check_unrelated_text(chat):
    await chat(f"/claim add {DRONE}")
    reply = await chat("/claim check The central bank kept interest rates on hold this week")
    assert reply.text == "This text does not concern any watched claim."


async def test_help_lists_every_command(chat):
    text = (await chat("/claim help", user="reader")).text
    for spec in COMMANDS.values():
        if spec.name != "help":
            assert spec.usage in text
    assert (await chat("/claim help set")).text.startswith("/claim set <id> <status> [note]")


async def test_add_backfills_earlier_statements_quietly(chat, store):
    from storage.documents import NewDocument, NewStatement

    doc = NewDocument(
        source_id=1, url="https://desk.example.org/x", canonical_url="https://desk.example.org/x",
        title="Residence story", text="", content_hash="h1",
        statements=[
            NewStatement(0, "Zelensky denied that Ukraine launched a drone attack on Putin's residence in Novgorod."),
            NewStatement(1, "The harbour festival drew record crowds this weekend."),
        ],
    )
    await store.store_document(doc)
    reply = await chat(f"/claim add {DRONE}")
    assert "last 30 days" in reply.text
    counts = await store.stance_counts(1)
    assert sum(counts.values()) == 1
    pending = await store.pending_deliveries("console", "9999")
    assert [p.alert.content.kind for p in pending] == ["notice"]
    assert pending[0].channel == "newsroom" and "Found 1 earlier statement(s)" in pending[0].alert.content.text


async def test_source_resume_restarts_a_paused_source(chat, store):
    src = await store.add_source("https://news.example.org/rss")
    assert "is not paused" in (await chat(f"/source resume {src.id}")).text
    await store.update_source(src.id, state="paused", failures=5, last_error="HTTP 500")
    reply = await chat(f"/source resume {src.id}")
    assert reply.ok and "resumed" in reply.text
    resumed = await store.get_source(src.id)
    assert (resumed.state, resumed.failures) == ("active", 0)
    assert (await chat("/source resume 99")).text == "No source #99. See /source list."


PAGE = b"""<html><head><title>Kyiv rejects the residence story</title></head><body><article>
<h1>Kyiv rejects the residence story</h1>
<p>Ukraine's foreign ministry denied that Ukraine launched a drone attack on Putin's residence in the
Novgorod region and called the account a fabrication meant to derail talks.</p>
<p>Officials in Kyiv said no drones were sent towards the residence that night, and asked Moscow to
show any debris it says it recovered.</p>
</article></body></html>"""


async def test_check_url_reads_the_page_and_judges_it(chat, services, feed_server):
    from bot.sources.http import make_client
    from bot.sources.ssrf import Policy, networks
    from tests.conftest import Route

    feed_server.routes["/story.html"] = Route(PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    services.http = make_client()
    try:
        await chat(f"/claim add {DRONE}")
        strict = await chat(f"/claim check {feed_server.url('/story.html')}")
        assert not strict.ok and "non-public address" in strict.text  # chat URLs stay strict
        services.chat_fetch_policy = Policy(allow_networks=networks(["127.0.0.1/32"]))
        reply = await chat(f"/claim check {feed_server.url('/story.html')}")
        assert reply.ok and "#1" in reply.text and "refutes" in reply.text
        missing = await chat(f"/claim check {feed_server.url('/gone.html')}")
        assert not missing.ok and missing.text.startswith("Could not read") and "HTTP 404" in missing.text
    finally:
        await services.http.aclose()


@pytest.mark.parametrize(("command", "outcome"), [
    ("/source add http://169.254.169.254/latest/meta-data", "refusing 169.254.169.254"),
    ("/claim review 9999", "Alert 9999 is unknown or already reviewed."),
    ("/claim set 1 bogus", "bogus"),
    ("/claim confirm 99999", "99999"),
])
async def test_a_moderators_refused_attempt_is_audited_with_its_reason(chat, store, command, outcome):
    await chat(f"/claim add {DRONE}")
    reply = await chat(command)
    assert not reply.ok
    entry = (await store.audit_log(1))[0]
    assert entry.action == " ".join(command.split()[:2]) and entry.allowed
    assert outcome in entry.detail and entry.detail != "ok"
