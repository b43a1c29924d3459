"""Structural rules: only adapters import chat libraries; storage imports only neutral models; handlers use
storage only through its package; only storage/deliveries.py writes deliveries; modules stay at about 300
lines or fewer.

Each rule is a function over a source tree, so the same rule is also run on a small tree that breaks it
(`test_each_rule_catches_a_violation`). Known exceptions are listed with the issue that removes them; an
exception that no longer occurs fails too, so the lists only shrink.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAT_LIBS = ("slack_bolt", "slack_sdk", "discord")
NEUTRAL = ("bot.models", "bot.alert_types", "bot.neardup")  # what storage may import from the rest of the project: neutral types
FIRST_PARTY = ("bot", "handlers", "storage")
MAX_LINES = 300

STORAGE_ALLOWED: set[tuple[str, str]] = set()  # bot.neardup is the near-duplicate helper both sides import
HANDLERS_ALLOWED: set[tuple[str, str]] = set()  # handlers import the storage package's public surface only
LONG_ALLOWED: set[str] = set()


def _modules(path: Path) -> set[str]:
    """Every module `path` imports (absolute, dotted), at any depth, TYPE_CHECKING blocks included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(root: Path, *folders: str) -> list[Path]:
    return sorted(f for folder in folders for f in (root / folder).glob("**/*.py"))


def _rel(root: Path, f: Path) -> str:
    return f.relative_to(root).as_posix()


def chat_imports(root: Path) -> set[tuple[str, str]]:
    """(file, module) for each chat-library import outside bot/adapters/."""
    return {(_rel(root, f), m) for f in _files(root, "bot", "handlers", "storage") if "adapters" not in f.parts
            for m in _modules(f) if m.split(".")[0] in CHAT_LIBS}


def storage_imports(root: Path) -> set[tuple[str, str]]:
    """(file, module) for each project module storage imports that is neither storage's own nor a neutral model."""
    return {(_rel(root, f), m) for f in _files(root, "storage") for m in _modules(f)
            if m.split(".")[0] in FIRST_PARTY and m.split(".")[0] != "storage" and m not in NEUTRAL}


def handler_storage_imports(root: Path) -> set[tuple[str, str]]:
    """(file, module) for each storage module a handler imports other than the package itself."""
    return {(_rel(root, f), m) for f in _files(root, "handlers") for m in _modules(f) if m.startswith("storage.")}


def adapter_imports(root: Path) -> set[tuple[str, str]]:
    """(file, module) for each adapter import in handlers/ or storage/."""
    return {(_rel(root, f), m) for f in _files(root, "handlers", "storage") for m in _modules(f)
            if m.startswith("bot.adapters")}


DELIVERY_OWNER = "storage/deliveries.py"
DELIVERY_WRITE = re.compile(
    r"""(UPDATE|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM)\s+deliveries\b|\[\s*["']deliveries["']\s*\]""",
    re.IGNORECASE,
)


def delivery_writers(root: Path) -> set[str]:
    """Storage modules other than the owner whose text writes to the deliveries table."""
    return {_rel(root, f) for f in _files(root, "storage") if _rel(root, f) != DELIVERY_OWNER
            and DELIVERY_WRITE.search(f.read_text(encoding="utf-8"))}


def long_modules(root: Path) -> set[str]:
    """Modules over MAX_LINES lines."""
    return {_rel(root, f) for f in _files(root, "bot", "handlers", "storage", "scripts", "bench")
            if len(f.read_text(encoding="utf-8").splitlines()) > MAX_LINES}


def test_no_chat_library_outside_adapters():
    assert chat_imports(ROOT) == set()


def test_storage_imports_only_neutral_models():
    assert storage_imports(ROOT) - STORAGE_ALLOWED == set()
    assert STORAGE_ALLOWED <= storage_imports(ROOT), "an allowed exception is gone: remove it from the list"


def test_handlers_do_not_import_storage_internals():
    assert handler_storage_imports(ROOT) - HANDLERS_ALLOWED == set()
    assert HANDLERS_ALLOWED <= handler_storage_imports(ROOT), "an allowed exception is gone: remove it from the list"


def test_handlers_and_storage_do_not_import_adapters():
    assert adapter_imports(ROOT) == set()


def test_only_the_owner_writes_deliveries():
    assert delivery_writers(ROOT) == set()
    assert DELIVERY_WRITE.search((ROOT / DELIVERY_OWNER).read_text(encoding="utf-8")), "the owner moved: update the rule"


def test_modules_stay_small():
    assert long_modules(ROOT) - LONG_ALLOWED == set()
    assert LONG_ALLOWED <= long_modules(ROOT), "an allowed exception is gone: remove it from the list"


def test_sql_lives_in_storage():
    for f in _files(ROOT, "bot", "handlers"):
        text = f.read_text(encoding="utf-8")
        assert "db.execute(" not in text and "db.query(" not in text, f


