"""Console platform: commands from standard input, replies and alerts on standard output."""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.adapters.console_input import MAX_LINE_CHARS, read_lines
from bot.alert_types import (
    Alert,
    ConflictAlert,
    Digest,
    Notice,
    SourcePaused,
    StatementAlert,
    StatusChange,
)
from bot.durations import show_time
from bot.links import shown_link
from bot.platform import (
    Actor,
    Command,
    DeliveryReceipt,
    Destination,
    Dispatch,
    OutboundMessage,
    Reply,
)
from bot.text import OTHER_MARK, STANCE_MARK

TOO_LONG = object()  # queue marker: a line over MAX_LINE_CHARS was dropped


def _claim(alert: StatementAlert | ConflictAlert | StatusChange) -> list[str]:
    return [f"    claim: {alert.claim_text}"] if alert.claim_text else []


def _link(url: str | None) -> list[str]:
    return [f"    {shown_link(url)}"] if url else []


def _text(alert: Alert) -> list[str]:
    return [f"    {alert.text}"] if alert.text else []


def _fields(fields: tuple[tuple[str, str], ...]) -> list[str]:
    return [f"    {name}: {value}" for name, value in fields]


def _statement(alert: StatementAlert) -> list[str]:
    src = alert.source or ""
    if alert.outlets > 1:
        src += f", carried by {alert.outlets} outlets"
    when = show_time(alert.published_at) if alert.published_at else ""
    where = f"({src}{', ' + when if when else ''})"
    lines = _claim(alert)
    if len(alert.quotes) > 1:  # each quote with its own stance mark and speaker
        for q in alert.quotes:
            mark = STANCE_MARK.get(q.stance or "")
            lines.append(f"    {mark + ' ' if mark else ''}“{q.text}” - {q.speaker or 'unattributed'}")
        lines.append(f"    {where}")
    else:
        lines.append(f"    “{alert.text}”")
        lines.append(f"    - {alert.speaker or 'unattributed'} {where}")
    if alert.also_carried_by:
        lines.append(f"    also carried by {', '.join(alert.also_carried_by)}")
    return lines + _link(alert.link)


def _conflict(alert: ConflictAlert) -> list[str]:
    return _claim(alert) + _text(alert) + _fields(alert.fields) + _link(alert.link)


def _status(alert: StatusChange) -> list[str]:
    return _claim(alert) + _text(alert)


def _digest(alert: Digest) -> list[str]:
    return _text(alert) + _fields(alert.fields)


# The lines under the heading, per alert type; tests/test_alert_renderers.py fails on a missing type.
BODIES: dict[type, Callable[[Any], list[str]]] = {
    StatementAlert: _statement,
    ConflictAlert: _conflict,
    StatusChange: _status,
    Digest: _digest,
    SourcePaused: _text,
    Notice: _text,
}


def render_alert(message: OutboundMessage) -> str:
    """Plain-text rendering of an alert; its id is shown for /claim review, reject alert=, stance alert=."""
    alert = message.alert
    stance = alert.stance if isinstance(alert, StatementAlert) else None
    mark = STANCE_MARK.get(stance or "", OTHER_MARK)
    head = f"{mark} ALERT {alert.title}"
    if message.edit is not None:
        head = f"{mark} UPDATE of alert {message.edit.of} (message {message.edit.message_id}): {alert.title}"
    head += f" [alert {message.alert_id}]"
    lines = [head + (f"  [escalation: {message.escalation}]" if message.escalation else "")]
    return "\n".join(lines + BODIES[type(alert)](alert))


class ConsoleAdapter:
    """A real Platform over stdin/stdout so the bot runs with no chat account."""

    name = "console"

    def __init__(
        self, user_id: str = "console", channel: str = "console",
        stdin: TextIO | None = None, stdout: TextIO | None = None, prompt: bool = True,
        files_dir: Path = Path("var/attachments"),
    ) -> None:
        self.files_dir = files_dir
        self.user_id = user_id
        self.channel = channel
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.prompt = prompt
        self._sent = 0

    def _write(self, text: str) -> None:
        self.stdout.write(text.rstrip("\n") + "\n")
        self.stdout.flush()

    def _reader(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None | object]) -> None:
        # A daemon thread: a blocking read must never hold up shutdown.
        for line in read_lines(self.stdin):
            loop.call_soon_threadsafe(queue.put_nowait, TOO_LONG if line is None else line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    async def serve(self, dispatch: Dispatch) -> None:
        """Read commands until /quit or end of input."""
        queue: asyncio.Queue[str | None | object] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        threading.Thread(target=self._reader, args=(loop, queue), daemon=True, name="console-stdin").start()
        if self.prompt:
            self._write("Claimwatch console. Type /claim help, or /quit to stop.")
        while (line := await queue.get()) is not None:
            if line is TOO_LONG:
                self._write(f"That line is over {MAX_LINE_CHARS:,} characters; it was not run.")
                continue
            assert isinstance(line, str)
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit"):
                self._write("bye")
                return
            reply = await self.handle_line(line, dispatch)
            self._write(reply.text)
            for path in self.save_files(reply):
                self._write(f"(attached: {path})")
        self._write("(input closed; still watching sources; press Ctrl-C to stop)")
        await asyncio.Event().wait()

    async def handle_line(self, line: str, dispatch: Dispatch) -> Reply:
        """Turn one typed line into a Command and dispatch it."""
        if not line.startswith("/"):
            return Reply("Commands start with /. Try /claim help.", ok=False)
        group, _, rest = line[1:].partition(" ")
        actor = Actor(platform=self.name, user_id=self.user_id, display_name=self.user_id)
        return await dispatch(Command(group=group, text=rest, actor=actor, channel=self.channel))

    def save_files(self, reply: Reply) -> list[Path]:
        """Write a reply's image and attachments under files_dir (a terminal cannot show them)."""
        files = dict(reply.attachments)
        if reply.image is not None:
            files[reply.image_name or "image.png"] = reply.image
        saved = []
        for name, data in files.items():
            safe = re.sub(r"[^\w.-]", "_", name)[:100] or "attachment"
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / safe
            path.write_bytes(data)
            saved.append(path)
        return saved

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        """Print an alert.

        Standard output cannot be read back, so a `maybe_sent` alert (an earlier attempt began and a
        crash left no record) is printed again: on the console an alert may show twice after a kill.
        """
        self._write(render_alert(message))
        self._sent += 1
        return DeliveryReceipt(self.name, dest.channel, message_id=str(message.alert_id))
