"""`claimwatch backup`, `restore` and `prune`: maintenance commands that print one line each."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import (
    ConfigError,
    RetentionSection,
    load_file_config,
    load_settings,
    resolve_config_path,
)
from bot.ops.retention import enabled, prune_once
from storage import Store
from storage.backup import BackupError, CopyInfo, backup, restore
from storage.retention import PruneResult

EXIT_USAGE = 2


def _mb(info: CopyInfo) -> str:
    return (f"{info.size / 1e6:.1f} MB, schema version {info.schema_version}, {info.claims} claim(s), "
            f"{info.documents} document(s)")


def _sqlite_path(db: object) -> str:
    path = str(db)
    if path.startswith(("postgres:", "postgresql:")):  # also a URL that went through Path
        raise BackupError("PostgreSQL databases are backed up and restored with pg_dump / pg_restore")
    if path == ":memory:":
        raise BackupError("CLAIMWATCH_DB is :memory:, there is nothing on disk")
    return path


def run_maintenance(args: argparse.Namespace, overrides: dict[str, object]) -> int:
    """Run one maintenance command; exit status 2 with one line on any refusal."""
    try:
        settings = load_settings(**overrides)
        db = _sqlite_path(settings.db_path)
        if args.cmd == "backup":
            info = backup(db, args.file)
            print(f"claimwatch backup: {db} -> {info.path} ({_mb(info)})")
        elif args.cmd == "restore":
            info, previous = restore(args.file, db)
            kept = f"; the database it replaced is kept as {previous}" if previous else ""
            print(f"claimwatch restore: {args.file} -> {db} ({_mb(info)}){kept}")
        else:
            config = load_file_config(resolve_config_path(settings))
            result = asyncio.run(_prune(db, config.retention))
            print(f"claimwatch prune: cleared {result.texts_cleared} document text(s), deleted "
                  f"{result.statements_deleted} unmatched statement(s)")
    except (ConfigError, BackupError) as exc:
        print(f"claimwatch {args.cmd}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"claimwatch {args.cmd}: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    return 0


async def _prune(db: str, section: RetentionSection) -> PruneResult:
    if not enabled(section):
        raise ConfigError("[retention] sets no limit (document_text_days, unmatched_statements_days)")
    if not Path(db).is_file():
        raise BackupError(f"{db}: no such database")
    store = Store(db)
    await store.open()
    try:
        return await prune_once(store, section)
    finally:
        await store.close()
