"""Versioned schema migrations, applied in order at start-up inside one transaction each."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from storage.schema_v1 import V1


def _script(db: sqlite_utils.Database, sql: str) -> None:
    # executescript() would COMMIT the migration's transaction early, so run statements one by one.
    for stmt in sql.split(";"):
        if stmt.strip():
            db.execute(stmt)


def _v1(db: sqlite_utils.Database) -> None:
    _script(db, V1)
    # Lexical lookup of claims by words (`/claim status drone residence`).
    db["claims"].enable_fts(["text", "keywords"], create_triggers=True, tokenize="porter")


V2 = """
CREATE TABLE threads (
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    claim_id INTEGER NOT NULL,
    thread_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (platform, channel, claim_id)
);
CREATE TABLE reviews (
    alert_id INTEGER PRIMARY KEY REFERENCES alerts(id),
    reviewed_by TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
)
"""


def _v2(db: sqlite_utils.Database) -> None:
    _script(db, V2)


V3 = """
ALTER TABLE documents ADD COLUMN story_id INTEGER;
ALTER TABLE documents ADD COLUMN signature BLOB;
CREATE INDEX documents_story ON documents(story_id);
CREATE TABLE document_bands (
    band INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    PRIMARY KEY (band, document_id)
) WITHOUT ROWID;
CREATE TABLE outlets (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    source_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    similarity REAL NOT NULL DEFAULT 1.0,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (document_id, source_id, canonical_url)
);
CREATE INDEX outlets_canonical ON outlets(canonical_url);
UPDATE documents SET story_id = id WHERE version = 1;
UPDATE documents SET story_id = (SELECT MIN(d.id) FROM documents d WHERE d.canonical_url = documents.canonical_url)
    WHERE story_id IS NULL;
INSERT OR IGNORE INTO outlets (document_id, source_id, url, canonical_url, title, published_at, seen_at)
    SELECT id, source_id, url, canonical_url, title, published_at, fetched_at FROM documents WHERE version = 1
