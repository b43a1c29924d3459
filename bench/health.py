"""Memory of the health listener: idle and peak RSS of `claimwatch run` while /metrics and /readyz are hammered.

Two processes, each measured from /proc (VmRSS now, VmHWM = peak):
  1. the whole bot (`claimwatch run`, shipped model, example sources, console) with CLAIMWATCH_HTTP_PORT;
  2. the health server alone (store + lexical judge + serve_health), to isolate the listener's own cost.
Each is sampled idle, then after REQUESTS requests (CONCURRENCY at a time) over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 3000
CONCURRENCY = 20
ALONE = """
import asyncio, sys
from pathlib import Path
from bot.judge import load_judge
from bot.judging import JudgeService
from bot.ops.health import Health, serve_health
from storage import Store

async def main():
    store = Store(Path(sys.argv[1]))
    await store.open()
    health = Health(store, JudgeService(load_judge(Path('/nonexistent'))), {})
    await serve_health(health, '127.0.0.1', int(sys.argv[2]))

asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mem(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


async def hammer(base: str) -> float:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        sem = asyncio.Semaphore(CONCURRENCY)

        async def one(i: int) -> None:
            async with sem:
                r = await http.get("/metrics" if i % 2 else "/readyz")
                assert r.status_code in (200, 503)

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(REQUESTS)))
        return time.perf_counter() - start


async def measure(name: str, argv: list[str], env: dict[str, str], port: int, cwd: Path) -> None:
    proc = await asyncio.create_subprocess_exec(*argv, env=env, cwd=cwd, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=2) as http:
            for _ in range(600):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        await asyncio.sleep(15)  # let start-up work (judge load, first cycle) settle
        idle_rss, idle_peak = mem(proc.pid)
        took = await hammer(base)
        rss, peak = mem(proc.pid)
        print(f"{name}: idle RSS {idle_rss:.1f} MiB (peak so far {idle_peak:.1f}); after {REQUESTS} requests "
              f"({CONCURRENCY} at a time, {REQUESTS / took:.0f}/s): RSS {rss:.1f} MiB, peak {peak:.1f} MiB, "
              f"growth {rss - idle_rss:+.1f} MiB")
    finally:
        proc.terminate()
        await proc.wait()


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "examples").symlink_to(ROOT / "examples")
        (work / "claimwatch.example.toml").symlink_to(ROOT / "claimwatch.example.toml")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLAIMWATCH_", "DISCORD_"))}
        env["PYTHONPATH"] = str(ROOT)
        port = free_port()
        bot_env = env | {"CLAIMWATCH_HTTP_PORT": str(port), "CLAIMWATCH_DB": str(work / "bot.db")}
        await measure("claimwatch run (shipped model)", [sys.executable, "-m", "bot", "run"], bot_env, port, work)
        port = free_port()
        await measure("health server alone", [sys.executable, "-c", ALONE, str(work / "alone.db"), str(port)],
                      env, port, work)


if __name__ == "__main__":
    asyncio.run(main())
