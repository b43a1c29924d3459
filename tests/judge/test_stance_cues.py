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
        # denial wording
        ("Kyiv called the drone story fear-mongering meant to derail the talks.", "refutes"),
        ("Stop spreading the 'residence attack' lie, Kyiv's foreign ministry said.", "refutes"),
        ("Kyiv says it did not launch any drones at the residence.", "refutes"),
    ],
)
def test_statement_stance_wording(text: str, stance: str) -> None:
    assert decide(CLAIM, text, None).stance == stance, decide(CLAIM, text, None).reason
