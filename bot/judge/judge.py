"""The Judge: retrieval of candidate claims, relatedness scores and stance."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from .article import article_verdicts
from .cache import EmbeddingCache
from .config import Encoder, JudgeConfig, StanceModel, demote_runners_up
from .context import promote, topic_headline
from .explain import relatedness_reasons
from .features import Doc, evidence_indices
from .index import ClaimIndex as _Index
from .pair import PairStage
from .relatedness import Lexicon
from .rules import article_mix, sentence_votes
from .statement import StanceDecision, decide
from .text import sentences, tokens
from .types import LABELS, STANCES, ClaimRef, DocumentJudgement, Reasons, Verdict

log = logging.getLogger(__name__)


class Judge:
    """Matches statements to watched claims and reads their stance."""

    def __init__(self, encoder: Encoder | None = None, stance: StanceModel | None = None,
                 config: JudgeConfig | None = None, cache_path: Path | str | None = None,
                 pair: PairStage | None = None) -> None:
        """Build a judge; with no encoder or stance model it works lexically.

        cache_path: .npz file that keeps claim embeddings across restarts (None = memory only).
        pair: the pair model that rescores retrieval candidates of statements (None = retrieval only).
        """
        self.encoder = encoder
        self.stance = stance
        self.pair = pair
        self.config = config or JudgeConfig()
        self._lock = threading.RLock()
        self._emb_cache: dict[str, np.ndarray] = {}
        self.disk_cache = self._open_cache(cache_path)
        self._idx = self._build([])

    def _open_cache(self, cache_path: Path | str | None) -> EmbeddingCache | None:
        """The persistent cache, when asked for and the encoder can name its model."""
        model_id = getattr(self.encoder, "model_id", None)
        if cache_path is None or self.encoder is None:
            return None
        if not model_id:
            log.warning("judge encoder has no model_id; claim-embedding cache %s not used", cache_path)
            return None
        dim = int(getattr(self.encoder, "dim", 0) or self.encoder.encode(["dimension probe"]).shape[1])
        return EmbeddingCache(cache_path, model_id, dim)

    def _build(self, claims: Sequence[ClaimRef]) -> _Index:
        emb = self._claim_embeddings([c.text for c in claims]) if self.encoder and claims else None
        thr = np.array([c.threshold if c.threshold is not None else self.config.threshold
                        for c in claims], dtype=np.float32)
        pthr = np.minimum(thr, np.float32(self.config.possible_threshold))
        return _Index(list(claims), Lexicon.build(claims), emb, thr, pthr)

    def _claim_embeddings(self, texts: list[str]) -> np.ndarray:
        """Embed claim texts, reusing embeddings of texts seen before (claim edits stay cheap)."""
        new = sorted({t for t in texts if t not in self._emb_cache})
        if new:
            if len(self._emb_cache) + len(new) > 200_000:
                self._emb_cache.clear()
            if self.disk_cache is not None:
                found = self.disk_cache.get(new)
                self._emb_cache.update(found)
                new = [t for t in new if t not in found]
        if new:
            fresh = dict(zip(new, self.encoder.encode(new), strict=True))
            self._emb_cache.update(fresh)
            if self.disk_cache is not None:
                self.disk_cache.put(fresh)
        return np.stack([self._emb_cache[t] for t in texts])

    def set_claims(self, claims: Sequence[ClaimRef]) -> None:
        """(Re)build the index of watched claims."""
        idx = self._build(claims)
        with self._lock:
            self._idx = idx

    def _encode(self, texts: Sequence[str]) -> np.ndarray | None:
        return self.encoder.encode(texts) if self.encoder and texts else None

    def _rel_features(self, idx: _Index, text: str, cos: np.ndarray | None) -> np.ndarray:
        """Per claim: dense cosine, idf coverage, keyword hit, shared number, shared names."""
        return idx.lexicon.features(text, cos)

    def _relatedness(self, idx: _Index, texts: Sequence[str], cos: np.ndarray | None) -> np.ndarray:
        """(texts, claims) relatedness 0..1 (logistic over the features; cos is (texts, claims))."""
        return idx.lexicon.relatedness(texts, cos, self.config.weights)

    def _probs(self, idx: _Index, items: list[tuple[int, Doc]]) -> list[np.ndarray | None]:
        """Model stance distributions (supports, refutes, neutral) for (claim, doc) items, batched."""
        if self.stance is None or idx.emb is None or not items:
            return [None] * len(items)
        p = self.stance.predict_many([(idx.claims[i].text, idx.emb[i], d) for i, d in items])[:, 1:]
        return list(p / np.maximum(p.sum(1, keepdims=True), 1e-9))

    def _stance(self, idx: _Index, i: int, doc: Doc, p: np.ndarray | None = None) -> StanceDecision:
        """Stance of a document toward claim i: statement policy for short texts, else the model."""
        claim = idx.claims[i]
        if len(doc.sents) <= self.config.statement_max_sentences:
            # a statement or a short post: judged like a statement, on its most related sentence
            j = self._best_sentence(idx, i, doc)
            return decide(claim.text, doc.sents[j], tuple(p) if p is not None else None)
        if p is None:
            ov = [len(set(tokens(claim.text)) & t) for t in doc.toks]
            best = np.argsort(ov, kind="stable")[::-1][: self.config.article_sentences]
            votes = [decide(claim.text, doc.sents[j], None) for j in best]
            return max(votes, key=lambda v: (v.stance == "refutes", v.confidence))
        ev = [doc.sents[j] for j in evidence_indices(claim.text, idx.emb[i], doc)]
        p = article_mix(p, sentence_votes(claim.text, ev, tuple(p)), self.config.vote_mix)
        k = int(np.argmax(p))
        return StanceDecision(STANCES[k], float(p[k]), f"article model p({STANCES[k]})={float(p[k]):.2f}")

    def _best_sentence(self, idx: _Index, i: int, doc: Doc) -> int:
        """Index of the document sentence most related to claim i."""
        ct = set(tokens(idx.claims[i].text))
        score = np.array([len(ct & t) / max(len(ct), 1) for t in doc.toks], np.float32)
        if idx.emb is not None and doc.emb.shape[1] == idx.emb.shape[1]:
            score = score * 0.5 + doc.emb @ idx.emb[i]
        return int(np.argmax(score))

    def _select(self, idx: _Index, rel: np.ndarray, top_k: int | None,
                rank: np.ndarray | None = None, possible: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Claims to report (alert-worthy, possible too if asked, or the top_k best by rank), best first, and alert flags."""
        alert = rel >= idx.thr
        if top_k is None:
            order = np.flatnonzero(rel >= idx.pthr if possible else alert)
            return order[np.argsort(-rel[order], kind="stable")], alert
        key = rel if rank is None else rank
        k = min(top_k, len(rel))
        order = np.argpartition(-key, k - 1)[:k] if 0 < k < len(rel) else np.arange(len(rel))[:k]
        return order[np.argsort(-key[order], kind="stable")], alert

    def _retrieval_rank(self, idx: _Index, texts: Sequence[str], rel: np.ndarray) -> np.ndarray | None:
        """Ranking key for top_k lists: logit(relatedness) + w * BM25 (weight chosen on CheckThat! train)."""
        w = self.config.retrieval_bm25
        if not w:
            return rel
        r = np.clip(rel, 1e-7, 1 - 1e-7)
        bm = np.stack([idx.lexicon.lex.query(t)[0] for t in texts])
        return np.log(r) - np.log1p(-r) + w * bm

    def _judge_many(self, idx: _Index, rows: list[tuple[np.ndarray, Callable[[], Doc]]],
                    top_k: int | None, ranks: np.ndarray | None = None, possible: bool = False,
                    given: dict[tuple[int, int], np.ndarray] | None = None) -> list[list[Verdict]]:
        """Verdicts for several texts (relatedness row, doc factory), stance model run in one batch.

        given: (text, claim) -> 4-way pair-model probabilities; those pairs skip the stance model.
        """
        given = given or {}
        picks = [self._select(idx, rel, top_k, None if ranks is None else ranks[j], possible)
                 for j, (rel, _) in enumerate(rows)]
        docs = [make() if len(order) else None for (_, make), (order, _) in zip(rows, picks, strict=True)]
        items = [(int(i), d) for j, ((order, _), d) in enumerate(zip(picks, docs, strict=True))
                 for i in order if (j, int(i)) not in given]
        probs = iter(self._probs(idx, items))
        out = []
        for j, ((rel, _), (order, alert), doc) in enumerate(zip(rows, picks, docs, strict=True)):
            vs = []
            for i in order:
                q = given.get((j, int(i)))
                p = next(probs) if q is None else q[1:] / max(float(q[1:].sum()), 1e-9)
                d = self._stance(idx, int(i), doc, p)
                why = Reasons(stance_rule=d.reason,
                              stance_probs=None if p is None else tuple(round(float(x), 3) for x in p))
                vs.append(Verdict(idx.claims[i].id, round(float(rel[i]), 4), d.stance,
                                  round(d.confidence, 4), bool(alert[i]), why))
            out.append(vs)
        return out

    def _doc(self, sents: list[str], emb: np.ndarray | None) -> Doc:
        return Doc.build(sents, emb if emb is not None else np.zeros((len(sents), 1), np.float32))

    def match(self, texts: Sequence[str], top_k: int | None = None,
              possible: bool = False) -> list[list[Verdict]]:
        """Per input text, verdicts best first (alert-worthy only, possible-tier too, or the top_k best)."""
        with self._lock:
            return self._match(self._idx, list(texts), top_k, possible)

    def _match(self, idx: _Index, texts: list[str], top_k: int | None, possible: bool,
               in_context: bool = False) -> list[list[Verdict]]:
        if not idx.claims or not texts:
            return [[] for _ in texts]
        temb = self._encode(texts)
        cos = idx.cosines(temb)
        rel = self._relatedness(idx, texts, cos)
        bi, given, anchored = rel, {}, {}
        if self.pair is not None:
            # a top-k list reads its k best candidates, so its scores and alert flags match the alerts
            rel, given, anchored = self.pair.rescore(rel, texts, [c.text for c in idx.claims],
                                           None if top_k is None else max(top_k, self.pair.config.top),
                                           None if top_k is None else 0.0)
        order_key = rel  # top-k lists rank by the score before the gate (the gate decides alerts only)
        if self.pair is not None:
            rel = self.pair.gated(rel, given, idx.thr)
        if self.config.runner_up < 1.0 and rel.shape[1] > 1:
            rel = demote_runners_up(rel, idx.thr, self.config.runner_up)
        why: dict[tuple[int, int], str] = {}
        if in_context:
            rel, why = promote(rel, cos, idx.thr, idx.pthr, texts, [c.text for c in idx.claims])
        rows = []
        for j, t in enumerate(texts):
            e = temb[j : j + 1] if temb is not None else None
            rows.append((rel[j], lambda t=t, e=e: self._doc([t], e)))
        ranks = self._retrieval_rank(idx, texts, order_key) if top_k is not None else None
        out = self._judge_many(idx, rows, top_k, ranks, possible, given)
        return [relatedness_reasons(idx, texts[j], j, vs, None if cos is None else cos[j], bi[j], given, why, anchored)
                for j, vs in enumerate(out)]

    def match_document(self, texts: Sequence[str], title_first: bool = True) -> DocumentJudgement:
        """Verdicts for an article's statements judged in context, and one verdict per claim concerned.

        texts: the article's statements in order (the title first when title_first). A sentence
        that refers back to a claim the article concerns is judged against it; a headline that
        only names the topic is neutral.
        """
        with self._lock:
            per = self._match(self._idx, list(texts), None, True, in_context=True)
        if title_first and per and per[0] and topic_headline(texts[0]):
            per[0] = [replace(v, stance="neutral", confidence=0.6, reasons=replace(
                v.reasons or Reasons(), stance_rule="the headline names the topic only")) for v in per[0]]
        return DocumentJudgement(per, article_verdicts(per, title_first, self.config.runner_up))

    def _article(self, idx: _Index, text: str) -> tuple[np.ndarray, Doc]:
        """Per claim the best relatedness over the sentences, and the sentence-split document."""
        sents = sentences(text) or [text]
        semb = self._encode(sents)
        cos = idx.cosines(semb)
        return self._relatedness(idx, sents, cos).max(axis=0), self._doc(sents, semb)

    def classify_article(self, text: str, top_k: int | None = None) -> list[Verdict]:
        """Which watched claims a pasted text or article concerns, with stance (alert and possible tiers).

        Up to statement_max_sentences sentences are judged as one statement; a longer text as an
        article (match_document): each claim's verdict is the article's, its reasons the lead statement's.
        """
        if not text.strip():
            return []
        sents = sentences(text) or [text]
        with self._lock:
            if len(sents) <= self.config.statement_max_sentences:
                out = self._match(self._idx, [" ".join(sents)], None, True)[0]
            else:
                dj = self.match_document(sents, title_first=False)
                lead = {(j, v.claim_id): v for j, vs in enumerate(dj.statements) for v in vs}
                out = []
                for a in dj.articles:
                    first = lead.get((a.evidence[0], a.claim_id)) if a.evidence else None
                    why = first.reasons if first is not None else None
                    if why is not None:
                        why = replace(why, context=f"article verdict from sentence(s) "
                                      f"{', '.join(str(i + 1) for i in a.evidence)}")
                    out.append(Verdict(a.claim_id, a.score, a.stance, a.confidence, a.alert, why))
        return out[:top_k] if top_k else out

    def classify(self, claim: str, text: str) -> tuple[str, float]:
        """Label (unrelated|supports|refutes|neutral) of a text toward one claim, and its score."""
        with self._lock:
            short = sentences(text) or [text]
            idx = self._build([ClaimRef("_", claim)])
            if self.pair is not None and len(short) <= self.config.statement_max_sentences:
                # a statement: related as match() decides it (retrieval and pair model mixed, the
                # possible band counting as related), then the side the pair model gives
                p4 = self.pair.model.predict([(claim, text)])[0]
                ret = self._relatedness(idx, [text], idx.cosines(self._encode([text])))[:, 0]
                score = float(self.pair.mix(ret, p4[:1])[0])
                if score < float(idx.pthr[0]):
                    return LABELS[0], round(1.0 - score, 4)
                k = 1 + int(np.argmax(p4[1:]))
                return LABELS[k], round(float(p4[k] / max(float(p4[1:].sum()), 1e-9)), 4)
            rel, doc = self._article(idx, text)
            if self.stance is not None and idx.emb is not None:
                p = self.stance.predict(claim, idx.emb[0], doc)
                if int(np.argmax(p)) == 0:
                    return LABELS[0], round(float(p[0]), 4)
                q = p[1:] / max(float(p[1:].sum()), 1e-9)
                d = self._stance(idx, 0, doc, q)
                s, c = d.stance, d.confidence
                return s, round(c * (1.0 - float(p[0])), 4)
            if rel[0] < self.config.unrelated_threshold:
                return "unrelated", round(1.0 - float(rel[0]), 4)
            d = self._stance(idx, 0, doc)
            s, c = d.stance, d.confidence
            return s, round(c, 4)
