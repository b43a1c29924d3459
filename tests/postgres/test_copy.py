"""`claimwatch db copy`: SQLite -> PostgreSQL -> SQLite keeps every row and the same /claim status."""

from __future__ import annotations

import pytest

from bot import cli
from bot.judging import JudgeService
from bot.platform import Actor, Command
from handlers import Dispatcher, Moderators, Services
from storage import Store
from storage.copy import table_order
from tests.ledger.stories import add_story, load_story, poll_story


async def _fill(path: str, feed_server) -> None:
    store = Store(path)
    await store.open()
    story = load_story("drone_residence")
    await add_story(store, feed_server, story)
    await store.watch(1, "console", "newsroom", "mod")
    await poll_story(store, story)
    await store.close()


async def _status(url: str, lexical_judge: JudgeService) -> tuple[str, dict[str, int], list[tuple]]:
    store = Store(url)
    await store.open()
    try:
        dispatch = Dispatcher(Services(store=store, judge=lexical_judge,
                                       moderators=Moderators(users={"console": {"mod"}})))
        reply = await dispatch(Command("claim", "status 1", Actor("console", "reader", "reader"), "newsroom"))
        counts = {t: (await store.run(lambda t=t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()))[0]
                  for t in table_order()}
        matches = await store.run(lambda: [tuple(r) for r in store.db.execute(
            "SELECT id, statement_id, claim_id, score, stance, confidence, tier FROM matches ORDER BY id")])
        return reply.text, counts, matches
    finally:
        await store.close()


async def test_sqlite_to_postgres_and_back_keeps_rows_and_status(tmp_path, pg_url, feed_server,
                                                                 lexical_judge, capsys):
    first, back = str(tmp_path / "first.db"), str(tmp_path / "back.db")
    await _fill(first, feed_server)
    text, counts, matches = await _status(first, lexical_judge)
    assert text.startswith("Claim #1") and counts["matches"] > 0 and counts["deliveries"] > 0

    assert await _run(["db", "copy", first, pg_url]) == 0
    out = capsys.readouterr()
    printed = dict(line.split() for line in out.out.splitlines())
    assert {t: int(n) for t, n in printed.items()} == counts
    assert "row(s) in" in out.err
    assert await _status(pg_url, lexical_judge) == (text, counts, matches)

    assert await _run(["db", "copy", pg_url, back]) == 0
    assert await _status(back, lexical_judge) == (text, counts, matches)

    # New rows continue after the copied ids on PostgreSQL (its sequences were moved on).
    store = Store(pg_url)
    await store.open()
    claim = await store.add_claim("A claim added after the move")
    assert claim.id == counts["claims"] + 1
    await store.close()


async def test_non_empty_target_is_refused_unless_forced(tmp_path, pg_url, feed_server, capsys):
    src = str(tmp_path / "src.db")
    await _fill(src, feed_server)
    assert await _run(["db", "copy", src, pg_url]) == 0
    capsys.readouterr()
    assert await _run(["db", "copy", src, pg_url]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "already holds rows" in err and "--force" in err and err.count("\n") == 1
    assert await _run(["db", "copy", src, pg_url, "--force"]) == 0


async def test_bad_arguments_get_one_line(tmp_path, capsys):
    assert await _run(["db", "copy", str(tmp_path / "none.db"), str(tmp_path / "t.db")]) == cli.EXIT_USAGE
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    assert await _run(["db", "copy", "mysql://x@y/z", str(tmp_path / "t.db")]) == cli.EXIT_USAGE
    assert "unknown scheme mysql://" in capsys.readouterr().err


async def _run(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(cli.main, argv)


@pytest.fixture(autouse=True)
def _quiet_pg(pg_server):
    """Every test here needs the server."""
