"""CLAIMWATCH_DB: which backend each spelling selects, and one process per SQLite file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from storage import DatabaseInUseError, Store
from storage.url import DatabaseURLError, parse_database, redact

CASES = [
    ("var/claimwatch.db", "sqlite", Path("var/claimwatch.db"), None),
    ("/srv/cw.db", "sqlite", Path("/srv/cw.db"), None),
    (":memory:", "sqlite", Path(":memory:"), None),
    ("sqlite:///var/cw.db", "sqlite", Path("var/cw.db"), None),
    ("sqlite:////srv/cw.db", "sqlite", Path("/srv/cw.db"), None),
    ("postgresql://cw@db.internal/claimwatch", "postgresql", None, "postgresql://cw@db.internal/claimwatch"),
    ("postgres://cw:pw@127.0.0.1:5432/cw", "postgresql", None, "postgres://cw:pw@127.0.0.1:5432/cw"),
]


@pytest.mark.parametrize(("value", "kind", "path", "dsn"), CASES)
def test_each_spelling_selects_its_backend(value, kind, path, dsn):
    target = parse_database(value)
    assert (target.kind, target.path, target.dsn) == (kind, path, dsn)


@pytest.mark.parametrize("value", ["mysql://u@h/db", "http://example.org/x.db", "postgresql+psycopg://u@h/db"])
def test_unknown_scheme_is_refused_in_one_line(value):
    with pytest.raises(DatabaseURLError) as err:
        parse_database(value)
    assert "unknown scheme" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("value", ["sqlite://", "sqlite:///", "postgresql:///nohost", ""])
def test_incomplete_urls_are_refused(value):
    with pytest.raises(DatabaseURLError):
        parse_database(value)


def test_password_never_printed():
    assert redact("postgresql://cw:s3cret@db:5432/cw") == "postgresql://cw:***@db:5432/cw"
    assert "s3cret" not in str(parse_database("postgresql://cw:s3cret@db/cw"))


def test_settings_refuse_an_unknown_scheme(monkeypatch):
    monkeypatch.setenv("CLAIMWATCH_DB", "mysql://root@localhost/cw")
    with pytest.raises(ConfigError) as err:
        load_settings(env_file=None)
    assert "CLAIMWATCH_DB" in str(err.value) and "unknown scheme mysql://" in str(err.value)


def test_run_with_an_unknown_scheme_exits_with_one_line(tmp_path):
    env = {"CLAIMWATCH_DB": "mongodb://localhost/cw", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=Path(__file__).parents[1],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown scheme mongodb://" in proc.stderr
    assert not (Path(__file__).parents[1] / "mongodb:").exists()


async def test_second_holder_of_an_sqlite_file_is_refused(tmp_path):
    first = Store(tmp_path / "cw.db", exclusive=True)
    await first.open()
    second = Store(tmp_path / "cw.db", exclusive=True)
    with pytest.raises(DatabaseInUseError) as err:
        await second.open()
    assert "in use by another claimwatch process" in str(err.value) and "postgresql://" in str(err.value)
    await second.close()
    reader = Store(tmp_path / "cw.db")  # tools that only read (feedback export) take no lock
    await reader.open()
    await reader.close()
    await first.close()
    again = Store(tmp_path / "cw.db", exclusive=True)
    await again.open()
    await again.close()


def test_lock_of_a_killed_process_is_released(tmp_path):
    db = tmp_path / "cw.db"
    code = (
        "import asyncio, sys, time\n"
        "from storage import Store\n"
        "async def main():\n"
        f"    await Store({str(db)!r}, exclusive=True).open()\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n"
        "asyncio.run(main())\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).parents[1],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        from storage.lock import FileLock

        with pytest.raises(DatabaseInUseError) as err:
            FileLock(db).acquire()
        assert f"pid {child.pid}" in str(err.value)
    finally:
        child.kill()
        child.wait()
    lock = FileLock(db)
    lock.acquire()  # kill -9 released it: the kernel drops a dead process's flock
    lock.release()
