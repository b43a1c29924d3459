"""Console input: line editing on a terminal, bounded lines, undecodable bytes kept for the dispatcher to refuse."""

from __future__ import annotations

import atexit
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

MAX_LINE_CHARS = 8000  # longer than any command the dispatcher accepts; what is longer is never buffered whole


def _readline_available() -> bool:
    """Import readline (it hooks input() for editing and history); False where Python lacks it."""
    try:
        import readline  # noqa: F401
    except ImportError:
        return False
    return True


def _keep_terminal_mode(stream: TextIO) -> None:
    """Put the terminal's mode back at exit: readline leaves echo off while a read is still pending."""
    try:
        import termios
    except ImportError:
        return
    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    atexit.register(termios.tcsetattr, fd, termios.TCSADRAIN, saved)


def _bounded(chunk: str, more: Callable[[], str]) -> Iterator[str | None]:
    """The chunk as one line, or None after reading through the rest of an over-long line."""
    if len(chunk) <= MAX_LINE_CHARS or chunk.endswith("\n"):
        yield chunk
        return
    while chunk and not chunk.endswith("\n"):
        chunk = more()
    yield None


def read_lines(stdin: TextIO) -> Iterator[str | None]:
    """Typed lines; None stands for a line over MAX_LINE_CHARS, which is read through and dropped.

    A terminal gets line editing and history (readline, where Python has it); piped input is read
    as bytes, so invalid UTF-8 reaches the dispatcher as escapes it refuses instead of killing the reader.
    """
    if stdin is sys.stdin and stdin.isatty() and _readline_available():
        _keep_terminal_mode(stdin)
        while True:
            try:
                line = input("> ")
            except EOFError:
                return
            yield line if len(line) <= MAX_LINE_CHARS else None
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # a text stream (tests): bounded reads all the same
        def more_text() -> str:
            return stdin.readline(MAX_LINE_CHARS + 1)
        while chunk := more_text():
            yield from _bounded(chunk, more_text)
        return

    def more_bytes() -> str:
        return buffer.readline(MAX_LINE_CHARS + 1).decode("utf-8", "surrogateescape")
    while chunk := more_bytes():
        yield from _bounded(chunk, more_bytes)
