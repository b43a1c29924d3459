"""Table-driven tests of the pure statement stages: sentences, attribution, figures."""

from __future__ import annotations

import pytest

from bot.extract import extract_statements
from bot.extract.attribution import attribute
from bot.extract.figures import find_figures
from bot.extract.statements import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The U.S. Defense Dept. said on Tuesday that Gen. Smith would visit. Mr. Jones was not available.",
         ["The U.S. Defense Dept. said on Tuesday that Gen. Smith would visit.", "Mr. Jones was not available."]),
        ("Inflation rose 3.5 percent in May. It fell to 2.9 in June.",
         ["Inflation rose 3.5 percent in May.", "It fell to 2.9 in June."]),
        ('"We will not back down. Never," said Kallas. He left the room.',
         ['"We will not back down. Never," said Kallas.', "He left the room."]),
        ("First paragraph ends here\n\nSecond one starts. And ends.",
         ["First paragraph ends here", "Second one starts.", "And ends."]),
        ("Dr. Ana Example, of St. Mary's hospital, treated 14 people, i.e. most of the injured. Others went home.",
         ["Dr. Ana Example, of St. Mary's hospital, treated 14 people, i.e. most of the injured.", "Others went home."]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("sentence", "speaker", "role", "cue", "cue_type"),
    [
        ("Lavrov alleged that Ukraine staged the attack.", "Lavrov", None, "alleged", "alleges"),
        ("According to the ministry, 91 drones were shot down.", "ministry", "ministry", "according to", "asserts"),
        ('"We have no evidence of that," said Kallas.', "Kallas", None, "said", "denies"),
        ('"The attack was repelled," said Gen. Ivan Petrov, a deputy commander.', "Ivan Petrov", "deputy commander", "said", "asserts"),
        ("Russian Foreign Minister Sergei Lavrov claimed that the residence was targeted.", "Sergei Lavrov", "Russian Foreign Minister", "claimed", "alleges"),
        ("The Kremlin denied that any talks took place.", "Kremlin", None, "denied", "denies"),
        ("Peskov, the Kremlin spokesman, said the claims were false.", "Peskov", "Kremlin spokesman", "said", "asserts"),
        ("US officials found no evidence of an attack on the residence.", "US officials", "officials", "found", "denies"),
        ("The strike may have hit a fuel depot, local residents said.", "local residents", "residents", "said", "hedges"),
        ("Zelensky dismissed the claim as a lie.", "Zelensky", None, "dismissed", "denies"),
        ("The claim is false, Kallas said.", "Kallas", None, "said", "asserts"),
        ("Ukraine's foreign ministry rejected the allegation.", "Ukraine's foreign ministry", "ministry", "rejected", "denies"),
        ("It was reportedly hit by three missiles, the governor of Belgorod said on Telegram.", "governor of Belgorod", "governor", "said", "hedges"),
        ("Analysts suggested the figure was exaggerated.", "Analysts", "analysts", "suggested", "hedges"),
        ("President Macron said France would send more aid.", "Macron", "President", "said", "asserts"),
        ('"There was no attack," Peskov told reporters.', "Peskov", None, "told", "asserts"),
        ("In a later statement the Russian defence ministry said 91 drones were shot down.",
         "Russian defence ministry", "ministry", "said", "asserts"),
        ("Overnight the army reported twelve strikes on the port.", "army", "army", "reported", "asserts"),
        ("US intelligence officials have found no evidence that Ukraine targeted the residence.",
         "US intelligence officials", "officials", "have found", "denies"),
        ("The weather was mild on Monday.", None, None, None, None),
        ("The depot was possibly struck twice.", None, None, None, "hedges"),
    ],
)
def test_attribution(sentence: str, speaker: str | None, role: str | None, cue: str | None, cue_type: str | None) -> None:
    a = attribute(sentence)
    assert (a.speaker, a.role, a.cue, a.cue_type) == (speaker, role, cue, cue_type)


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Air defences destroyed 91 drones overnight, including 41 over the Novgorod region.",
         [(91, "drones", "overnight"), (41, "drones", "over the Novgorod region")]),
        ("Prices rose by 3.5% in 2025, up from 12 percent.", [(3.5, "%", ""), (12, "%", "")]),
        ("The ministry said 2.5 million euros would be spent and 14 buildings were damaged.",
         [(2_500_000, "euros", "would be spent"), (14, "buildings", "were damaged")]),
        ("Officials reported that seven people were injured and 3 were killed.",
         [(7, "people", "were injured"), (3, "people", "were killed")]),
        ("In 2024 the army lost 1,200 tanks.", [(1200, "tanks", "")]),
        ("At least 12 civilians were killed in Kharkiv, 5 in Sumy.",
         [(12, "civilians", "were killed in Kharkiv"), (5, "civilians", "in Sumy")]),
        ("Talks resumed in March 2026 after a pause.", []),
        # money written short, dates that are not counts, words after a number that count nothing
        ("Depositors pulled $42bn on 9 March.", [(42e9, "dollars", "")]),
        ("The hackers stole more than $600M from the bridge.", [(600e6, "dollars", "from the bridge")]),
        ("On March 9, 12 people died.", [(12, "people", "died")]),
        ("Talks resumed on 9 May, and 12 may have died.", [(12, "may", "have died")]),  # "may" is no month
        ("Rescuers put the number of dead at 47 late on Sunday.", [(47, "", "late on Sunday")]),
        ("A 5m wall collapsed.", []),
    ],
)
def test_figures(sentence: str, figures: list[tuple[float, str, str]]) -> None:
    assert [(f.value, f.unit, f.counts) for f in find_figures(sentence)] == figures


def test_extract_statements_orders_dedupes_and_attributes() -> None:
    text = ('Air defence units intercepted 91 drones overnight, the defence ministry said. '
            '"The attack was repelled," said Gen. Ivan Petrov, a deputy commander. '
            'Air defence units intercepted 91 drones overnight, the defence ministry said. Ok.')
    out = extract_statements("Ministry: 91 drones downed", text)
    assert [s.seq for s in out] == [0, 1, 2]
    assert out[0].text == "Ministry: 91 drones downed"  # the title is a statement too
    assert out[1].speaker == "defence ministry" and out[1].figures[0].unit == "drones"
    assert out[2].speaker == "Ivan Petrov" and out[2].speaker_role == "deputy commander"