VIOLATIONS = [
    (chat_imports, "handlers/claims.py", "import discord\n", ("handlers/claims.py", "discord")),
    (chat_imports, "bot/pipeline.py", "def f():\n    from slack_sdk.web import WebClient\n",
     ("bot/pipeline.py", "slack_sdk.web")),
    (storage_imports, "storage/claims.py", "from bot.judging import JudgeService\n",
     ("storage/claims.py", "bot.judging")),
    (storage_imports, "storage/sources.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                            "    import handlers.context\n", ("storage/sources.py", "handlers.context")),
    (handler_storage_imports, "handlers/audit.py", "from storage.db import utcnow\n",
     ("handlers/audit.py", "storage.db")),
    (adapter_imports, "storage/deliveries.py", "from bot.adapters.slack_render import alert_blocks\n",
     ("storage/deliveries.py", "bot.adapters.slack_render")),
    (delivery_writers, "storage/alerting.py", "db.execute(\"UPDATE deliveries SET status = 'sent'\")\n",
     "storage/alerting.py"),
    (delivery_writers, "storage/conflicts.py", "db[\"deliveries\"].insert({})\n", "storage/conflicts.py"),
    (delivery_writers, "storage/retention.py", "db.execute('delete from deliveries where 1')\n",
     "storage/retention.py"),
    (long_modules, "bot/big.py", "x = 1\n" * (MAX_LINES + 1), "bot/big.py"),
]


@pytest.mark.parametrize(("rule", "path", "source", "offence"), VIOLATIONS,
                         ids=[f"{r.__name__}:{p}" for r, p, _, _ in VIOLATIONS])
def test_each_rule_catches_a_violation(tmp_path, rule, path, source, offence):
    for folder in ("bot", "handlers", "storage", "scripts", "bench"):
        (tmp_path / folder).mkdir()
    (tmp_path / "storage/db.py").write_text("from bot.models import Claim\nimport sqlite_utils\n")
    (tmp_path / "handlers/ok.py").write_text("from storage import Store\n")  # the package itself is fine
    (tmp_path / DELIVERY_OWNER).write_text("db.execute('UPDATE deliveries SET status = ?')\n")  # the owner may
    assert rule(tmp_path) == set()
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(source)
    assert rule(tmp_path) == {offence}


def adapter_store_calls(root: Path) -> set[str]:
    """Store methods the adapters call (`store.X(` or `self.store.X(`)."""
    import re

    calls: set[str] = set()
    for path in (root / "bot" / "adapters").glob("*.py"):
        calls |= set(re.findall(r"\bstore\.([a-z_]+)\(", path.read_text(encoding="utf-8")))
    return calls


def test_adapters_use_only_their_view_of_the_store():
    from storage import Store
    from storage.views import AdapterStore

    view = {n for n in vars(AdapterStore) if not n.startswith("_")}
    assert adapter_store_calls(ROOT) <= view  # a new call belongs in storage/views.py first
    assert all(callable(getattr(Store, n, None)) for n in view)  # the real store provides the view
    assert not [p for p in (ROOT / "bot" / "adapters").glob("*.py")
                if "from storage import Store" in p.read_text(encoding="utf-8")]


def test_adapter_view_rule_fails_on_a_violation(tmp_path):
    (tmp_path / "bot" / "adapters").mkdir(parents=True)
    (tmp_path / "bot" / "adapters" / "x.py").write_text("async def f(store):\n    await store.add_claim('x')\n")
    assert adapter_store_calls(tmp_path) == {"add_claim"}


def test_handlers_use_only_their_view_of_the_store():
    import inspect
    import re

    from storage import Store
    from storage.views import HandlerStore

    view = {n for n in vars(HandlerStore) if not n.startswith("_")}
    calls = set()
    for path in [*(ROOT / "handlers").glob("*.py"), ROOT / "bot" / "backfill.py"]:
        calls |= set(re.findall(r"\bstore\.([a-z_]+)\(", path.read_text(encoding="utf-8")))
    assert calls <= view  # a new call belongs in storage/views.py first
    for name in view:  # the view says what the store really takes
        real = getattr(getattr(Store, name), "sync", getattr(Store, name))
        assert list(inspect.signature(real).parameters) == list(inspect.signature(getattr(HandlerStore, name)).parameters), name


COMPOSITION_ROOT = {"bot/app.py", "bot/reload.py", "bot/cli.py", "bot/db_cli.py"}


def core_handler_imports(root: Path) -> set[tuple[str, str]]:
    """(file, module) for each handlers import in bot/ outside the adapters and the composition root."""
    return {(_rel(root, f), m) for f in _files(root, "bot") for m in _modules(f)
            if m.split(".")[0] == "handlers" and not _rel(root, f).startswith("bot/adapters/")
            and _rel(root, f) not in COMPOSITION_ROOT}


def test_the_core_does_not_import_handlers():
    assert core_handler_imports(ROOT) == set()


def test_core_rule_fails_on_a_violation(tmp_path):
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "seed.py").write_text("from handlers.context import Moderators\n")
    assert core_handler_imports(tmp_path) == {("bot/seed.py", "handlers.context")}
