"""Table-driven attribution cases: role-first names, trailing and according-to sources, quotes, denials."""

from __future__ import annotations

import pytest

from bot.extract.attribution import attribute

CASES = [
    # <role> <name> <verb> ...
    ("Kremlin spokesman Dmitry Peskov insisted that the attack was real.",
     "Dmitry Peskov", "Kremlin spokesman", "insisted", "asserts"),
    ("Foreign Minister Andrii Sybiha denied that Ukraine had attacked the residence.",
     "Andrii Sybiha", "Foreign Minister", "denied", "denies"),
    ("EU foreign policy chief Kaja Kallas said the claim was a distraction.",
     "Kaja Kallas", "EU foreign policy chief", "said", "asserts"),
    ("White House press secretary Karoline Leavitt told reporters the president was briefed.",
     "Karoline Leavitt", "White House press secretary", "told", "asserts"),
    ("Ukraine's foreign minister Andrii Sybiha said the strike never happened.",
     "Andrii Sybiha", "Ukraine's foreign minister", "said", "asserts"),
    ("Russian Foreign Ministry spokeswoman Maria Zakharova also said the strike was deliberate.",
     "Maria Zakharova", "Russian Foreign Ministry spokeswoman", "said", "asserts"),
    ("Kremlin spokesman Dmitry Peskov on Tuesday dismissed the reports.",
     "Dmitry Peskov", "Kremlin spokesman", "dismissed", "denies"),
    ('"The attack was real," said Kremlin spokesman Dmitry Peskov.',
     "Dmitry Peskov", "Kremlin spokesman", "said", "asserts"),
    ("The claim is a distraction, EU foreign policy chief Kaja Kallas said.",
     "Kaja Kallas", "EU foreign policy chief", "said", "asserts"),
    # ..., the ministry said. / officials told reporters.
    ("The drones were shot down over the Novgorod region, the ministry said.",
     "ministry", "ministry", "said", "asserts"),
    ("No drones were launched at the residence, the foreign ministry said in a statement.",
     "foreign ministry", "ministry", "said", "asserts"),
    ("The strike hit a fuel depot, officials told reporters.", "officials", "officials", "told", "asserts"),
    ("The depot was hit twice, the ministry also said.", "ministry", "ministry", "said", "asserts"),
    # organisations and groups quoted at the end
    ("Flights will resume on Monday, the operator said.", "operator", "operator", "said", "asserts"),
    ("The storm killed 12 people, the regional hospital said.", "regional hospital", "hospital", "said", "asserts"),
    ("Rescuers said 40 people were still trapped.", "Rescuers", "rescuers", "said", "asserts"),
    ("Officials told reporters that the depot was hit.", "Officials", "officials", "told", "asserts"),
    ("US officials Monday said the drones were Ukrainian.", "US officials", "officials", "said", "asserts"),
    ("Secretary of State Marco Rubio said talks would continue.",
     "Marco Rubio", "Secretary of State", "said", "asserts"),
    ("Former president Dmitry Medvedev said Moscow had no choice.",
     "Dmitry Medvedev", "Former president", "said", "asserts"),
    ("A coast guard spokesman said no attempt had been made.",
     "coast guard spokesman", "spokesman", "said", "asserts"),
    ("Diplomats in Manila said they were waiting for a fuller account.",
     "Diplomats in Manila", "diplomats", "said", "asserts"),
    ('"It is nonsense," Peskov said, adding that talks would go on.', "Peskov", None, "said", "asserts"),
    # according to
    ("According to the Russian defence ministry, 91 drones were destroyed overnight.",
     "Russian defence ministry", "ministry", "according to", "asserts"),
    ("According to Ukrainian officials, the residence was never targeted.",
     "Ukrainian officials", "officials", "according to", "asserts"),
    # quotes
    ('"There was no attack," Sybiha wrote on X.', "Sybiha", None, "wrote", "asserts"),
    ('"It is a lie," said Mykhailo Podolyak, an adviser to the president.',
     "Mykhailo Podolyak", "adviser to the president", "said", "asserts"),
    ('"We will respond," he said.', None, None, "said", "asserts"),
    ('"The talks will continue," she added.', None, None, "added", "asserts"),
    ('"Nothing happened," they said, "and nothing will."', None, None, "said", "asserts"),
    ("He denied that Kyiv was involved.", None, None, "denied", "denies"),
    ("It said the drones were shot down.", None, None, "said", "asserts"),
    # denials without a reporting verb of their own
    ("Sybiha called the claim a fabrication.", "Sybiha", None, "called", "denies"),
    ('Ukrainian President Volodymyr Zelensky called the claim "typical Russian lies".',
     "Volodymyr Zelensky", "Ukrainian President", "called", "denies"),
    ("Andrii Sybiha, Ukraine's foreign minister, called the claims a fabrication.",
     "Andrii Sybiha", "Ukraine's foreign minister", "called", "denies"),
    ("The ministry branded the reports false.", "ministry", "ministry", "branded", "denies"),
    ("Kyiv dismissed the report as propaganda.", "Kyiv", None, "dismissed", "denies"),
    ("The foreign ministry rejected the allegation.", "foreign ministry", "ministry", "rejected", "denies"),
    ("Peskov ruled out a ceasefire.", "Peskov", None, "ruled out", "denies"),
    ("Podolyak, an adviser to the president, rejected the claim.",
     "Podolyak", "adviser to the president", "rejected", "denies"),
    ("The Kremlin flatly denied the report.", "Kremlin", None, "denied", "denies"),
    ("Moscow has denied the report.", "Moscow", None, "denied", "denies"),
    ("Peskov also said the claims were false.", "Peskov", None, "said", "asserts"),
    # nameless speakers described by what they are of or for, at the start or at the end
    ("The operator of the Eagle S denied that the crew deliberately damaged the cable.",
     "operator of the Eagle S", "operator", "denied", "denies"),
    ("A lawyer for the operator said any contact with the cable was an accident.",
     "lawyer for the operator", "lawyer", "said", "asserts"),
    ("A spokesman for the navy said the ship was not involved.", "spokesman for the navy", "spokesman", "said", "asserts"),
    ("The cable was cut, a Finnish police spokesman said.", "Finnish police spokesman", "spokesman", "said", "asserts"),
    # no attribution: "called" without a denial, a name that is not a speaker
    ("Zelensky called for a ceasefire.", None, None, None, None),
    ("Trump called Putin on Tuesday.", None, None, None, None),
    ("The operation, called Spiderweb, destroyed jets.", None, None, None, None),
]


@pytest.mark.parametrize(("sentence", "speaker", "role", "cue", "cue_type"), CASES)
def test_attribution_shapes(sentence: str, speaker: str | None, role: str | None, cue: str | None,
                            cue_type: str | None) -> None:
    a = attribute(sentence)
    assert (a.speaker, a.role, a.cue, a.cue_type) == (speaker, role, cue, cue_type)
