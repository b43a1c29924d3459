"""The console reader: bad bytes and over-long lines get a one-line answer and the console keeps reading."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.adapters.console_adapter import MAX_LINE_CHARS, ConsoleAdapter, render_alert
from bot.alert_types import StatementAlert
from bot.platform import OutboundMessage
from handlers import Dispatcher


async def run_console(services, data: bytes) -> str:
    out = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")  # strict, like a real piped stdin
    console = ConsoleAdapter(user_id="mod", channel="newsroom", stdin=stdin, stdout=out, prompt=False)
    with pytest.raises(TimeoutError):  # serve() keeps watching after input ends
        await asyncio.wait_for(console.serve(Dispatcher(services)), timeout=1.5)
    await asyncio.gather(*services.tasks)
    return out.getvalue()


async def test_invalid_utf8_is_refused_and_reading_goes_on(services, store):
    text = await run_console(services, b"/claim add Kyiv said \xff\xfe no drones flew\n/claim list\n")
    assert "That command contains bytes that are not valid text (UTF-8); type it again." in text
    assert "No claims are watched yet." in text  # the next line was read and answered
    assert await store.list_claims() == []


async def test_over_long_line_is_dropped_without_buffering_it(services):
    data = b"/claim status " + b"drone " * 2_000_000 + b"\n/claim list\n"  # a 12 MB line
    text = await run_console(services, data)
    assert f"That line is over {MAX_LINE_CHARS:,} characters; it was not run." in text
    assert "No claims are watched yet." in text


def test_alert_links_and_times_are_shown_clean():
    message = OutboundMessage(4, StatementAlert(
        title="SUPPORTS: claim #1", text="The bridge closed", stance="supports", source="City wire",
        speaker="the council", published_at="2026-01-05T09:00:00Z",
        link="https://wire.example/a?utm_source=rss&id=3&fbclid=z"))
    rendered = render_alert(message)
    assert "(City wire, 2026-01-05 09:00 UTC)" in rendered
    assert rendered.splitlines()[-1] == "    https://wire.example/a?id=3"


ECHO = """
import asyncio
from bot.adapters.console_adapter import ConsoleAdapter
from bot.platform import Reply

async def echo(command):
    return Reply(f"got [{command.group} {command.text}]")

asyncio.run(ConsoleAdapter(prompt=False).serve(echo))
"""


def test_terminal_input_has_line_editing(tmp_path):
    """On a terminal the arrow keys edit the line (readline) instead of typing ^[[D into the command."""
    import os
    import pty
    import subprocess
    import sys
    import termios
    import time
    from pathlib import Path

    pytest.importorskip("readline")
    main, child = pty.openpty()
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-c", ECHO], cwd=root, stdin=child, stdout=child, stderr=child,
                            env={**os.environ, "TERM": "xterm"}, close_fds=True)
    try:
        os.write(main, b"/claim hlp\x1b[D\x1b[De\r")  # typo, two steps left, insert the missing letter
        seen = b""
        deadline = time.monotonic() + 15
        while b"got [" not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(main, 4096)
            except OSError:
                break
        assert b"got [claim help]" in seen, seen
        os.write(main, b"/quit\r")
        assert proc.wait(timeout=10) == 0
        # readline turns echo off while it reads; the terminal gets its mode back when the console exits.
        assert termios.tcgetattr(child)[3] & termios.ECHO
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(child)
        os.close(main)
