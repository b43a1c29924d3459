"""The first schema (migration 1), kept as written: later versions change it through migrations only."""

V1 = """
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    slug TEXT UNIQUE,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'unverified',
    note TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '[]',
    threshold REAL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'feed',
    label TEXT NOT NULL DEFAULT '',
    speaker_kind TEXT NOT NULL DEFAULT 'unknown',
    interval_s INTEGER NOT NULL DEFAULT 600,
    state TEXT NOT NULL DEFAULT 'active',
    quiet_first INTEGER NOT NULL DEFAULT 1,
    allow_private INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    last_fetch_at TEXT,
    last_ok_at TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_fetch_at TEXT,
    fetch_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    guid TEXT,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    published_at TEXT,
    fetched_at TEXT NOT NULL,
    author TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    quiet INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_canonical ON documents(canonical_url);
CREATE INDEX documents_guid ON documents(source_id, guid);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT,
    speaker_role TEXT,
    cue TEXT,
    cue_type TEXT,
    figures TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX statements_document ON statements(document_id);
CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    score REAL NOT NULL,
    stance TEXT NOT NULL,
    confidence REAL NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE(statement_id, claim_id)
);
CREATE INDEX matches_claim ON matches(claim_id, stance);
CREATE TABLE watches (
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, platform, channel)
);
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER,
    match_id INTEGER,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE deliveries (
    alert_id INTEGER NOT NULL REFERENCES alerts(id),
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    message_id TEXT,
    thread_id TEXT,
    sent_at TEXT,
    PRIMARY KEY (alert_id, platform, channel)
);
CREATE INDEX deliveries_pending ON deliveries(platform, status);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    allowed INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""
