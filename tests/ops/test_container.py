"""What can be checked of the image without Docker: its files, its entrypoint, its health check."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.ops.test_health import health_server
from tests.ops.test_startup import closed_port

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages() -> list[list[tuple[str, str]]]:
    """Instructions per build stage (a FROM starts one)."""
    out: list[list[tuple[str, str]]] = []
    for ins in instructions():
        if ins[0] == "FROM":
            out.append([])
        if out:
            out[-1].append(ins)
    return out


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (last matching rule wins)."""
    verdict = False
    for rule in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            continue
        negate = rule.startswith("!")
        pattern = rule.lstrip("!").removeprefix("**/")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path.split("/")[0], pattern):
            verdict = not negate
    return verdict


def test_every_file_the_image_copies_exists_and_is_in_the_build_context() -> None:
    copies = [args for word, args in instructions() if word == "COPY" and not args.startswith("--from")]
    assert copies
    for args in copies:
        *sources, _dest = shlex.split(args)
        for src in sources:
            assert (ROOT / src).exists(), f"COPY {src}: missing"
            assert not ignored(src), f"COPY {src}: excluded by .dockerignore"
    for secret in (".env", "var", ".venv", ".git"):
        assert ignored(secret), secret
    assert not ignored("models") and not ignored(".env.example")


def test_runtime_stage_is_slim_non_root_without_build_tools_and_ships_the_models() -> None:
    build, runtime = stages()
    assert "slim" in DOCKERFILE.split("PYTHON_IMAGE=")[1].split()[0]
    assert any("build-essential" in args for _, args in build)
    assert not any(word == "RUN" and re.search(r"apt-get install|build-essential|gcc", args)
                   for word, args in runtime)
    user = [args for word, args in runtime if word == "USER"]
    assert user == ["claimwatch"]
    copies = " ".join(args for word, args in runtime if word == "COPY")
    assert "models ./models" in copies and "--from=build /opt/claimwatch /opt/claimwatch" in copies
    env = " ".join(args for word, args in runtime if word == "ENV")
    assert "CLAIMWATCH_MODEL_DIR=/app/models" in env and "CLAIMWATCH_HTTP_PORT=8080" in env
    for model in ("encoder.int8.onnx", "pair.int8.onnx", "tokenizer.json"):
        assert (ROOT / "models" / model).is_file()


def test_entrypoint_runs_the_same_claimwatch_run() -> None:
    entry = json.loads(next(args for word, args in instructions() if word == "ENTRYPOINT"))
    cmd = json.loads(next(args for word, args in instructions() if word == "CMD"))
    assert entry + cmd == ["claimwatch", "run"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["claimwatch"] == "bot.cli:main"  # the console script `make run` uses too
    # The console script's main, given the image's arguments, takes the `run` path.
    from bot.cli import _parser

    assert _parser().parse_args(cmd).cmd == "run"


async def test_the_healthcheck_command_passes_on_a_live_bot_and_fails_otherwise(tmp_path: Path) -> None:
    health_line = next(args for word, args in instructions() if word == "HEALTHCHECK")
    command = json.loads(health_line.split("CMD", 1)[1].strip())
    assert command[0] == "python" and "/healthz" in command[2]
    async with health_server(tmp_path) as (_, _, health):

        def probe(port: int) -> int:
            env = os.environ | {"CLAIMWATCH_HTTP_PORT": str(port)}
            return subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True,
                                  timeout=30).returncode

        assert await asyncio.to_thread(probe, health.port) == 0
        assert await asyncio.to_thread(probe, closed_port()) != 0


def test_compose_has_the_bot_a_data_volume_and_postgres_behind_a_profile() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert re.search(r"^  bot:\n    build: \.", text, re.M)
    assert "- claimwatch-data:/data" in text and re.search(r"^volumes:\n  claimwatch-data:", text, re.M)
    postgres = text.split("\n  postgres:\n", 1)[1]
    assert 'profiles: ["postgres"]' in postgres.split("\n\n")[0]
    assert "required: false" in text  # the bot does not need the postgres service unless its profile is up
    assert "path: .env" in text
    assert "CLAIMWATCH_DB: ${CLAIMWATCH_DB:-/data/claimwatch.db}" in text


def test_compose_parses_as_yaml_where_a_parser_is_installed() -> None:
    yaml = pytest.importorskip("yaml")  # not a Claimwatch dependency; the text checks above always run
    doc = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    bot = doc["services"]["bot"]
    assert bot["build"] == "." and "claimwatch-data:/data" in bot["volumes"]
    assert bot["depends_on"]["postgres"] == {"condition": "service_healthy", "required": False}
    assert doc["services"]["postgres"]["profiles"] == ["postgres"]
    assert set(doc["volumes"]) == {"claimwatch-data", "postgres-data"}
    assert "profiles" not in bot