"""


def _v3(db: sqlite_utils.Database) -> None:
    # Ingestion: versions of one story share story_id; MinHash signature + LSH bands find
    # syndicated copies; outlets lists every source that carried a story (copies are not documents).
    _script(db, V3)
    if getattr(db, "is_postgres", False):
        # Outlets are listed in the order they were seen, ties broken by SQLite's implicit rowid:
        # PostgreSQL has none, so it gets a real column of that name.
        db.execute("ALTER TABLE outlets ADD COLUMN rowid BIGSERIAL")


V4 = """
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    quantity TEXT NOT NULL,
    label TEXT NOT NULL,
    value_a REAL NOT NULL,
    value_b REAL NOT NULL,
    statement_a INTEGER NOT NULL REFERENCES statements(id),
    statement_b INTEGER NOT NULL REFERENCES statements(id),
    created_at TEXT NOT NULL,
    alert_id INTEGER,
    UNIQUE(claim_id, quantity, value_a, value_b)
);
CREATE TABLE alert_policies (
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    claim_id INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, channel, claim_id)
);
CREATE TABLE stories (
    claim_id INTEGER NOT NULL,
    story_key TEXT NOT NULL,
    alert_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, story_key)
);
CREATE TABLE story_copies (
    alert_id INTEGER PRIMARY KEY,
    first_alert_id INTEGER NOT NULL,
    outlet TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE deliveries ADD COLUMN held_at TEXT;
ALTER TABLE deliveries ADD COLUMN held_reason TEXT;
ALTER TABLE deliveries ADD COLUMN digest_id INTEGER;
CREATE INDEX deliveries_channel ON deliveries(platform, channel, status)
"""


def _v4(db: sqlite_utils.Database) -> None:
    # Ledger and alert policy: conflicting figures, per-channel/per-claim settings, story folding,
    # and held (digest) deliveries. Statuses added to deliveries: held, digested, filtered, folded.
    _script(db, V4)


def _v5(db: sqlite_utils.Database) -> None:
    # Exactly-once delivery: the outbox records that a send began before calling the platform, so a
    # crash between the platform's answer and record_sent is seen on restart (the adapter then checks
    # whether the message is already there instead of posting it again).
    _script(db, "ALTER TABLE deliveries ADD COLUMN send_started_at TEXT")


V6 = """
CREATE TABLE figure_quantities (
    claim_id INTEGER NOT NULL,
    statement_id INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    quantity TEXT NOT NULL,
    unit TEXT NOT NULL,
    action TEXT NOT NULL,
    scope TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL NOT NULL,
    approximate INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (claim_id, statement_id, pos)
);
CREATE INDEX figure_quantities_key ON figure_quantities(claim_id, quantity, at, statement_id, pos);
CREATE TABLE figure_index (
    claim_id INTEGER PRIMARY KEY,
    through_match INTEGER NOT NULL,
    parser TEXT NOT NULL
);
CREATE INDEX matches_claim_id ON matches(claim_id, id)
"""


def _v6(db: sqlite_utils.Database) -> None:
    # Ledger: each matched statement's counted figures parsed once per claim, so the conflict check
    # after a stored document reads only same-quantity rows instead of re-parsing every statement.
    # No backfill here: figure_index says how far each claim is indexed (by match id), and the
    # conflict step catches a claim up on first use, with the parser of the running code.
    _script(db, V6)


V7 = """
ALTER TABLE matches ADD COLUMN tier TEXT NOT NULL DEFAULT 'alert';
ALTER TABLE matches ADD COLUMN review TEXT;
ALTER TABLE matches ADD COLUMN reviewed_by TEXT;
ALTER TABLE matches ADD COLUMN reviewed_at TEXT;
ALTER TABLE matches ADD COLUMN judged_stance TEXT;
ALTER TABLE matches ADD COLUMN detail TEXT;
CREATE INDEX matches_claim_tier ON matches(claim_id, tier, review)
"""


def _v7(db: sqlite_utils.Database) -> None:
    # Two tiers: 'alert' matches alert, 'possible' ones wait for a moderator's review. A review
    # ('confirmed' or 'rejected') and a stance correction (judged_stance keeps the judge's own) change
    # the ledger at once; detail keeps the judge's reasons (JSON) for /claim why.
    _script(db, V7)


V8 = """
ALTER TABLE sources ADD COLUMN lease_owner TEXT;
ALTER TABLE sources ADD COLUMN lease_until TEXT;
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL,
    acquired_at TEXT NOT NULL
);
CREATE TABLE sync_versions (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO sync_versions (name, version) VALUES ('claims', 0)
"""


def _v8(db: sqlite_utils.Database) -> None:
    # Several processes on one PostgreSQL: a source is fetched by whoever leased it (owner, expiry);
    # named leases make the outbox pass and gateway sessions one process's at a time; the claims
    # version tells every process to reload its judge index. On SQLite one process holds them all.
    _script(db, V8)


Migration = Callable[[sqlite_utils.Database], None]
MIGRATION_LOCK = 0x636C_6D01  # PostgreSQL advisory-lock key held while migrating

# Append only: never edit a migration that has shipped.
MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema", _v1),
    (2, "chat threads per claim and alert reviews", _v2),
    (3, "ingestion: story versions, near-duplicate signatures, outlets per document", _v3),
    (4, "claim ledger: conflicts, alert policies, stories, held deliveries", _v4),
    (5, "deliveries: when a send began, to detect sends a crash left unrecorded", _v5),
    (6, "ledger: figure quantities indexed per claim for the conflict check", _v6),
    (7, "matches: alert/possible tiers, moderator reviews and corrections, judge detail", _v7),
    (8, "several processes: source leases, named leases, claims version", _v8),
]


def current_version(db: sqlite_utils.Database) -> int:
    """Highest applied migration, 0 for an empty database."""
    if "schema_migrations" not in db.table_names():
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite_utils.Database, now: str) -> list[int]:
    """Apply every pending migration; returns the versions applied."""
    if getattr(db, "is_postgres", False):
        # Processes starting together on one PostgreSQL migrate one after another; the lock ends with
        # the session, so a process killed mid-migration never leaves it held.
        db.execute("SELECT pg_advisory_lock(?)", [MIGRATION_LOCK])
        try:
            return _apply(db, now)
        finally:
            db.execute("SELECT pg_advisory_unlock(?)", [MIGRATION_LOCK])
    return _apply(db, now)


def _apply(db: sqlite_utils.Database, now: str) -> list[int]:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = []
    # Apply every missing version, not just those above the highest: a version merged late is not skipped.
    have = {r[0] for r in db.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, name, fn in MIGRATIONS:
        if version in have:
            continue
        with db.atomic():
            fn(db)
            db["schema_migrations"].insert({"version": version, "name": name, "applied_at": now})
        applied.append(version)
    return applied
