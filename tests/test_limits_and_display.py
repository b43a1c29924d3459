"""Bounded durations and rate windows (chat, config and stored values), and how times and links are shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.alert_types import StatementAlert
from bot.alerts import Outbox
from bot.config import ChannelEntry
from bot.durations import parse_duration, show_time
from bot.links import shown_link
from bot.policy import parse_changes, resolve
from tests.clock import Clock
from tests.ledger.stories import RecordingPlatform


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("30s", 30), ("10m", 600), ("1h30m", 5400), ("hour", 3600), ("1hour", 3600), ("2 hours", 7200),
     ("1 hour and 30 minutes", 5400), ("2d", 172800), ("1w", 604800), ("1.5h", 5400), (" 10M ", 600)],
)
def test_human_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "reason"),
    [("soon", "invalid duration 'soon' (use e.g. 30s, 10m, 1h)"), ("5x", "unknown unit 'x'"),
     ("0", "must be positive"), ("-5m", "invalid duration"), ("999999999999999999d", "is too long: at most 36500d"),
     ("9" * 70, "too long"), ("²m", "invalid duration"), ("", "invalid duration")],
)
def test_bad_durations_say_why(text, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_duration(text)


def test_duration_ranges_name_the_bound():
    with pytest.raises(ValueError, match=r"every= '8d' is too long: at most 7d"):
        parse_duration("8d", 60, 7 * 86400, what="every=")
    with pytest.raises(ValueError, match=r"'30s' is too short: at least 1m"):
        parse_duration("30s", 60, 7 * 86400)


@pytest.mark.parametrize(
    ("alerts", "reason"),
    [("rate=10/1000000d", "too long: at most 7d"), ("rate=10/1s", "too short: at least 1m"),
     ("rate=5000/1h", "N from 1 to 1000"), ("rate=10/fortnight", "invalid duration")],
)
def test_check_config_refuses_extreme_rate_windows(alerts, reason):
    """check-config validates [[channels]] alerts with the same parser as /claim alerts."""
    with pytest.raises(ValidationError, match=reason):
        ChannelEntry(platform="console", channel="desk", alerts=alerts)


@pytest.mark.parametrize(
    ("stored", "window"),
    [([10, 86_400_000_000], 7 * 86400), ([10, 10**30], 7 * 86400), ([10, 1], 60), ([10, "junk"], 3600),
     ([10, 1800], 1800)],
)
def test_stored_windows_are_clamped(stored, window):
    assert resolve({"rate": stored}, {}).rate_window_s == window


async def test_outbox_delivers_with_a_window_stored_before_the_bound(store):
    """A rate window saved by an older version (10/1000000d) no longer stops every outbox pass."""
    claim = await store.add_claim("The Old Town bridge was closed to traffic on Monday")
    await store.watch(claim.id, "console", "newsroom")
    await store.set_policy_settings("console", "newsroom", None, {"rate": [10, 1_000_000 * 86400]})
    alert = StatementAlert(title="supports: claim #1", text="The council closed the bridge", stance="supports",
                           confidence=0.9, claim_id=claim.id, source="City wire", speaker_kind="official")
    await store.enqueue_alert(alert, sort_key="2026-01-05T09:00:00+00:00")
    platform = RecordingPlatform()
    await Outbox(store, {"console": platform}, Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))).deliver_once("console")
    assert platform.kinds() == ["statement"]


def test_rate_words_parse():
    assert parse_changes(["rate=10/hour"]) == {"rate": [10, 3600]}
    assert parse_changes(["rate=10/1h"]) == {"rate": [10, 3600]}
    assert parse_changes(["rate=3/day"]) == {"rate": [3, 86400]}
    assert parse_changes(["rate=7"]) == {"rate": [7, 3600]}


@pytest.mark.parametrize(
    ("at", "tz", "shown"),
    [("2025-12-29T05:10:00Z", "UTC", "2025-12-29 05:10 UTC"),
     ("2025-12-29T05:10:00+00:00", "UTC", "2025-12-29 05:10 UTC"),  # 'Z' and '+00:00' read the same
     ("2025-12-29T05:10:00", "UTC", "2025-12-29 05:10 UTC"),  # stored naive times are UTC
     ("2025-12-29T08:10:00+03:00", "UTC", "2025-12-29 05:10 UTC"),
     ("2025-12-29T05:10:00+00:00", "Europe/Berlin", "2025-12-29 06:10 CET"),
     ("2025-07-01T05:10:00+00:00", "Europe/Berlin", "2025-07-01 07:10 CEST"),
     ("2025-12-29T05:10:00+00:00", "America/Sao_Paulo", "2025-12-29 02:10 UTC-03"),
     ("2025-12-29T05:10:00+00:00", "Nowhere/Atlantis", "2025-12-29 05:10 UTC"),
     ("yesterday-ish", "UTC", "yesterday-ish"), (None, "UTC", "?")],
)
def test_times_are_shown_in_one_format_with_a_zone(at, tz, shown):
    assert show_time(at, tz) == shown


@pytest.mark.parametrize(
    ("at", "tz", "shown"),
    [("2025-12-29T05:10:03.120+00:00", "UTC", "2025-12-29 05:10:03 UTC"),  # a lease (bot.leases.iso)
     ("2025-12-29T05:10:03.120+00:00", "Europe/Berlin", "2025-12-29 06:10:03 CET"),
     ("2025-12-29T05:10:03+00:00", "Asia/Kolkata", "2025-12-29 10:40:03 IST")],
)
def test_lease_times_are_shown_to_the_second_with_a_zone(at, tz, shown):
    assert show_time(at, tz, seconds=True) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [("https://news.example.org/a?utm_source=rss&utm_medium=feed", "https://news.example.org/a"),
     ("https://news.example.org/a?id=7&fbclid=xyz&gclid=1", "https://news.example.org/a?id=7"),
     ("https://news.example.org/a?page=2&mc_cid=9#top", "https://news.example.org/a?page=2#top"),
     ("https://news.example.org/a?msclkid=1&_ga=2&igshid=3", "https://news.example.org/a"),
     ("https://news.example.org/a?q=drone", "https://news.example.org/a?q=drone"),
     ("http://[zz/broken?utm_source=x", "http://[zz/broken?utm_source=x"),  # unparseable: shown as it was
     ("", ""), (None, "")],
)
def test_links_lose_tracking_parameters(url, shown):
    assert shown_link(url) == shown
