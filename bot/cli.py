"""The `claimwatch` command line: run the bot, judge files in batch, or export moderator feedback."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import IO

from bot import __version__, db_cli
from bot.config import ConfigError, load_file_config, load_settings, resolve_config_path

EXIT_USAGE = 2
# A writer whose reader went away (`| head`): what a shell reports for a program ended by SIGPIPE (128 + 13).
EXIT_EPIPE = 141


def _where(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=None, metavar="FILE",
                   help="the TOML file (default: CLAIMWATCH_CONFIG, ./claimwatch.toml, the example)")
    p.add_argument("--db", default=None, metavar="URL", help="the database (default: CLAIMWATCH_DB)")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="claimwatch", description="Follow disputed claims and alert chat channels.")
    p.add_argument("--version", action="version", version=f"claimwatch {__version__}")
    sub = p.add_subparsers(dest="cmd")
    _where(sub.add_parser("run", help="run the bot (the default)"))
    _where(sub.add_parser("check-config", help="validate settings and the TOML file, then exit"))
    b = sub.add_parser("backup", help="copy the SQLite database consistently, even while the bot runs")
    b.add_argument("file", type=Path, help="where to write the copy")
    b.add_argument("--db", default=None, metavar="URL", help="the database (default: CLAIMWATCH_DB)")
    r = sub.add_parser("restore", help="put a backup back as the database (stop the bot first)")
    r.add_argument("file", type=Path, help="the backup to restore")
    r.add_argument("--db", default=None, metavar="URL", help="the database (default: CLAIMWATCH_DB)")
    pr = sub.add_parser("prune", help="apply the [retention] settings once, then exit")
    _where(pr)
    m = sub.add_parser("match", help="match statements (JSONL) against claims (JSON)")
    m.add_argument("--claims", required=True, type=Path, help="JSON list of {id, text}")
    m.add_argument("--input", default="-", help="JSONL of {id, text}; - for stdin")
    m.add_argument("--output", default="-", help="JSONL output; - for stdout")
    m.add_argument("--top", type=int, default=None, metavar="K", help="the K best candidates whatever the threshold")
    c = sub.add_parser("classify", help="classify {id, claim, text} pairs (JSONL)")
    c.add_argument("--input", default="-", help="JSONL input; - for stdin")
    c.add_argument("--output", default="-", help="JSONL output; - for stdout")
    f = sub.add_parser("feedback", help="moderator reviews as labelled pairs")
    fsub = f.add_subparsers(dest="feedback_cmd", required=True)
    e = fsub.add_parser("export", help="write every moderator-reviewed match as a labelled pair (JSONL)")
    e.add_argument("--out", default="-", help="JSONL output; - for stdout")
    e.add_argument("--db", default=None, metavar="URL", help="the database (default: CLAIMWATCH_DB)")
    db_cli.add_parser(sub)
    return p


def _open(path: str, mode: str) -> IO[str]:
    if path == "-":
        return sys.stdin if "r" in mode else sys.stdout
    return open(path, mode, encoding="utf-8")  # noqa: SIM115 - closed by the caller's ExitStack


def _reader_left() -> int:
    """Stop quietly with EXIT_EPIPE after the output's reader closed it, as well-behaved filters do."""
    # Python ignores SIGPIPE, so the write raised instead; point stdout at /dev/null so the
    # interpreter's final flush of what is still buffered does not fail a second time.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_EPIPE


def _batch(args: argparse.Namespace) -> int:
    from bot.judge.batch import BatchInputError, run_classify, run_match

    try:
        with contextlib.ExitStack() as stack:
            src = _open(args.input, "r")
            dst = _open(args.output, "w")
            for f in (src, dst):
                if f not in (sys.stdin, sys.stdout):
                    stack.enter_context(f)
            if args.cmd == "match":
                run_match(args.claims, src, dst, top_k=args.top)
            else:
                run_classify(src, dst)
            dst.flush()  # inside the try: a reader that left shows here, not at exit
    except BrokenPipeError:
        return _reader_left()
    except BatchInputError as exc:
        print(f"claimwatch {args.cmd}: {args.input if args.input != '-' else 'stdin'}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"claimwatch {args.cmd}: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from bot.feedback import export_feedback
    from storage.url import parse_database

    try:
        db = args.db or load_settings().db_path
    except ConfigError as exc:
        print(f"claimwatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        target = parse_database(db)
    except ValueError as exc:
        print(f"claimwatch feedback export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not target.is_postgres and (target.path is None or not target.path.is_file()):
        # never create an empty database by exporting from it
        print(f"claimwatch feedback export: {db}: no such database", file=sys.stderr)
        return EXIT_USAGE
    try:
        with contextlib.ExitStack() as stack:
            out = _open(args.out, "w")
            if out is not sys.stdout:
                stack.enter_context(out)
            n = asyncio.run(export_feedback(target, out))
            out.flush()  # inside the try: a reader that left shows here, not at exit
    except BrokenPipeError:
        return _reader_left()  # no "n pairs written": they were not all read
    except OSError as exc:
        print(f"claimwatch feedback export: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    where = "standard output" if args.out == "-" else args.out
    print(f"claimwatch feedback export: {n} labelled pair(s) written to {where}", file=sys.stderr)
    return 0


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """Command-line options as the settings they stand for (they win over the environment)."""
    out: dict[str, object] = {}
    if getattr(args, "config", None) is not None:
        out["CLAIMWATCH_CONFIG"] = args.config
    if getattr(args, "db", None) is not None:
        out["CLAIMWATCH_DB"] = args.db
    return out


def _run(args: argparse.Namespace) -> int:
    from bot.logs import setup_logging

    check_only = args.cmd == "check-config"
    try:
        settings = load_settings(**_overrides(args))
        path = resolve_config_path(settings)
        config = load_file_config(path)
    except ConfigError as exc:
        print(f"claimwatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if check_only:
        print(f"claimwatch: settings and {path} are valid")
        return 0
    secrets = tuple(
        s.get_secret_value()
        for s in (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret,
                  settings.discord_token)
        if s is not None
    )
    setup_logging(settings.log_level, secrets, settings.log_format)
    from bot.app import build_app, run_app

    async def main() -> None:
        app = await build_app(settings, config, config_path=path)
        await run_app(app)

    try:
        asyncio.run(main())
    except (ConfigError, BaseExceptionGroup) as exc:
        # A platform that fails to start (rejected token, port in use) raises inside the TaskGroup.
        error = _config_error(exc)
        if error is None:
            raise
        print(f"claimwatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
    return 0


def _config_error(exc: BaseException) -> ConfigError | None:
    """The first ConfigError in `exc` or, for an exception group, anywhere inside it."""
    if isinstance(exc, ConfigError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _config_error(inner)
            if found is not None:
                return found
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _parser().parse_args(argv)
    if args.cmd in ("match", "classify"):
        return _batch(args)
    if args.cmd == "feedback":
        return _feedback(args)
    if args.cmd in ("backup", "restore", "prune"):
        from bot.ops.cli import run_maintenance

        return run_maintenance(args, _overrides(args))
    if args.cmd == "db":
        return db_cli.main(args)
    return _run(args)


if __name__ == "__main__":
    sys.exit(main())
