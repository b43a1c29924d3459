"""Commands people do not trip over: each console finding and each odd input, through the real dispatcher."""

from __future__ import annotations

import time

import pytest

from bot.platform import Actor, Command
from tests.conftest import Chat

DRONE = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"


@pytest.fixture
def resolved(monkeypatch) -> list[str]:
    """Stand in for DNS (every host public) and record which URLs reached it."""
    calls: list[str] = []

    async def public(url, **_kwargs):
        calls.append(url)

    monkeypatch.setattr("handlers.sources.check_url", public)
    return calls


# (command, what the first line of the refusal says); none of them may say "failed on our side".
REFUSED = [
    ("/claim status 0", "claim ids start at 1, got 0."),
    ("/claim status ²", "claim id must be a number, got '²'."),
    ("/claim watch ¹²", "claim id must be a number, got '¹²'."),
    ("/claim status 123456789012345678901", "claim id 123456789012345678901 is too large"),
    ("/claim remove 99999999999999999999999999", "is too large; ids have at most 18 digits."),
    ("/claim evidence 1 ³", "'³' is neither a stance"),
    ("/claim possible 1 99999999999999999999", "is not a page number."),
    ("/claim why 123456789012345678901", "match id 123456789012345678901 is too large"),
    ("/claim alerts 0", "claim ids start at 1"),
    ("/claim alerts rate=10/1000000d", "rate= window '1000000d' is too long: at most 7d"),
    ("/claim alerts rate=10/10s", "rate= window '10s' is too short: at least 1m"),
    ("/claim alerts rate=0/1h", "rate= must be N/window"),
    ("/claim alerts rate=99999999999999999999/1h", "rate= must be N/window"),
    ("/claim alerts min=lots", "min= must be between 0 and 1"),
    ("/claim alerts colour=red", "'colour=red' is not a setting"),
    ("/source add https://news.example.org/rss every=999999999999999999d", "is too long: at most 7d"),
    ("/source add https://news.example.org/rss every=soon", "every=: invalid duration 'soon'"),
    ("/source add https://news.example.org/rss every=30s", "'30s' is too short: at least 1m"),
    ("/source add https://news.example.org/rss kind=video", "kind= must be feed or page."),
    ("/source add https://news.example.org/rss speaker=alien", "speaker= must be official"),
    ("/source add https://news.example.org/rss label=" + "x" * 81, "label= is 81 characters; the limit is 80."),
    ("/source add https://" + "a" * 1990 + ".org/", "That URL is 2,003 characters long; the limit is 2,000."),
    ("/source add https://" + "a" * 100 + ".org/", "is too long for DNS"),
    ("/source add https://" + "ab." * 90 + "org/", "is too long for DNS (273 characters)"),
    ("/source add http://news.example.org:99999/rss", "is not a valid URL (Port out of range"),
    ("/source add http://[zz/rss", "is not a valid URL (Invalid IPv6 URL)"),
    ("/source add https://news..example.org/rss", "is not a valid domain name."),
    ("/claim check https://" + "a" * 100 + ".org/x", "is too long for DNS"),
    ("/claim add Kyiv said \udcff\udcfe no drones flew", "bytes that are not valid text (UTF-8)"),
    ("/claim status " + "drone " * 1000, "That command is 6,007 characters long; the limit is 4,000."),
    ("/claim audit 0", "Give how many entries to show, 1 to 50."),
    ("/claim audit 51", "Give how many entries to show, 1 to 50."),
    ("/claim audit ⁵", "Give how many entries to show, 1 to 50."),
]


@pytest.mark.parametrize(("line", "expected"), REFUSED, ids=[c[0][:60] for c in REFUSED])
async def test_odd_input_gets_a_one_line_reason(chat, resolved, line, expected):
    await chat(f"/claim add {DRONE}")
    reply = await chat(line)
    assert not reply.ok
    assert expected in reply.text.splitlines()[0], reply.text
    assert "failed on our side" not in reply.text
    if line.startswith("/source add"):
        assert resolved == []  # every option and the URL's shape are checked before any DNS work


