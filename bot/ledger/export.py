"""Exports of a ledger: JSON, CSV of statements, and schema.org ClaimReview JSON-LD once a verdict is set."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from bot.durations import iso_utc
from bot.ledger.conflicts import fmt_value
from bot.ledger.model import SIDE_NAMES, Ledger, Voice
from bot.links import shown_link
from storage.conflicts import FigureStatement
from storage.ledger import LedgerRow

# Moderator statuses that are verdicts, with a schema.org Rating (1 = false ... 5 = true).
VERDICTS = {
    "false": (1, "False"),
    "disputed": (3, "Disputed"),
    "confirmed": (5, "True"),
}
CSV_COLUMNS = ["match_id", "statement_id", "at", "stance", "confidence", "speaker", "speaker_role", "cue_type",
               "source_label", "speaker_kind", "url", "text"]
CSV_TIMES = ("at",)  # the columns holding a time (bot.durations.iso_utc)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CLAIMREVIEW_REQUIRED = ("@context", "@type", "url", "claimReviewed", "author", "reviewRating", "datePublished")


def _public(r: LedgerRow | FigureStatement) -> dict[str, Any]:
    """A stored row as exported: its link as people are shown it (no tracking parameters)."""
    d = asdict(r)
    if d.get("url"):
        d["url"] = shown_link(d["url"])
    return d


def _row(r: LedgerRow | None) -> dict[str, Any] | None:
    return _public(r) if r else None


def _voice(v: Voice) -> dict[str, Any]:
    return {"name": v.name, "role": v.role, "kind": v.kind, "kinds": dict(v.kinds), "outlets": dict(v.outlets),
            "statements": v.count, "first": _row(v.first), "latest": _row(v.latest)}


def ledger_dict(ledger: Ledger, rows: list[LedgerRow]) -> dict[str, Any]:
    """The whole ledger as plain data."""
    c = ledger.claim
    return {
        "claim": {"id": c.id, "text": c.text, "status": c.status, "note": c.note, "updated_at": c.updated_at},
        "counts": {"total": ledger.total, "by_stance": dict(ledger.by_stance),
                   "by_source_kind": {k: dict(v) for k, v in ledger.by_kind.items()}},
        "first_seen": ledger.first_seen,
        "last_activity": ledger.last_activity,
        "independent_confirmation": {"confirmed": ledger.confirmation.confirmed,
                                     "reason": ledger.confirmation.reason,
                                     "evidence": _row(ledger.confirmation.evidence)},
        "trend": ledger.trend,
        "daily": [{"day": d, **dict(cnt)} for d, cnt in ledger.daily],
        "sides": {SIDE_NAMES[s]: {"statements": side.count, "first": _row(side.first), "latest": _row(side.latest),
                                  "voices": [_voice(v) for v in side.voices]}
                  for s, side in ledger.sides.items()},
        "conflicts": [
            {"quantity": k.quantity, "label": k.label, "values": [fmt_value(k.value_a), fmt_value(k.value_b)],
             "statements": [_public(k.a), _public(k.b)], "recorded_at": k.created_at}
            for k in ledger.conflicts
        ],
        "statements": [_public(r) for r in rows],
    }


def ledger_json(ledger: Ledger, rows: list[LedgerRow]) -> bytes:
    """UTF-8 JSON of the ledger."""
    return json.dumps(ledger_dict(ledger, rows), ensure_ascii=False, indent=1).encode()


def csv_cell(value: Any) -> Any:
    """`value` safe to open in a spreadsheet: text starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def statements_csv(rows: list[LedgerRow]) -> bytes:
    """One CSV line per matched statement; text cells never run as spreadsheet formulas.

    Times are ISO 8601 UTC with 'Z' (CSV_TIMES), whatever offset the feed or the store wrote them with,
    so a spreadsheet or a parser reads one format; an unreadable date is left empty.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        cells = _public(r)
        cells.update({k: iso_utc(cells[k]) for k in CSV_TIMES})
        writer.writerow({k: csv_cell(v) for k, v in cells.items()})
    return buf.getvalue().encode()


def claim_review(ledger: Ledger, review_url: str, publisher: str = "Claimwatch") -> dict[str, Any] | None:
    """A schema.org ClaimReview of the moderators' verdict, or None when no verdict is set."""
    c = ledger.claim
    if c.status not in VERDICTS:
        return None
    value, name = VERDICTS[c.status]
    supporters = ledger.sides["supports"].voices
    item: dict[str, Any] = {"@type": "Claim", "name": c.text}
    first = ledger.sides["supports"].first
    if supporters:
        item["author"] = {"@type": "Person" if supporters[0].role is None else "Organization",
                          "name": supporters[0].name}
    if first:
        item["datePublished"] = first.at[:10]
        item["appearance"] = [{"@type": "CreativeWork", "url": shown_link(first.url)}] if first.url else []
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url,
        "claimReviewed": c.text,
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": publisher},
        # alternateName is the verdict as a short public phrase ("False", "Mostly true"): what search
        # engines show. The moderator's note is the team's own (the ledger JSON keeps it), never published.
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                         "alternateName": name},
        "datePublished": (c.updated_at or c.created_at)[:10],
    }


def missing_claimreview_fields(doc: dict[str, Any]) -> list[str]:
    """Required ClaimReview properties that are absent or empty (used by tests and before export)."""
    missing = [k for k in CLAIMREVIEW_REQUIRED if not doc.get(k)]
    rating = doc.get("reviewRating") or {}
    if not rating.get("alternateName"):
        missing.append("reviewRating.alternateName")
    if (doc.get("itemReviewed") or {}).get("@type") != "Claim":
        missing.append("itemReviewed.@type=Claim")
    return missing
