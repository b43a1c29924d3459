"""The command table's argument declarations drive parsing, usage text, handler signatures and Discord's options."""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pytest
from discord import AppCommandOptionType

from bot.adapters.discord_commands import build_groups
from bot.models import Claim, Source
from handlers.args import Arg, bind, parse, usage_line, written
from handlers.errors import UsageError
from handlers.table import COMMANDS, CommandSpec, command_text

URL = "https://news.example.org/rss"

# (command, typed text, the values it gives that differ from the defaults)
PARSED = [
    (("claim", "add"), 'He said   "no drones"  flew', {"text": 'He said "no drones" flew'}),
    (("claim", "status"), "drone residence", {"claim": "drone residence"}),
    (("claim", "evidence"), "3", {"claim": 3}),
    (("claim", "evidence"), "3 2", {"claim": 3, "page": 2}),
    (("claim", "evidence"), "#3 REFUTES 4", {"claim": 3, "stance": "refutes", "page": 4}),
    (("claim", "export"), f"4 url={URL}", {"claim": 4, "url": URL}),
    (("claim", "alerts"), "", {}),
    (("claim", "alerts"), "reset", {"settings": ("reset",)}),
    (("claim", "alerts"), "all rate=20/day", {"claim": "all", "settings": ("rate=20/day",)}),
    (("claim", "alerts"), "2 min=0.5 tz=UTC", {"claim": 2, "settings": ("min=0.5", "tz=UTC")}),
    (("claim", "check"), "line one\nline two ", {"text": "line one\nline two"}),
    (("claim", "set"), "1 FALSE  the  EU says so", {"claim": 1, "status": "false", "note": "the EU says so"}),
    (("claim", "review"), "#7", {"alert": 7}),
    (("claim", "confirm"), "12", {"match": 12}),
    (("claim", "reject"), "alert=9", {"alert": 9}),
    (("claim", "stance"), "alert=9 neutral", {"alert": 9, "stance": "neutral"}),
    (("claim", "stance"), "5 supports", {"match": 5, "stance": "supports"}),
    (("claim", "audit"), "20", {"count": 20}),
    (("claim", "help"), "set", {"command": "set"}),
    (("source", "add"), URL, {"url": URL}),
    (("source", "add"), f"{URL} label=BBC World every=2h kind=page speaker=official",
     {"url": URL, "label": "BBC World", "every": 7200, "kind": "page", "speaker": "official"}),
    (("source", "remove"), "3", {"source": 3}),
]


@pytest.mark.parametrize(("key", "text", "expected"), PARSED, ids=[f"{' '.join(k)} {t!r}" for k, t, _ in PARSED])
def test_the_declaration_drives_parsing(key: tuple[str, str], text: str, expected: dict[str, Any]) -> None:
    spec = COMMANDS[key]
    defaults = {a.name: a.default for a in spec.args}
    assert parse(spec.args, text) == defaults | expected


# (command, typed text, the reason given): each from the argument's own declaration
REFUSED = [
    (("claim", "add"), "", "Claim text is empty."),
    (("claim", "watch"), "", "Which claim? Give its id."),
    (("claim", "watch"), "1 2", "Unexpected '2'."),
    (("claim", "evidence"), "1 sideways", "'sideways' is neither a stance (supports, refutes, neutral) "
                                          "nor a page number (1 to 10,000)."),
    (("claim", "evidence"), "1 0", "page number must be a number from 1 to 10,000."),
    (("claim", "possible"), "1 next", "'next' is not a page number."),
    (("claim", "set"), "1 maybe", "Unknown status 'maybe'; use unverified, disputed, confirmed, false or resolved."),
    (("claim", "set"), "1 false " + "n" * 501, "The note is 501 characters; the limit is 500."),
    (("claim", "stance"), "abc refutes", "match id must be a number, got 'abc'."),
    (("claim", "stance"), "4", "Give one stance: supports, refutes or neutral."),
    (("claim", "export"), "1 url=ftp://x", "url= must be the http(s) address where the review is published."),
    (("claim", "help"), "frobnicate", "Unknown command 'frobnicate'; use add, list,"),
    (("source", "add"), f"{URL} kind=video", "kind= must be feed or page."),
    (("source", "add"), f"{URL} every=soon", "every=: invalid duration 'soon'"),
    (("source", "add"), f"{URL} colour=red", "Unknown option colour="),
    (("source", "add"), f"{URL} {URL}", "Unexpected"),
]


