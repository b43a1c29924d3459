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
