"""The command line: --version, run --config FILE --db URL, and SIGHUP reloading the TOML file."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from bot import __version__
from tests.ops.test_startup import bot_env

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "examples" / "feeds"

CONFIG = """
[bot]
tick = "1s"

[[claims]]
key = "cable"
text = "The tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea"

[[sources]]
url = "{wire}"
kind = "folder"
label = "Wire"
every = "1h"

[[channels]]
platform = "console"
channel = "console"
"""

RELOADED = """
[bot]
tick = "5s"

[moderators]
console = []

[[claims]]
key = "cable"
text = "EDITED IN THE FILE: must not overwrite the stored claim"

[[claims]]
key = "blackout"
text = "A cyber attack caused the Iberian blackout"

[[sources]]
url = "{eu}"
kind = "folder"
label = "EU press"
every = "1h"

[[channels]]
platform = "console"
channel = "console"
claims = ["blackout"]
"""


async def claimwatch(*args: str, cwd: Path) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=bot_env(cwd),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_version_and_config_options(tmp_path: Path) -> None:
    rc, out, _ = await claimwatch("--version", cwd=tmp_path)
    assert rc == 0 and out.strip() == f"claimwatch {__version__}"
    config = tmp_path / "elsewhere.toml"
    config.write_text(CONFIG.format(wire=FEEDS / "wire-service.xml"), encoding="utf-8")
    rc, out, _ = await claimwatch("check-config", "--config", str(config), cwd=tmp_path)
    assert rc == 0 and out.strip() == f"claimwatch: settings and {config} are valid"
    rc, _, err = await claimwatch("run", "--config", str(tmp_path / "missing.toml"), cwd=tmp_path)
    assert rc == 2 and err.strip() == f"claimwatch: setting CLAIMWATCH_CONFIG: file {tmp_path / 'missing.toml'} not found"


class Bot:
    """A `claimwatch run` child on the console, driven line by line."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [asyncio.create_task(self._pump(proc.stdout, self.out)),  # type: ignore[arg-type]
                         asyncio.create_task(self._pump(proc.stderr, self.err))]  # type: ignore[arg-type]

    @staticmethod
    async def _pump(stream: asyncio.StreamReader, into: list[str]) -> None:
        while line := await stream.readline():
            into.append(line.decode())

    async def until(self, lines: list[str], found: Callable[[str], bool], timeout: float = 30) -> str:
        async with asyncio.timeout(timeout):
            while True:
                for line in lines:
                    if found(line):
                        return line
                await asyncio.sleep(0.05)

    async def ask(self, command: str, found: Callable[[str], bool]) -> str:
        start = len(self.out)
        assert self.proc.stdin is not None
        self.proc.stdin.write(command.encode() + b"\n")
        await self.proc.stdin.drain()
        async with asyncio.timeout(30):
            while True:
                text = "".join(self.out[start:])
                if found(text):
                    return text
                await asyncio.sleep(0.05)

    async def quit(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"/quit\n")
        await self.proc.stdin.drain()
        rc = await asyncio.wait_for(self.proc.wait(), 30)
        await asyncio.gather(*self._readers)
        return rc


async def test_run_with_config_and_db_then_sighup_reloads(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "claimwatch.toml"
    config.parent.mkdir()
    config.write_text(CONFIG.format(wire=FEEDS / "wire-service.xml"), encoding="utf-8")
    db = tmp_path / "data" / "bot.db"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), "--db", str(db), cwd=tmp_path,
        env=bot_env(tmp_path, CLAIMWATCH_DB=str(tmp_path / "not-this.db")),  # --db wins over the environment
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    bot = Bot(proc)
    try:
        listed = await bot.ask("/claim list", lambda t: "watched claim(s)" in t)
        assert "Eagle S" in listed and db.is_file() and not (tmp_path / "not-this.db").exists()

        config.write_text(RELOADED.format(eu=FEEDS / "eu-press.atom"), encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        line = await bot.until(bot.err, lambda s: "reloaded:" in s or "reload" in s and "fail" in s)
        assert ("reloaded: 1 new claim(s), 1 source(s) added, 1 removed, 1 watch(es) added, 1 removed; "
                "[bot] changes apply after a restart") in line, line
        listed = await bot.ask("/claim list", lambda t: "watched claim(s)" in t)
        assert "Iberian blackout" in listed
        assert "Eagle S deliberately cut" in listed and "EDITED IN THE FILE" not in listed  # seed only where new
        sources = await bot.ask("/source list", lambda t: "eu-press.atom" in t or "wire-service" in t)
        assert "eu-press.atom" in sources and "wire-service.xml" not in sources
        refused = await bot.ask("/claim add The bridge was closed", lambda t: "moderators" in t.lower())
        assert "Only moderators" in refused  # the console user is no longer one

        config.write_text("[[claims]]\nkey = 'x'\n", encoding="utf-8")  # invalid: no text
        proc.send_signal(signal.SIGHUP)
        line = await bot.until(bot.err, lambda s: "reload refused" in s)
        assert "the running settings stay" in line and "claims[0].text" in line
        assert "Iberian blackout" in await bot.ask("/claim list", lambda t: "watched claim(s)" in t)
    finally:
        rc = await bot.quit()
    assert rc == 0, "".join(bot.err)[-3000:]
    assert "Traceback" not in "".join(bot.err)
