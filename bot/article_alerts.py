"""An article's judgement as ledger rows: every statement verdict a match, one alert per (article, claim)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.alerts import MAX_QUOTES, statement_alert
from bot.judge import ArticleVerdict, DocumentJudgement, Verdict
from bot.judging import verdict_detail
from bot.models import Claim, Source, StatementDraft
from bot.platform import Quote
from bot.sources.items import Item
from storage.documents import NewDocument, NewMatch
from storage.tiers import CONTEXT, tier_of

ROUND_UP = 15  # statements: a wire story has 5-15; a live blog or round-up has more


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What an alert says about the article it comes from."""

    url: str
    title: str
    published_at: str | None
    source: Source
    sort_key: str


def document_matches(
    statements: Sequence[StatementDraft],
    judged: DocumentJudgement,
    claims: Mapping[int, Claim],
    meta: ArticleMeta,
    alerting: bool,
    earlier: Collection[str] = frozenset(),
) -> list[NewMatch]:
    """Every (statement, claim) verdict as a match in its tier; each alerting article verdict rides on one.

    A statement with figures in an article that alerts for a claim, and no verdict for it of its
    own, is kept as a 'context' match: its figures are the claim's (storage.tiers.FIGURES), unless
    the article is a live blog or round-up that names the claim once (`_about`).
    `alerting` False (quiet or too old) records matches only. `earlier` holds the lower-cased
    statements of the story's earlier versions: a claim alerts only when one of its evidence
    statements is new, and that alert leads with the new statement.
    """
    matches: dict[tuple[int, int], NewMatch] = {}
    verdicts: dict[tuple[int, int], Verdict] = {}
    for i, (st, found) in enumerate(zip(statements, judged.statements, strict=True)):
        for v in found:
            claim = claims.get(int(v.claim_id))
            if claim is None or (i, claim.id) in matches:  # storage keeps one row per (statement, claim)
                continue
            verdicts[i, claim.id] = v
            matches[i, claim.id] = NewMatch(
                st.seq, claim.id, v.score, v.stance, v.confidence, None, meta.sort_key,
                tier=tier_of(v.alert), detail=verdict_detail(v),
            )
    for av in judged.articles:
        claim = claims.get(int(av.claim_id))
        if av.alert and claim is not None and _about(claim.id, statements, verdicts):
            for i, st in enumerate(statements):
                if st.figures and (i, claim.id) not in matches:
                    matches[i, claim.id] = NewMatch(st.seq, claim.id, 0.0, "neutral", 0.0, None, meta.sort_key,
                                                    tier=CONTEXT)
    if alerting:
        for av in judged.articles:
            claim = claims.get(int(av.claim_id))
            if not av.alert or claim is None:
                continue
            order = _quoted(av, claim.id, statements, verdicts, earlier)
            if not order:
                continue
            anchor = matches[order[0], claim.id]
            if anchor.alert is not None:  # a second verdict for one claim: the first one alerted
                continue
            lead = statements[order[0]]
            quotes = [Quote(statements[i].text, statements[i].speaker, verdicts[i, claim.id].stance)
                      for i in order[:MAX_QUOTES]]
            anchor.alert = statement_alert(
                claim, lead.text, av.stance, av.confidence, lead.speaker, meta.url, meta.title,
                meta.published_at, meta.source, quotes,
            )
    return list(matches.values())


def _about(claim_id: int, statements: Sequence[StatementDraft], verdicts: Mapping[tuple[int, int], Verdict]) -> bool:
    """Whether an alerting article is about the claim rather than a live blog or round-up naming it
    in passing: two of its statements alert for it, or it is no longer than a news story."""
    hits = sum(1 for (_, c), v in verdicts.items() if c == claim_id and v.alert)
    return hits >= 2 or len(statements) <= ROUND_UP


def _quoted(
    av: ArticleVerdict, claim_id: int, statements: Sequence[StatementDraft],
    verdicts: Mapping[tuple[int, int], Verdict], earlier: Collection[str],
) -> list[int]:
    """The statements an article alert quotes, new ones first; empty when none of them is new."""
    # Only statements judged against this claim can anchor the alert or show their own stance.
    evidence = [i for i in dict.fromkeys(av.evidence) if (i, claim_id) in verdicts]
    if not evidence:  # an alerting verdict that names no usable statement: its best alert-tier ones
        hits = [(i, v) for (i, c), v in verdicts.items() if c == claim_id and v.alert]
        evidence = [i for i, _ in sorted(hits, key=lambda iv: -iv[1].score)]
    new = [i for i in evidence if statements[i].text.lower() not in earlier]
    # An edit's alert leads with what is new, so its quote (and story key) is not an earlier version's.
    return new + [i for i in evidence if i not in new] if new else []


def new_document(item: Item, source_id: int, canon: str, statements: list[StatementDraft], matches: list[NewMatch],
                 quiet: bool, story_id: int | None, signature: bytes | None, bands: list[int]) -> NewDocument:
    """The document to store for a fetched item, with its statements and matches (pure: no I/O)."""
    return NewDocument(
        source_id=source_id, url=item.url, canonical_url=canon, title=item.title, text=item.text,
        content_hash=item.content_hash, guid=item.guid, published_at=item.published_at,
        author=item.author, quiet=quiet, statements=statements, matches=matches, story_id=story_id,
        signature=signature, bands=bands,
    )
