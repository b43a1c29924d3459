"""Table-driven tests of statement stance wording: hedges, denials and what is no negation."""

from __future__ import annotations

import pytest

from bot.judge.statement import decide

CLAIM = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # hedges: unverified in other words, and "neither confirms nor denies" (not a denial)
        ("Kyiv neither confirms nor denies that its drones flew toward the residence.", "neutral"),
        ("Analysts could neither confirm nor rule out Moscow's account of the drone attack.", "neutral"),
        ("Reporters were unable to confirm the ministry's account of the strike on the residence.", "neutral"),
        ("Whether drones reached the residence has yet to be established.", "neutral"),
        ("It is impossible to say from the footage whether the residence was targeted.", "neutral"),
        ("Photos said to show debris near the residence have not been checked by anyone.", "neutral"),
        ("Nobody has yet confirmed that drones were shot down near the residence.", "neutral"),
        ("Why no air defence was heard near the residence that night remains unexplained.", "neutral"),
        # intensifiers that are no negation: the statement asserts the claim
        ("\"I have no doubt that Kyiv sent those drones at the president's residence,\" Lavrov said.", "supports"),
        # open work and open findings hedge; "never been ruled out" is no denial
        ("Investigators were still establishing who sent the drones toward the residence.", "neutral"),
        ("Accounts of the attack on the residence vary widely, diplomats said.", "neutral"),
        ("A drone strike on the residence has never been ruled out by Western officials.", "neutral"),
        # "nothing but" intensifies
        ("\"We saw nothing but drones over the residence that night,\" a guard said.", "supports"),
        # denial wording
        ("Kyiv called the drone story fear-mongering meant to derail the talks.", "refutes"),
        ("Stop spreading the 'residence attack' lie, Kyiv's foreign ministry said.", "refutes"),
        ("Kyiv says it did not launch any drones at the residence.", "refutes"),
    ],
)
def test_statement_stance_wording(text: str, stance: str) -> None:
    assert decide(CLAIM, text, None).stance == stance, decide(CLAIM, text, None).reason


@pytest.mark.parametrize(
    ("text", "p", "stance"),
    [
        # a bare negation refutes unless the model reads the pair as support ("I have no words")
        ("Drones hit the residence overnight. I have no words.", (0.8, 0.1, 0.1), "supports"),
        ("Drones did not come near the residence.", (0.3, 0.6, 0.1), "refutes"),
        ("Drones did not come near the residence.", None, "refutes"),
        ("Kyiv's drones struck the residence overnight.", (0.6, 0.1, 0.3), "supports"),
    ],
)
def test_statement_stance_with_model(text: str, p: tuple[float, float, float] | None, stance: str) -> None:
    assert decide(CLAIM, text, p).stance == stance, decide(CLAIM, text, p).reason


FALSEHOOD_CLAIMS = [
    "Russia fabricated the drone attack on Putin's residence in the Novgorod region",
    "The drone attack on Putin's residence in the Novgorod region never happened",
    "Moscow's story of a drone attack on Putin's residence is a fabrication",
]


@pytest.mark.parametrize("claim", FALSEHOOD_CLAIMS)
@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # asserting the event refutes a claim that calls it false ...
        ("Moscow says Ukrainian drones targeted the presidential residence in the Novgorod region.", "refutes"),
        ("Russia's defence ministry said 89 drones aimed at the residence were shot down.", "refutes"),
        # ... and denying it, or echoing the claim's own verdict, supports it
        ("Kyiv denied that any drone attack on the residence took place.", "supports"),
        ("Zelensky called the story of a drone attack on Putin's residence a fabrication.", "supports"),
        ("US officials found no evidence of a Ukrainian drone attack on the residence.", "supports"),
        # open questions stay neutral whichever way the claim is worded
        ("It is unclear whether drones flew anywhere near the residence.", "neutral"),
        ("Did Kyiv really send drones at the residence?", "neutral"),
    ],
)
def test_a_claim_of_falsehood_flips_the_side(claim: str, text: str, stance: str) -> None:
    d = decide(claim, text, None)
    assert d.stance == stance, (claim, text, d)


@pytest.mark.parametrize("claim", [
    "False claims about the identity of the teenager who killed three girls in Southport fuelled England's riots",
    "A fake video of Ukrainian soldiers burning an effigy was shared two million times",
    "Ukraine launched a drone attack on Putin's residence in the Novgorod region",
])
def test_claims_about_something_real_keep_their_side(claim: str) -> None:
    from bot.judge.statement import debunked_event

    assert debunked_event(claim) is None


def test_a_default_support_is_as_sure_as_the_model() -> None:
    """No cue decided it: the confidence is the model's p(supports), not 1 - p(refutes)."""
    text = "EU energy ministers ask for a full report on the drone incident at the residence."
    d = decide(CLAIM, text, (0.02, 0.01, 0.97))
    assert d.stance == "supports" and d.confidence == 0.5  # a coin flip, said as one
    assert decide(CLAIM, text, (0.9, 0.05, 0.05)).confidence == 0.9
