"""`claimwatch run` processes for the multi-process tests and bench: start, SIGKILL, SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path


class Fleet:
    """The bot processes: start, SIGKILL, SIGTERM."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.procs: list[asyncio.subprocess.Process] = []
        self.logs = cwd / "logs"
        self.logs.mkdir()
        self.n = 0

    async def start(self) -> asyncio.subprocess.Process:
        self.n += 1
        log = open(self.logs / f"p{self.n}.log", "wb")  # noqa: SIM115 - the child writes it
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.cwd, env=self.env,
            stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        self.procs.append(proc)
        return proc

    def alive(self) -> list[asyncio.subprocess.Process]:
        return [p for p in self.procs if p.returncode is None]

    async def kill(self, proc: asyncio.subprocess.Process) -> None:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()

    async def stop_all(self) -> list[int]:
        """SIGTERM the live ones; their exit codes."""
        alive = self.alive()
        for p in alive:
            p.send_signal(signal.SIGTERM)
        codes = []
        for p in alive:
            try:
                codes.append(await asyncio.wait_for(p.wait(), 30))
            except TimeoutError:
                p.kill()
                codes.append(await p.wait())
        return codes

    def log_text(self) -> str:
        return "\n".join(f"--- {f.name}\n{f.read_text(errors='replace')[-3000:]}"
                         for f in sorted(self.logs.iterdir(), key=lambda f: int(f.stem[1:])))
