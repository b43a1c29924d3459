"""Migrations on an empty database and on a database left at an earlier version."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import sqlite_utils

from storage import Store
from storage.migrations import MIGRATIONS, current_version, migrate
from storage.tiers import COUNTED, counts


async def test_empty_database_gets_every_migration(tmp_path):
    store = Store(tmp_path / "new.db")
    applied = await store.open()
    assert applied == [v for v, _, _ in MIGRATIONS]
    assert await store.schema_version() == MIGRATIONS[-1][0]
    await store.close()
    again = Store(tmp_path / "new.db")
    assert await again.open() == []
    await again.close()


async def test_previous_version_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    version, name, first = MIGRATIONS[0]
    with db.atomic():
        first(db)
        db["schema_migrations"].insert({"version": version, "name": name, "applied_at": "2026-01-01"})
    db.execute(
        "INSERT INTO claims (text, created_at, updated_at) VALUES ('An older claim', '2026-01-01', '2026-01-01')"
    )
    assert current_version(db) == 1
    db.close()
    store = Store(path)
    applied = await store.open()
    assert applied == [v for v, _, _ in MIGRATIONS[1:]]
    claims = await store.list_claims()
    assert [c.text for c in claims] == ["An older claim"]
    assert await store.find_claims("older")
    await store.close()


def test_migrations_are_numbered_in_order():
    versions = [v for v, _, _ in MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))


def test_migrate_is_idempotent_in_memory():
    db = sqlite_utils.Database(memory=True)
    assert migrate(db, "2026-01-01") == [v for v, _, _ in MIGRATIONS]
    assert migrate(db, "2026-01-02") == []


def test_missing_middle_version_is_still_applied():
    db = sqlite_utils.Database(memory=True)
    migrate(db, "2026-01-01")
    last = MIGRATIONS[-1][0]
    if last < 2:
        return
    # Simulate a database that got a later version before an earlier one was merged.
    db.execute("DELETE FROM schema_migrations WHERE version = 2")
    db.execute("DROP TABLE reviews")
    db.execute("DROP TABLE threads")
    assert migrate(db, "2026-01-02") == [2]
    assert {"threads", "reviews"} <= set(db.table_names())


async def test_released_v6_database_keeps_its_matches_counted_after_v7(tmp_path):
    # A database exactly as the last release (schema 6) left it, with one matched statement.
    path = tmp_path / "v6.db"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    released = [m for m in MIGRATIONS if m[0] <= 6]
    assert [v for v, _, _ in released] == [1, 2, 3, 4, 5, 6]
    for version, name, fn in released:
        with db.atomic():
            fn(db)
            db["schema_migrations"].insert({"version": version, "name": name, "applied_at": "2026-01-01"})
    assert current_version(db) == 6
    at = "2026-01-02T10:00:00+00:00"
    claim = db.execute("INSERT INTO claims (text, created_at, updated_at) VALUES ('The bridge closed', ?, ?)",
                       [at, at]).lastrowid
    source = db.execute("INSERT INTO sources (url, label, created_at) VALUES ('https://news.example/feed', "
                        "'News', ?)", [at]).lastrowid
    doc = db.execute("INSERT INTO documents (source_id, url, canonical_url, title, content_hash, published_at, "
                     "fetched_at) VALUES (?, 'https://news.example/a', 'https://news.example/a', 'A', 'h', ?, ?)",
                     [source, at, at]).lastrowid
    statement = db.execute("INSERT INTO statements (document_id, seq, text) VALUES (?, 0, 'The bridge closed.')",
                           [doc]).lastrowid
    match = db.execute("INSERT INTO matches (statement_id, claim_id, score, stance, confidence, created_at) "
                       "VALUES (?, ?, 0.8, 'supports', 0.9, ?)", [statement, claim, at]).lastrowid
    db.close()

    store = Store(path)
    assert await store.open() == [v for v, _, _ in MIGRATIONS if v > 6]
    info = await store.get_match(match)
    assert info is not None
    assert (info.tier, info.review, info.reviewed_by, info.judged_stance, info.detail) == (
        "alert", None, None, None, None)
    assert counts(info.tier, info.review)
    assert await store.stance_counts(claim) == {"supports": 1}
    assert await store.evidence_count(claim) == 1
    assert await store.possible_count(claim) == 0
    counted = await store.run(
        lambda: store.db.execute(f"SELECT m.id FROM matches m WHERE {COUNTED}").fetchall())
    assert [r[0] for r in counted] == [match]
    await store.close()


async def test_postgres_gets_every_migration_once(pg_url):
    store = Store(pg_url)
    assert await store.open() == [v for v, _, _ in MIGRATIONS]
    assert await store.schema_version() == MIGRATIONS[-1][0]
    await store.close()
    again = Store(pg_url)
    assert await again.open() == []
    await again.close()


async def test_processes_starting_together_migrate_once(pg_url):
    stores = [Store(pg_url) for _ in range(3)]
    applied = await asyncio.gather(*(s.open() for s in stores))
    assert sorted(applied, key=len) == [[], [], [v for v, _, _ in MIGRATIONS]]
    for s in stores:
        await s.close()


def _columns_sqlite(db: sqlite_utils.Database) -> dict[str, list[str]]:
    return {t: [c.name for c in db[t].columns] for t in db.table_names() if not t.startswith("claims_fts")}


async def test_both_backends_build_the_same_tables_and_columns(pg_url):
    sqlite_db = sqlite_utils.Database(memory=True)
    migrate(sqlite_db, "2026-01-01")
    store = Store(pg_url)
    await store.open()
    rows = await store.run(lambda: store.db.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position").fetchall())
    await store.close()
    pg: dict[str, list[str]] = {}
    for table, column in rows:
        pg.setdefault(table, []).append(column)
    # PostgreSQL has no implicit rowid: outlets carries one as a column (migration 3).
    assert pg.pop("outlets") == [*_columns_sqlite(sqlite_db)["outlets"], "rowid"]
    assert pg == {t: c for t, c in _columns_sqlite(sqlite_db).items() if t != "outlets"}


async def test_postgres_refuses_an_unreachable_server_in_one_line():
    from storage import StoreUnavailable

    store = Store("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StoreUnavailable) as err:
        await store.open()
    assert str(err.value).startswith("cannot reach PostgreSQL at postgresql://nobody@127.0.0.1:1/none")
    await store.close()


async def test_released_v7_database_keeps_its_queue_and_sources_after_v8(tmp_path):
    # A database as the last release (schema 7, 30fc3f6) left it: a due source and an undelivered alert.
    path = tmp_path / "v7.db"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    released = [m for m in MIGRATIONS if m[0] <= 7]
    assert [v for v, _, _ in released] == [1, 2, 3, 4, 5, 6, 7]
    for version, name, fn in released:
        with db.atomic():
            fn(db)
            db["schema_migrations"].insert({"version": version, "name": name, "applied_at": "2026-11-30"})
    at = "2026-11-30T10:00:00+00:00"
    claim = db.execute("INSERT INTO claims (text, created_at, updated_at) VALUES ('The ferry was suspended', ?, ?)",
                       [at, at]).lastrowid
    source = db.execute("INSERT INTO sources (url, label, created_at) VALUES ('https://news.example/feed', "
                        "'News', ?)", [at]).lastrowid
    payload = ('{"title": "SUPPORTS: claim #1", "text": "The ferry stopped.", "claim_id": 1, '
               '"stance": "supports", "speaker": "the port", "source": "News"}')  # the v7 payload shape
    alert = db.execute("INSERT INTO alerts (claim_id, kind, payload, sort_key, created_at) VALUES "
                       "(?, 'statement', ?, ?, ?)", [claim, payload, at, at]).lastrowid
    db.execute("INSERT INTO deliveries (alert_id, platform, channel) VALUES (?, 'slack', 'C1')", [alert])
    db.close()

    store = Store(path)
    assert await store.open() == [v for v, _, _ in MIGRATIONS if v > 7]
    [leased] = await store.lease_due_sources("host:1", "2026-12-01T00:00:00+00:00", "2026-12-01T00:01:00+00:00")
    assert leased.id == source
    [pending] = await store.pending_deliveries("slack", "2026-12-01T00:00:00+00:00")
    assert pending.alert.id == alert
    content = pending.alert.content
    assert (content.text, content.stance, content.speaker, content.claim_id) == ("The ferry stopped.", "supports",
                                                                                 "the port", 1)
    assert isinstance(await store.claims_version(), int)
    await store.close()
