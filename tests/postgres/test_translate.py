"""The SQLite -> PostgreSQL spelling the PostgreSQL backend applies to every statement (pure)."""

from __future__ import annotations

import pytest

from storage.pg import translate

CASES = [
    ("SELECT * FROM claims WHERE id = ? AND removed = 0",
     "SELECT * FROM claims WHERE id = %s AND removed = 0"),
    ("INSERT OR IGNORE INTO watches (claim_id, channel) VALUES (?, ?)",
     "INSERT INTO watches (claim_id, channel) VALUES (%s, %s) ON CONFLICT DO NOTHING"),
    ("SELECT a.id FROM alerts a WHERE json_extract(a.payload, '$.story_key') = ?",
     "SELECT a.id FROM alerts a WHERE (a.payload::jsonb ->> 'story_key') = %s"),
    ("UPDATE t SET n = MAX(t.n, excluded.n)", "UPDATE t SET n = GREATEST(t.n, excluded.n)"),
    ("SELECT MAX(id) FROM matches WHERE claim_id = ?", "SELECT MAX(id) FROM matches WHERE claim_id = %s"),
    ("SELECT MIN(a, b)", "SELECT LEAST(a, b)"),
    ("WHERE m.review IS NOT 'rejected'", "WHERE m.review IS DISTINCT FROM 'rejected'"),
    ("WHERE m.review IS NULL", "WHERE m.review IS NULL"),
    ("SELECT '50%' AS share", "SELECT '50%%' AS share"),
    ("CREATE TABLE c (id INTEGER PRIMARY KEY, text TEXT NOT NULL, score REAL, sig BLOB, n INTEGER)",
     'CREATE TABLE c (id BIGSERIAL PRIMARY KEY, text TEXT COLLATE "C" NOT NULL, score DOUBLE PRECISION, '
     "sig BYTEA, n BIGINT)"),
    ("CREATE TABLE b (band INTEGER NOT NULL, PRIMARY KEY (band)) WITHOUT ROWID",
     "CREATE TABLE b (band BIGINT NOT NULL, PRIMARY KEY (band))"),
    ("ALTER TABLE sources ADD COLUMN lease_until TEXT", 'ALTER TABLE sources ADD COLUMN lease_until TEXT COLLATE "C"'),
    # Types are only rewritten in DDL: a query naming a column "text" keeps it.
    ("SELECT text FROM statements WHERE text = ?", "SELECT text FROM statements WHERE text = %s"),
]


@pytest.mark.parametrize(("sqlite", "postgres"), CASES)
def test_translation(sqlite, postgres):
    assert translate(sqlite) == postgres


def test_insert_or_replace_is_refused():
    with pytest.raises(ValueError, match="ON CONFLICT"):
        translate("INSERT OR REPLACE INTO threads (a) VALUES (?)")