@pytest.mark.parametrize(("key", "text", "reason"), REFUSED, ids=[f"{' '.join(k)} {t[:30]!r}" for k, t, _ in REFUSED])
def test_words_that_do_not_fit_are_refused_with_a_reason(key: tuple[str, str], text: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(COMMANDS[key].args, text)
    assert str(caught.value).startswith(reason)


def test_named_options_read_as_the_same_values_as_typed_words() -> None:
    spec = COMMANDS[("source", "add")]
    given = {"url": URL, "label": "BBC  World", "every": "1h", "speaker": "official"}
    assert bind(spec.args, given) == parse(spec.args, f'{URL} label="BBC World" every=1h speaker=official')
    assert command_text(spec, given) == f"add {URL} every=1h label=BBC  World speaker=official"
    assert written(spec.args, {"url": URL}) == URL
    with pytest.raises(UsageError, match="Give exactly one URL."):
        bind(spec.args, {"label": "x"})


USAGE = {
    ("claim", "add"): "/claim add <text>",
    ("claim", "status"): "/claim status <id or words>",
    ("claim", "evidence"): "/claim evidence <id> [supports|refutes|neutral] [page]",
    ("claim", "alerts"): "/claim alerts [<id>|all] [settings|reset]",
    ("claim", "set"): "/claim set <id> <status> [note]",
    ("claim", "stance"): "/claim stance <match id>|alert=<alert id> supports|refutes|neutral",
    ("claim", "review"): "/claim review <alert id>",
    ("claim", "audit"): "/claim audit [count]",
    ("source", "add"): "/source add <url> [every=10m] [label=...]",
    ("source", "list"): "/source list",
    ("claim", "help"): "/claim help [command]",
    ("claim", "why"): "/claim why <match id>|alert=<alert id>",
}


@pytest.mark.parametrize("key", list(USAGE), ids=[" ".join(k) for k in USAGE])
def test_usage_comes_from_the_declaration(key: tuple[str, str]) -> None:
    spec = COMMANDS[key]
    assert spec.usage == USAGE[key]
    explained = spec.explained().splitlines()
    assert explained[0].startswith(f"{spec.full} {usage_line(spec.args, brief=False)}".rstrip())
    assert all(a.usage in explained[0] for a in spec.args)
    assert [line.split(":")[0].strip() for line in explained[1:]] == [a.usage for a in spec.args]


def value_type(arg: Arg) -> Any:
    """The type a handler's parameter for `arg` is annotated with (without None for an optional one)."""
    base: Any = {"claim": Claim, "source": Source, "match": int, "alert": int, "int": int, "duration": int,
                 "options": tuple[str, ...]}.get(arg.kind, str)
    return base | str if arg.words else base


def disagreements(spec: CommandSpec) -> list[str]:
    """How a handler's signature differs from its command's declared arguments (empty when they agree)."""
    params = list(inspect.signature(spec.handler).parameters.values())[1:]  # after ctx
    hints = typing.get_type_hints(spec.handler)
    found = []
    if {p.name for p in params} != {a.name for a in spec.args}:
        found.append(f"parameters {[p.name for p in params]} vs arguments {[a.name for a in spec.args]}")
    declared = {a.name: a for a in spec.args}
    for p in params:
        arg = declared.get(p.name)
        if arg is None:
            continue
        if arg.required != (p.default is inspect.Parameter.empty):
            found.append(f"{p.name}: required {arg.required} but the handler's default is {p.default!r}")
        elif not arg.required and p.default != arg.default:
            found.append(f"{p.name}: default {arg.default!r} but the handler's is {p.default!r}")
        want = value_type(arg)
        if hints.get(p.name) not in (want, want | None):
            found.append(f"{p.name}: annotated {hints.get(p.name)} but the argument gives {want}")
    return found


@pytest.mark.parametrize("spec", list(COMMANDS.values()), ids=lambda s: s.full)
def test_every_handler_takes_exactly_what_its_command_declares(spec: CommandSpec) -> None:
    assert disagreements(spec) == []


def test_a_handler_that_disagrees_with_its_declaration_is_caught() -> None:
    async def watch(ctx: object, claim: int, page: int = 2) -> None:  # wrong type, an undeclared page
        return None

    bad = CommandSpec("claim", "watch", watch, "x", (Arg("claim", "claim"),))
    found = disagreements(bad)
    assert any("parameters" in f for f in found) and any("annotated" in f for f in found)
    reordered = CommandSpec("claim", "x", COMMANDS[("claim", "evidence")].handler, "x",
                            (Arg("claim", "claim"), Arg("stance", "stance"), Arg("page", "int", required=False)))
    assert [f.split(":")[0] for f in disagreements(reordered)] == ["stance", "page"]


OPTION_TYPES = {"match": AppCommandOptionType.integer, "alert": AppCommandOptionType.integer,
                "int": AppCommandOptionType.integer}


async def _never(*_args: Any) -> None:
    raise AssertionError("not called")


def test_discord_options_come_from_the_declaration() -> None:
    groups = {g.name: g for g in build_groups(_never, store=None)}  # type: ignore[arg-type]
    assert set(groups) == {"claim", "source"}
    for (group, name), spec in COMMANDS.items():
        command = groups[group].get_command(name)
        assert command is not None, spec.full
        options = {p.name: p for p in command.parameters}  # type: ignore[union-attr]
        required_first = [a.name for a in spec.args if a.required] + [a.name for a in spec.args if not a.required]
        assert list(options) == required_first, spec.full
        for arg in spec.args:
            option = options[arg.name]
            assert option.required == arg.required, (spec.full, arg.name)
            assert option.type == OPTION_TYPES.get(arg.kind, AppCommandOptionType.string), (spec.full, arg.name)
            assert option.description == arg.description
            assert [c.value for c in option.choices] == (
                list(arg.choices or ("supports", "refutes", "neutral")) if arg.kind in ("stance", "choice") else [])
            assert option.autocomplete == bool(arg.completes), (spec.full, arg.name)
            if arg.kind == "int":
                assert (option.min_value, option.max_value) == (arg.lo, arg.hi)


@pytest.mark.parametrize("spec", list(COMMANDS.values()), ids=lambda s: s.full)
def test_declarations_are_readable(spec: CommandSpec) -> None:
    """Names are unique, and a command whose last argument takes the rest of the line has no name=value ones
    (the rest is read as typed, so options inside it would never be seen)."""
    names = [a.name for a in spec.args]
    assert len(names) == len(set(names))
    if spec.args and spec.args[-1].kind in ("text", "options") and not spec.args[-1].key:
        assert not any(a.key for a in spec.args), spec.full
    assert all(a.description for a in spec.args)
