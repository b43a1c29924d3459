"""Table-driven tests of the pure ingestion stages: canonical URLs, feed parsing, address policy, MinHash."""

from __future__ import annotations

import ipaddress
import random
from datetime import UTC, datetime

import pytest

from bot import neardup
from bot.models import Source
from bot.sources import schedule
from bot.sources.canonical import canonical_url
from bot.sources.feeds import FeedError, read_feed
from bot.sources.ssrf import Policy, networks
from tests.sources.server import FIXTURES


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://Example.com/a?utm_source=rss&utm_medium=feed&id=3#comments", "https://example.com/a?id=3"),
        ("http://www.example.com/a?b=2&a=1&fbclid=x", "https://example.com/a?a=1&b=2"),
        ("https://amp.example.com/world/story/amp", "https://example.com/world/story"),
        ("https://example.com/world/story.amp?outputType=amp", "https://example.com/world/story"),
        ("https://example.com/story?CMP=share_btn_link&gclid=1&mc_cid=2", "https://example.com/story"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("http://example.com:8080/x", "https://example.com:8080/x"),
        ("https://news.google.com/rss/articles/CBMi?oc=5", "https://news.google.com/rss/articles/CBMi"),
        ("file:///drop/a.txt", "file:///drop/a.txt"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("name", "count", "first_title", "dated", "author"),
    [
        ("wire-service.xml", 2, "Defence ministry says 91 drones downed overnight", True, "Staff reporter"),
        ("newspaper-section.xml", 2, "Port city counts the cost after night of strikes", True, None),
        ("google-news.xml", 2, "Officials report dozens of drones over Novgorod - Example Tribune", True, None),
        ("mastodon.xml", 2, "", True, None),
        ("bluesky.xml", 2, "", True, None),
        ("youtube.atom", 1, "Evening bulletin: ministry briefing on overnight attack", True, "Example State Broadcaster"),
        ("government.rdf", 2, "Statement on overnight events", True, "Press Office"),
        ("jsonfeed.json", 2, "Checking the claim of 91 drones", True, "Fact Desk Team"),
        ("rss091.xml", 1, "Council says bridge repairs will take six weeks", False, None),
        ("latin1-newspaper.xml", 1, "Le ministère dément toute réunion secrète", True, None),
    ],
)
def test_publisher_feed_shapes(name: str, count: int, first_title: str, dated: bool, author: str | None) -> None:
    ctype = "application/feed+json" if name.endswith(".json") else "application/rss+xml"
    items, warnings = read_feed((FIXTURES / name).read_bytes(), ctype)
    assert len(items) == count and items[0].title == first_title
    assert all(it.text for it in items) and bool(items[0].published_at) is dated
    assert items[0].author == author and not warnings


def test_mastodon_html_is_plain_text_and_youtube_description_is_text() -> None:
    toot = read_feed((FIXTURES / "mastodon.xml").read_bytes())[0][0]
    assert toot.text.startswith("Overnight our air defence destroyed 91 drones.") and "<" not in toot.text
    video = read_feed((FIXTURES / "youtube.atom").read_bytes())[0][0]
    assert "claimed that all 91 drones" in video.text


@pytest.mark.parametrize(
    ("body", "ctype", "reason"),
    [
        (b"", "", "empty response body"),
        ((FIXTURES / "invalid.xml").read_bytes(), "", "invalid XML"),
        ((FIXTURES / "html-page.html").read_bytes(), "text/html", "an HTML page was served where a feed was expected"),
        (b"{not json", "application/json", "invalid JSON"),
        (b'{"title": "no items"}', "application/json", "JSON is not a JSON Feed"),
        (b"just some words", "text/plain", "not a feed"),
    ],
)
def test_not_a_feed_has_one_line_reason(body: bytes, ctype: str, reason: str) -> None:
    with pytest.raises(FeedError) as err:
        read_feed(body, ctype)
    assert str(err.value).startswith(reason) and "\n" not in str(err.value)


def test_wrong_charset_and_truncation_are_warnings_not_failures() -> None:
    items, warnings = read_feed((FIXTURES / "latin1-newspaper.xml").read_bytes(), "application/rss+xml; charset=utf-8")
    assert items[0].title == "Le ministère dément toute réunion secrète" and warnings[0].startswith("charset:")
    body = (FIXTURES / "wire-service.xml").read_bytes()
    items, warnings = read_feed(body[: len(body) * 2 // 3])
    assert items and warnings[0].startswith("malformed XML")


@pytest.mark.parametrize(
    ("ip", "policy", "allowed"),
    [
        ("93.184.216.34", Policy(), True),
        ("127.0.0.1", Policy(), False),
        ("10.0.0.1", Policy(), False),
        ("192.168.1.5", Policy(), False),
        ("169.254.169.254", Policy(), False),
        ("::1", Policy(), False),
        ("::ffff:10.0.0.1", Policy(), False),
        ("fd00:ec2::254", Policy(allow_private=True), False),
        ("169.254.169.254", Policy(allow_private=True), False),
        ("169.254.10.10", Policy(allow_private=True), False),
        ("224.0.0.1", Policy(allow_private=True), False),
        ("0.0.0.0", Policy(allow_private=True), False),
        ("10.0.0.1", Policy(allow_private=True), True),
        ("127.0.0.1", Policy(allow_private=True), True),
        ("127.0.0.1", Policy(allow_networks=networks(["127.0.0.1/32"])), True),
        ("127.0.0.2", Policy(allow_networks=networks(["127.0.0.1/32"])), False),
        ("100.64.0.1", Policy(), False),
    ],
)
def test_address_policy(ip: str, policy: Policy, allowed: bool) -> None:
    assert (policy.refusal(ipaddress.ip_address(ip)) is None) is allowed


STORY = (
    "Air defence units intercepted 91 drones overnight, including 41 over the Novgorod region, the "
    "defence ministry said on Monday. The ministry did not say whether any damage was caused. Regional "
    "officials reported no casualties in the towns near the border, and schools opened as usual."
)


@pytest.mark.parametrize(
    ("other", "same_story"),
    [
        (STORY, True),
        (STORY.replace("defence ministry", "Russian defence ministry") + " Reporting by Example Wire.", True),
        ("UPDATE: " + STORY.replace("on Monday", "early on Monday"), True),
        ("The city council said repairs to the river bridge would take six weeks and cost 1.2 million "
         "euros, and residents were told to use the ferry while engineers inspect the supports.", False),
        (STORY.split(".")[0] + ". " + "Separately, the central bank raised interest rates by half a point "
         "on Monday, citing inflation that has stayed above its target for a year.", False),
    ],
)
def test_near_duplicate_detection(other: str, same_story: bool) -> None:
    a, b = neardup.signature(STORY), neardup.signature(other)
    assert a and b
    sim = neardup.similarity(a, b)
    assert (sim >= neardup.THRESHOLD) is same_story
    if same_story:
        assert set(neardup.bands(a)) & set(neardup.bands(b))  # LSH finds it as a candidate


def test_short_texts_have_no_signature() -> None:
    assert neardup.signature("Too short to compare.") is None


def test_backoff_doubles_caps_and_honours_retry_after() -> None:
    src = Source(id=1, url="u", interval_s=600)
    policy = schedule.Backoff(pause_after_failures=3, max_backoff_s=3600, jitter=0.0)
    rng = random.Random(1)
    assert [schedule.failure_delay(src, n, None, policy, rng) for n in (1, 2, 3, 4)] == [600, 1200, 2400, 3600]
    assert schedule.failure_delay(src, 1, 120, policy, rng) == 120
    assert schedule.failure_delay(src, 1, 10**6, policy, rng) == 3600
    now = datetime(2026, 3, 2, tzinfo=UTC)
    changes, pause = schedule.failure_changes(Source(id=1, url="u", failures=2), "HTTP 500", None, now, policy)
    assert pause and changes["state"] == "paused" and changes["failures"] == 3
    _, again = schedule.failure_changes(Source(id=1, url="u", failures=3, state="paused"), "x", None, now, policy)
    assert not again
