"""Backups taken while the store writes restore to the same /claim status; retention keeps the ledger."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import RetentionSection
from bot.judging import JudgeService
from bot.ops.retention import prune_once
from handlers import Dispatcher, Moderators, Services
from storage import Store
from storage.backup import BackupError, backup, restore
from storage.lock import FileLock
from storage.migrations import MIGRATIONS
from tests.conftest import Chat
from tests.ledger.stories import add_story, load_story, poll_story
from tests.ops.test_startup import bot_env

KEPT = ("matches", "alerts", "deliveries", "audit", "conflicts", "claims", "documents")


@pytest.fixture
async def drone(store, feed_server):
    story = load_story("drone_residence")
    await add_story(store, feed_server, story)
    await poll_story(store, story)


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        out = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in KEPT}
        out["statements"] = conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0]
        out["matched"] = conn.execute(
            "SELECT COUNT(*) FROM statements s WHERE EXISTS (SELECT 1 FROM matches m WHERE m.statement_id = s.id)"
        ).fetchone()[0]
        out["texts"] = conn.execute("SELECT COUNT(*) FROM documents WHERE text <> ''").fetchone()[0]
    return out


async def status_of(path: Path, lexical_judge: JudgeService) -> str:
    store = Store(path)
    await store.open()
    try:
        chat = Chat(Dispatcher(Services(store=store, judge=lexical_judge, moderators=Moderators())))
        reply = await chat("/claim status 1", user="reader")
        assert reply.ok, reply.text
        return reply.text
    finally:
        await store.close()


async def test_backup_restore_and_retention_keep_claim_status(
        store: Store, chat: Chat, drone: None, lexical_judge: JudgeService, tmp_path: Path) -> None:
    db = Path(store.path)
    before = (await chat("/claim status 1", user="reader")).text
    assert "Claim #1" in before
    # Taken while the store's connection is open and WAL-mode writes are un-checkpointed.
    info = backup(db, tmp_path / "backup.db")
    assert info.claims >= 1 and info.documents >= 1 and info.schema_version >= 7
    assert (tmp_path / "backup.db").is_file() and not (tmp_path / "backup.db.partial").exists()

    # Retention as of a year from now, keeping 30 days: every body and unmatched statement is old.
    full = counts(db)
    assert full["statements"] > full["matched"] > 0 and full["texts"] > 0
    result = await prune_once(store, RetentionSection(document_text_days=30, unmatched_statements_days=30),
                              now=datetime.now(UTC) + timedelta(days=365))
    assert result.texts_cleared == full["texts"]
    assert result.statements_deleted == full["statements"] - full["matched"]
    pruned = counts(db)
    assert pruned["statements"] == pruned["matched"] == full["matched"] and pruned["texts"] == 0
    assert {t: pruned[t] for t in KEPT} == {t: full[t] for t in KEPT}
    assert (await chat("/claim status 1", user="reader")).text == before
    again = await prune_once(store, RetentionSection(document_text_days=30, unmatched_statements_days=30),
                             now=datetime.now(UTC) + timedelta(days=365))
    assert (again.texts_cleared, again.statements_deleted) == (0, 0)

    # A change after the backup, then restore: the status is the backup's again.
    assert (await chat("/claim set 1 false no evidence")).ok
    changed = (await chat("/claim status 1", user="reader")).text
    assert changed != before
    await store.run(store._close)  # the bot stops (its connection closes)
    info, previous = restore(tmp_path / "backup.db", db)
    assert previous == db.with_name(db.name + ".before-restore")
    assert await status_of(db, lexical_judge) == before
    assert await status_of(previous, lexical_judge) == changed  # the replaced database is kept
    assert counts(db) == full  # the backup predates the pruning
    await store.run(store._open)  # the fixture closes it


async def test_recent_rows_are_kept_and_zero_means_forever(store: Store, drone: None) -> None:
    full = counts(Path(store.path))
    kept = await prune_once(store, RetentionSection(document_text_days=30, unmatched_statements_days=30))
    assert (kept.texts_cleared, kept.statements_deleted) == (0, 0)  # everything is minutes old
    never = await prune_once(store, RetentionSection(), now=datetime.now(UTC) + timedelta(days=9999))
    assert (never.texts_cleared, never.statements_deleted) == (0, 0)
    assert counts(Path(store.path)) == full


def test_restore_refuses_a_running_bot_a_non_database_and_a_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    good = tmp_path / "good.db"
    with sqlite3.connect(good) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        conn.execute("CREATE TABLE claims (id INTEGER)")
        conn.execute("CREATE TABLE documents (id INTEGER)")
        conn.execute("INSERT INTO schema_migrations VALUES (7, 'x', 'now')")
    lock = FileLock(db)  # as a running bot's store holds it
    lock.acquire()
    try:
        with pytest.raises(BackupError, match="the bot is running on this database"):
            restore(good, db)
    finally:
        lock.release()
    restore(good, db)  # once the bot is stopped
    (tmp_path / "notes.txt").write_text("not a database, just words " * 100, encoding="utf-8")
    with pytest.raises(BackupError, match="not a SQLite database|not a Claimwatch database"):
        restore(tmp_path / "notes.txt", db)
    with sqlite3.connect(good) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    with pytest.raises(BackupError, match="schema version 999 is newer"):
        restore(good, db)
    with pytest.raises(BackupError, match="no such database"):
        backup(tmp_path / "missing.db", tmp_path / "b.db")
    with pytest.raises(BackupError, match="must not be the database itself"):
        backup(db, db)
    assert not (tmp_path / "missing.db").exists()


async def test_backup_and_restore_commands(store: Store, drone: None, tmp_path: Path) -> None:
    env = bot_env(tmp_path, CLAIMWATCH_DB=str(store.path))

    async def claimwatch(*args: str) -> tuple[int, str, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        return proc.returncode or 0, out.decode(), err.decode()

    rc, out, err = await claimwatch("backup", str(tmp_path / "nightly.db"))
    assert rc == 0, err
    assert out.startswith(f"claimwatch backup: {store.path} -> {tmp_path / 'nightly.db'} (")
    assert f"schema version {len(MIGRATIONS)}" in out
    lock = FileLock(Path(store.path))  # as `claimwatch run` holds it
    lock.acquire()
    try:
        rc, out, err = await claimwatch("restore", str(tmp_path / "nightly.db"))
    finally:
        lock.release()
    assert rc == 2 and err.strip().endswith("the bot is running on this database; stop it, then restore")
    rc, _, err = await claimwatch("backup", str(tmp_path / "x.db"), "--db", "postgresql://db/claimwatch")
    assert rc == 2 and "pg_dump" in err


async def test_prune_command_applies_the_retention_section(store: Store, drone: None, tmp_path: Path) -> None:
    config = tmp_path / "retention.toml"
    env = bot_env(tmp_path, CLAIMWATCH_DB=str(store.path))

    async def prune() -> tuple[int, str, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "prune", "--config", str(config), cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        return proc.returncode or 0, out.decode(), err.decode()

    config.write_text("[retention]\n", encoding="utf-8")
    rc, _, err = await prune()
    assert rc == 2 and "[retention] sets no limit" in err
    config.write_text("[retention]\ndocument_text_days = 1\nunmatched_statements_days = 1\n", encoding="utf-8")
    rc, out, err = await prune()  # everything is minutes old: nothing goes
    assert rc == 0, err
    assert out.strip() == "claimwatch prune: cleared 0 document text(s), deleted 0 unmatched statement(s)"
    assert counts(Path(store.path))["texts"] > 0