# (command, words its reply contains): the findings that used to be refused.
ACCEPTED = [
    ("/claim alerts reset", "Alerts for this channel (nothing to reset)"),
    ("/claim alerts min=0.5", "Alerts for this channel (min=0.5): min confidence 50%"),
    ("/claim alerts rate=10/hour", "rate 10 per 1h"),
    ("/claim alerts rate=10/1h", "rate 10 per 1h"),
    ("/claim alerts rate=5/30minutes", "rate 5 per 30m"),
    ("/claim alerts all rate=20/day", "rate 20 per 1d"),
    ("/claim alerts 1 RESET", "Alerts for claim #1 in this channel (nothing to reset)"),
    ("/claim alerts 1 rate=3/2h", "Alerts for claim #1 in this channel (rate=3/2h)"),
    ("/claim status #1", f"Claim #1: {DRONE}"),
    ("/claim status 001", f"Claim #1: {DRONE}"),
]


@pytest.mark.parametrize(("line", "expected"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
async def test_commands_that_used_to_trip_people_up(chat, line, expected):
    await chat(f"/claim add {DRONE}")
    reply = await chat(line)
    assert reply.ok, reply.text
    assert expected in reply.text


@pytest.mark.parametrize(
    ("options", "label", "every"),
    [
        ("label=BBC World", "BBC World", "10m"),
        ('label="BBC World" every=1h', "BBC World", "1h"),
        ('label=BBC World Service every="2 hours"', "BBC World Service", "2h"),
        ("every=15m label=Radio  Free   Harbour", "Radio Free Harbour", "15m"),
        ("label='Wire desk'", "Wire desk", "10m"),
    ],
)
async def test_source_labels_with_spaces(chat, store, resolved, options, label, every):
    reply = await chat(f"/source add https://news.example.org/rss {options}")
    assert reply.ok, reply.text
    assert f"Added source #1 {label}, checked every {every}." in reply.text
    assert (await store.get_source(1)).label == label


async def test_usage_only_for_usage_errors(chat, monkeypatch):
    from bot.sources.ssrf import UnsafeURLError

    async def unresolvable(url, **_kwargs):
        raise UnsafeURLError("cannot resolve host 'nowhere.example': Name or service not known")

    monkeypatch.setattr("handlers.sources.check_url", unresolvable)
    dns = await chat("/source add https://nowhere.example/rss")
    assert not dns.ok and dns.text == ("Could not add https://nowhere.example/rss: "
                                       "cannot resolve host 'nowhere.example': Name or service not known")
    missing = await chat("/source add")
    assert missing.text == "Give exactly one URL.\nUsage: /source add <url> [every=10m] [label=...]"
    assert "Usage:" not in (await chat("/claim status 7")).text  # an id that names nothing is not a usage error
    assert "Usage:" in (await chat("/claim status ²")).text  # a malformed one is
    await chat(f"/claim add {DRONE}")
    dup = await chat(f"/claim add {DRONE}")
    assert "Usage:" not in dup.text


@pytest.mark.parametrize(
    "again",
    [DRONE, DRONE.upper(), f"  {DRONE}.  ", DRONE.replace("'", "’") + "!", DRONE.replace(" ", "   ")],
)
async def test_duplicate_claim_is_refused_naming_the_existing_id(chat, store, again):
    await chat("/claim add The Old Town bridge was closed to traffic on Monday")
    await chat(f"/claim add {DRONE}")
    reply = await chat(f"/claim add {again}")
    assert not reply.ok
    assert reply.text.startswith("Claim #2 already says that: Ukraine launched") and "/claim watch 2" in reply.text
    assert len(await store.list_claims()) == 2
    assert (await chat(f"/claim add {DRONE} in December")).ok  # a different claim is still welcome


async def test_paused_source_points_to_resume(chat, store):
    src = await store.add_source("https://news.example.org/rss", label="Wire")
    await store.update_source(src.id, state="paused", failures=5, last_error="HTTP 500")
    listing = await chat("/source list", user="reader")
    assert f"paused: fix it, then /source resume {src.id}" in listing.text
    assert "/source remove and add it again" not in listing.text


async def test_rights_come_from_the_table_and_changes_notify(services, store):
    """/claim alerts is half public: showing is open, changing needs a moderator; changes run on_change."""
    from handlers import Dispatcher

    changed: list[str] = []
    services.on_change.append(lambda: changed.append("x"))
    chat = Chat(Dispatcher(services))
    await chat(f"/claim add {DRONE}")
    changed.clear()
    assert (await chat("/claim alerts", user="reader")).ok
    assert (await chat("/claim alerts 1", user="reader")).ok
    assert changed == []
    refused = await chat("/claim alerts min=0.5", user="reader")
    assert refused.text == "Only moderators can use /claim alerts to change settings."
    assert (await chat("/claim alerts 1 reset", user="reader")).text.startswith("Only moderators")
    assert (await chat("/claim alerts min=0.5")).ok
    assert changed == ["x"]  # the dispatcher ran the callbacks after the change, as after any moderator action
    audit = [(e.user_id, e.action, e.target, e.allowed) for e in await store.audit_log()]
    assert audit[:3] == [("mod", "/claim alerts", "min=0.5", True),
                         ("reader", "/claim alerts", "1 reset", False),
                         ("reader", "/claim alerts", "min=0.5", False)]
    assert [a for a in audit if a[1] == "/claim alerts" and a[3]] == [audit[0]]  # audited once, not twice


async def test_audit_shows_who_did_what_and_when(chat, store):
    await chat(f"/claim add {DRONE}")
    await chat("/claim set 1 disputed two ministries disagree")
    await chat("/claim remove 1", user="reader")
    await chat("/claim alerts all tz=Asia/Tokyo")
    reply = await chat("/claim audit 3")
    lines = reply.text.splitlines()
    assert lines[0] == "Latest 3 moderator action(s) and refusal(s), newest first:"
    assert lines[1].endswith(" JST console:mod /claim alerts all tz=Asia/Tokyo: ok")
    assert lines[2].endswith(" JST console:reader /claim remove 1: refused: not a moderator")
    assert lines[3].endswith(" JST console:mod /claim set 1 disputed two ministries disagree: ok")
    assert len((await chat("/claim audit")).text.splitlines()) == 1 + 5  # the audit call itself is audited too
    refused = await chat("/claim audit", user="reader")
    assert refused.text == "Only moderators can use /claim audit."


async def test_claim_search_cost_stays_flat_for_long_input(chat):
    await chat(f"/claim add {DRONE}")
    words = " ".join(f"w{i}" for i in range(700)) + " drone residence"
    assert len(words) < 4000
    start = time.perf_counter()
    reply = await chat(f"/claim status {words}")
    took = time.perf_counter() - start
    assert not reply.ok and reply.text.startswith("No watched claim matches 'w0 w1 w2")
    assert took < 1.0, took


async def test_command_length_is_bounded_before_anything_else(services, store):
    from handlers import Dispatcher

    start = time.perf_counter()
    reply = await Dispatcher(services)(Command("claim", "status " + "x" * 10_000_000,
                                               Actor("console", "mod", "mod"), "newsroom"))
    assert reply.text == "That command is 10,000,007 characters long; the limit is 4,000."
    assert time.perf_counter() - start < 0.5
    assert await store.audit_log() == []


@pytest.mark.parametrize("text", ["!!!", "...", "— ? —"])
async def test_a_claim_without_words_is_refused(chat, store, text):
    reply = await chat(f"/claim add {text}")
    assert not reply.ok and reply.text.startswith("A claim needs words")
    assert await store.list_claims() == []


async def test_control_characters_never_reach_a_claim(chat, store):
    reply = await chat("/claim add Test \x1b[31mRED\x1b[0m claim about Valdai drones\x07")
    assert reply.ok
    [claim] = await store.list_claims()
    assert claim.text == "Test [31mRED[0m claim about Valdai drones"
    assert "\x1b" not in reply.text and "\x07" not in reply.text


@pytest.mark.parametrize("words", ["the", "%s%s%n", "of the a", "x y"])
async def test_status_by_filler_words_names_no_claim(chat, words):
    await chat(f"/claim add {DRONE}")
    reply = await chat(f"/claim status {words}")
    assert not reply.ok and reply.text.startswith("No watched claim matches")
    assert (await chat("/claim status the Novgorod residence")).text.startswith(f"Claim #1: {DRONE}")


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed", "http://10.1.2.3/feed", "http://169.254.169.254/latest",
                                 "http://[::1]:8080/feed"])
async def test_the_same_refusal_reads_the_same_in_both_commands(chat, services, url):
    """A URL chat may not reach is refused by /source add and /claim check in one shape, capital first."""
    from bot.sources.http import make_client

    services.http = make_client()
    try:
        added, checked = await chat(f"/source add {url}"), await chat(f"/claim check {url}")
    finally:
        await services.http.aclose()
    assert not added.ok and not checked.ok
    assert added.text.startswith(f"Could not add {url}: refusing ")
    assert checked.text.startswith(f"Could not read {url}: refusing ")
    assert added.text.split(": ", 1)[1] == checked.text.split(": ", 1)[1]  # the same reason, word for word
