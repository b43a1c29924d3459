"""Structural rules: only adapters import chat libraries; modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAT_LIBS = ("slack_bolt", "slack_sdk", "discord")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _core_files() -> list[Path]:
    files = [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py"), *ROOT.glob("storage/**/*.py")]
    return [f for f in files if "adapters" not in f.parts]


def test_no_chat_library_outside_adapters():
    offenders = {str(f.relative_to(ROOT)): sorted(_imports(f) & set(CHAT_LIBS)) for f in _core_files()}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_handlers_and_storage_do_not_import_adapters():
    for f in [*ROOT.glob("handlers/**/*.py"), *ROOT.glob("storage/**/*.py")]:
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("bot.adapters"), f


def test_sql_lives_in_storage():
    for f in _core_files():
        if "storage" in f.parts:
            continue
        text = f.read_text(encoding="utf-8")
        assert "db.execute(" not in text and "db.query(" not in text, f
