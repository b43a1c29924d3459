"""Article context: sentences that refer back to a claim the article concerns, and topic-only headlines."""

from __future__ import annotations

import re

import numpy as np

from bot.extract.attribution import attribute

from .cues import cue_hits

# Back-references to an event already named in the article ("the allegation", "this version").
_BACKREF = re.compile(
    r"(?<![\w-])(?:the|this|that|these|those|such|its|their|moscow's|kyiv's|russia's|the kremlin's)\s+"
    r"(?:\w+\s+)?(?:allegations?|accusations?|claims?|assertions?|version|account|narrative|story|stories|"
    r"reports?|attack|attacks|strike|strikes|incident|episode|event|events|charge|charges|statement|"
    r"statements|report|footage|video|images?|assault|operation|plot)(?![\w-])"
    r"|(?<![\w-])(?:it|this)\s+(?:was|is|never|did not|didn't|had not|has not)\b", re.I)
# Headlines that name a topic without taking a side: "Statement by ... on Russian claims about ...".
_TOPIC = re.compile(
    r"^\s*(?:statement|remarks|press (?:release|statement|briefing)|readout|briefing|comment|update|"
    r"explainer|fact ?check|q&a|live|what we know|timeline|factbox|analysis|opinion|transcript|"
    r"declaration|joint statement)\b"
    r"|^[^.!?]{0,80}\b(?:on|about|regarding|over)\s+(?:\w+\s+){0,3}"
    r"(?:claims?|allegations?|reports?|accusations?|rumou?rs?)\s+(?:about|of|that|regarding)\b", re.I)
# A headline with a reporting verb takes the speaker's side ("Kyiv denies ..."), so it is no topic line.
# ("claims" and "calls" are left out: "on Russian claims about ..." names a topic.)
_VERB = re.compile(r"\b(?:says?|said|denies|denied|rejects?|confirms?|accuses|insists?|"
                   r"warns?|dismisses|admits?)\b", re.I)

PROMOTE_COS = 0.2  # a referring sentence needs some similarity of its own to be read against the claim


def refers_back(text: str) -> str | None:
    """The back-reference a sentence makes ("the allegation"), or None."""
    m = _BACKREF.search(text)
    return m.group(0) if m else None


def topic_headline(title: str) -> bool:
    """A headline that only names the topic, so it takes no side."""
    return bool(_TOPIC.search(title)) and not _VERB.search(title)


def promote(rel: np.ndarray, cos: np.ndarray | None, thr: np.ndarray, pthr: np.ndarray,
            texts: list[str], claims: list[str]) -> tuple[np.ndarray, dict[tuple[int, int], str]]:
    """Relatedness in context: in an article that concerns a claim, its voices on the claim alert.

    A sentence with a speaker or a back-reference alerts for a claim the article concerns when it
    is in the possible band, or when it is somewhat similar (cosine >= PROMOTE_COS) and takes a
    side in its own words (denial or hedge wording). rel, cos: (statements, claims). Returns the
    new rel and, per promoted (statement, claim), why.
    """
    concerns = np.flatnonzero((rel >= thr).any(axis=0))
    why: dict[tuple[int, int], str] = {}
    if not len(concerns):
        return rel, why
    out = rel.copy()
    voices = [(refers_back(t), attribute(t).cue_type) for t in texts]
    for c in concerns:
        anchor = int(np.argmax(rel[:, c]))
        for i, t in enumerate(texts):
            ref, cue = voices[i]
            if rel[i, c] >= thr[c] or not (ref or cue):
                continue  # background lines (no speaker, no back-reference) stay where they are
            if rel[i, c] >= pthr[c]:
                reason = "possible match with a speaker or back-reference"
            elif cos is not None and cos[i, c] >= PROMOTE_COS and _takes_side(claims[c], t):
                reason = f"refers back (\"{ref}\") and takes a side" if ref else "a speaker taking a side"
            else:
                continue
            out[i, c] = thr[c]
            why[(i, int(c))] = (f"{reason}, in an article that concerns the claim "
                                f"(statement {anchor + 1}, score {rel[anchor, c]:.2f})")
    return out, why


def _takes_side(claim: str, text: str) -> bool:
    """Denial or hedge wording of its own (a plain report of the topic does not count)."""
    c = cue_hits(claim, text)
    return bool(c.denial or c.hedge or c.question)
