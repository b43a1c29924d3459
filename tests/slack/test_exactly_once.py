"""A crash between Slack's answer and the outbox's record must not post an alert twice."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.adapters.slack_delivery import SlackDelivery
from bot.adapters.slack_lookup import ALERT_EVENT, THREAD_EVENT
from bot.alert_types import SourcePaused
from bot.alerts import Outbox
from tests.slack.conftest import CHANNEL, Harness
from tests.slack.test_alerts import queue


class Crash(Exception):
    """Stands in for kill -9: the process dies before it records anything."""


def crash_once(h: Harness, method: str) -> None:
    """Make one store method raise on its next call, as if the process died right there."""
    real = getattr(h.store, method)
    state = {"armed": True}

    async def dying(*args: Any, **kwargs: Any) -> Any:
        if state["armed"]:
            state["armed"] = False
            raise Crash(method)
        return await real(*args, **kwargs)

    setattr(h.store, method, dying)


def restart(h: Harness) -> Outbox:
    """What survives a restart is the database: a fresh outbox and a fresh Slack delivery."""
    h.adapter.delivery = SlackDelivery(h.adapter.client, h.store)
    return Outbox(h.store, {"slack": h.adapter}, clock=h.clock)


def tagged(h: Harness, event: str) -> list[dict[str, Any]]:
    """Messages in the alert channel carrying our metadata of one event type."""
    return [m for m in h.fake.posted(CHANNEL) if (m.get("metadata") or {}).get("event_type") == event]


async def delivery(h: Harness, alert_id: int) -> dict[str, Any]:
    rows = await h.store.run(lambda: list(h.store.db.query("SELECT * FROM deliveries WHERE alert_id = ?",
                                                           [alert_id])))
    return dict(rows[0])


@pytest.fixture(autouse=True)
def real_ts(slack: Harness) -> None:
    """Message ts near the real time, so history looked up since the first attempt finds them."""
    slack.fake.ts_base = int(time.time())


async def test_alert_posted_but_not_recorded_is_found_in_its_thread(slack: Harness) -> None:
    alert_id = await queue(slack, "An official said the port closed to cargo in March.")
    crash_once(slack, "record_sent")
    with pytest.raises(Crash):
        await slack.outbox.deliver_once("slack")
    assert len(tagged(slack, ALERT_EVENT)) == 1  # Slack has it; the database does not know
    assert (await delivery(slack, alert_id))["status"] == "pending"

    assert await restart(slack).deliver_once("slack") == 1
    [alert] = tagged(slack, ALERT_EVENT)
    assert alert["metadata"]["event_payload"] == {"alert_id": alert_id, "channel": CHANNEL,
                                                  "key": f"claimwatch:{alert_id}:slack:{CHANNEL}"}
    assert len(tagged(slack, THREAD_EVENT)) == 1
    [look] = slack.fake.called("conversations.replies")
    assert look["ts"] == alert["thread_ts"] and look["include_all_metadata"] in ("1", "true")
    row = await delivery(slack, alert_id)
    assert row["status"] == "sent" and row["message_id"] == alert["ts"]
    # Recorded now: a later pass neither looks nor posts.
    assert await restart(slack).deliver_once("slack") == 0
    assert len(slack.fake.called("conversations.replies")) == 1 and len(tagged(slack, ALERT_EVENT)) == 1


async def test_later_alerts_wait_behind_the_unrecorded_one_and_keep_order(slack: Harness) -> None:
    first = await queue(slack, "The port was shut to cargo ships in March, officials said.", sort_key="a")
    second = await queue(slack, "Cargo moved normally, shipping agents said.", stance="refutes", sort_key="b")
    crash_once(slack, "record_sent")
    with pytest.raises(Crash):
        await slack.outbox.deliver_once("slack")
    assert [m["metadata"]["event_payload"]["alert_id"] for m in tagged(slack, ALERT_EVENT)] == [first]
    assert await restart(slack).deliver_once("slack") == 2
    assert [m["metadata"]["event_payload"]["alert_id"] for m in tagged(slack, ALERT_EVENT)] == [first, second]


async def test_thread_parent_posted_but_not_stored_is_reused(slack: Harness) -> None:
    alert_id = await queue(slack, "The harbour authority confirmed the March closure.")
    crash_once(slack, "set_thread")
    assert await slack.outbox.deliver_once("slack") == 0  # the send failed after the parent went out
    assert len(tagged(slack, THREAD_EVENT)) == 1 and not tagged(slack, ALERT_EVENT)
    slack.clock.advance(60)
    assert await restart(slack).deliver_once("slack") == 1
    [parent] = tagged(slack, THREAD_EVENT)
    [alert] = tagged(slack, ALERT_EVENT)
    assert alert["thread_ts"] == parent["ts"] == await slack.store.get_thread("slack", CHANNEL, 1)
    assert slack.fake.called("conversations.history")[0]["include_all_metadata"] in ("1", "true")
    assert (await delivery(slack, alert_id))["status"] == "sent"


async def test_top_level_alert_is_found_in_channel_history(slack: Harness) -> None:
    alert_id = await slack.store.enqueue_alert(
        SourcePaused(title="Source paused", text="Harbour Wire failed 5 times."), destinations=[("slack", CHANNEL)])
    for n in range(3):  # other messages in the channel since; history pages through them
        slack.fake.channels.setdefault(CHANNEL, []).append(
            {"type": "message", "ts": f"{slack.fake.ts_base}.9{n:05d}", "text": "chatter", "user": "U0USER"})
    crash_once(slack, "record_sent")
    with pytest.raises(Crash):
        await slack.outbox.deliver_once("slack")
    assert await restart(slack).deliver_once("slack") == 1
    assert len(tagged(slack, ALERT_EVENT)) == 1
    assert slack.fake.called("conversations.history")
    assert (await delivery(slack, alert_id))["message_id"] == tagged(slack, ALERT_EVENT)[0]["ts"]


async def test_attempt_that_died_before_posting_posts_once(slack: Harness) -> None:
    alert_id = await queue(slack, "The port was closed in March, a minister said.")
    # Killed after the attempt was noted but before Slack was called: the look finds nothing.
    await slack.store.begin_send(alert_id, "slack", CHANNEL, slack.clock().isoformat(timespec="seconds"))
    assert await restart(slack).deliver_once("slack") == 1
    assert len(tagged(slack, ALERT_EVENT)) == 1 and len(tagged(slack, THREAD_EVENT)) == 1
    assert slack.fake.called("conversations.history")  # looked for a parent, found none, started one


async def test_without_history_scope_the_alert_is_still_posted(slack: Harness) -> None:
    alert_id = await queue(slack, "The port closure was lifted in April.")
    await slack.outbox.deliver_once("slack")  # thread exists now
    # As if the record had been lost: pending again, with an attempt noted.
    await slack.store.run(lambda: slack.store.db.execute(
        "UPDATE deliveries SET status = 'pending' WHERE alert_id = ?", [alert_id]))
    await slack.store.begin_send(alert_id, "slack", CHANNEL, slack.clock().isoformat(timespec="seconds"))
    slack.fake.fail("conversations.replies", 200, "missing_scope")
    assert await restart(slack).deliver_once("slack") == 1
    # It cannot check, so it posts rather than lose the alert (the README asks for the scopes).
    assert len(tagged(slack, ALERT_EVENT)) == 2
