"""The one place alert types become stored rows (kind, JSON payload) and back.

The JSON keys are the dataclass field names, which are the keys payloads had before the types
existed, so rows written by earlier versions decode as they are: unknown keys (an old conflict's
`escalation`) are ignored, missing ones take the type's default, and a malformed value (a damaged
quote, a non-numeric count) is dropped rather than failing the outbox pass that reads the row.
An `Edit` is stored as kind 'update': the edited alert's payload plus `edit_of` (and `edit_kind`
when it is not a statement alert); its message and thread ids are delivery state, never stored.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.alert_types import ALERT_TYPES, Alert, Edit, Notice, StatementAlert

log = logging.getLogger(__name__)

KINDS: dict[str, type[Alert]] = {t.kind: t for t in ALERT_TYPES}
_ADAPTERS: dict[type[Alert], TypeAdapter[Any]] = {t: TypeAdapter(t) for t in ALERT_TYPES}
EDIT_KIND = Edit.kind


def encode(alert: Alert | Edit) -> tuple[str, dict[str, Any]]:
    """(kind, payload) of an alert as the alerts table stores them."""
    if isinstance(alert, Edit):
        kind, payload = encode(alert.alert)
        extra = {} if kind == StatementAlert.kind else {"edit_kind": kind}
        return EDIT_KIND, payload | {"edit_of": alert.of} | extra
    return alert.kind, _ADAPTERS[type(alert)].dump_python(alert, mode="json")


def row_of(alert: Alert | Edit) -> tuple[str, int | None, dict[str, Any]]:
    """(kind, claim id, payload): the alerts table's columns for an alert."""
    kind, payload = encode(alert)
    return kind, (alert.alert if isinstance(alert, Edit) else alert).claim_id, payload


def decode(kind: str, payload: str | dict[str, Any], claim_id: int | None = None) -> Alert | Edit:
    """The alert a stored row holds; `claim_id` (the row's column) fills in a payload that lacks one.

    An unknown kind decodes as a Notice (its title and text), so an outbox pass never stops on it.
    """
    try:
        raw = json.loads(payload) if isinstance(payload, str) else dict(payload)
    except ValueError:  # JSONDecodeError: a damaged row shows as an empty alert of its kind
        log.warning("stored %s alert is not JSON; shown empty", kind)
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    if claim_id is not None and raw.get("claim_id") is None:
        raw["claim_id"] = claim_id
    if kind == EDIT_KIND:
        of = raw.pop("edit_of", None)
        inner = _decode(KINDS.get(str(raw.pop("edit_kind", StatementAlert.kind)), StatementAlert), raw)
        return Edit(of if isinstance(of, int) else 0, inner)
    cls = KINDS.get(kind)
    if cls is None:
        log.warning("stored alert of unknown kind %r shown as a notice", kind)
    return _decode(cls or Notice, raw)


def _decode(cls: type[Alert], raw: dict[str, Any]) -> Alert:
    if "quotes" in raw:  # quotes without words (or not objects at all) carry nothing to show
        quotes = raw["quotes"] if isinstance(raw["quotes"], list) else []
        raw["quotes"] = [q for q in quotes if isinstance(q, dict) and isinstance(q.get("text"), str) and q["text"]]
    adapter = _ADAPTERS[cls]
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
        log.warning("stored %s alert had malformed %s; shown without them", cls.kind, sorted(map(str, bad)))
        return adapter.validate_python({k: v for k, v in raw.items() if k not in bad})
