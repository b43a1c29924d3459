"""`claimwatch db copy FROM TO`: move an install between SQLite and PostgreSQL (kept apart from cli.py)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

EXIT_USAGE = 2


def add_parser(sub: Any) -> None:
    """Register `db` and its subcommands on the main parser's subparsers."""
    d = sub.add_parser("db", help="database tools")
    dsub = d.add_subparsers(dest="db_cmd", required=True)
    c = dsub.add_parser("copy", help="copy every row from one database into another (SQLite <-> PostgreSQL)")
    c.add_argument("source", help="file path, sqlite:///path or postgresql://user@host/db")
    c.add_argument("target", help="file path, sqlite:///path or postgresql://user@host/db")
    c.add_argument("--force", action="store_true", help="replace what the target already holds")


async def _copy(source: str, target: str, force: bool) -> int:
    from pathlib import Path

    from storage import Store, StoreUnavailable
    from storage.copy import TargetNotEmptyError, copy_database
    from storage.url import DatabaseURLError, parse_database

    try:
        src_t, dst_t = parse_database(source), parse_database(target)
    except DatabaseURLError as exc:
        print(f"claimwatch db copy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if src_t.path is not None and not src_t.in_memory and not Path(src_t.path).is_file():
        print(f"claimwatch db copy: {src_t}: no such database", file=sys.stderr)
        return EXIT_USAGE
    if str(src_t) == str(dst_t):
        print("claimwatch db copy: source and target are the same database", file=sys.stderr)
        return EXIT_USAGE
    # The target is locked like a running bot's; the source too, so no bot writes while it is read.
    src, dst = Store(src_t, exclusive=True), Store(dst_t, exclusive=True)
    try:
        await src.open()
        await dst.open()
        report = await copy_database(src, dst, force=force)
    except (StoreUnavailable, TargetNotEmptyError) as exc:
        print(f"claimwatch db copy: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        await src.close()
        await dst.close()
    width = max(len(t) for t in report.source)
    for table, n in report.source.items():
        mark = "" if report.target[table] == n else f"  (target has {report.target[table]})"
        print(f"{table:<{width}}  {n:>9}{mark}")
    total = sum(report.source.values())
    if not report.identical:
        print(f"claimwatch db copy: row counts differ between {src_t} and {dst_t}", file=sys.stderr)
        return 1
    print(f"claimwatch db copy: {total} row(s) in {len(report.source)} tables copied from {src_t} to {dst_t}",
          file=sys.stderr)
    return 0


def main(args: argparse.Namespace) -> int:
    """Run a `db` subcommand."""
    return asyncio.run(_copy(args.source, args.target, args.force))
