"""Every alert type has a renderer on every platform, and an edit renders as the alert it edits."""

from __future__ import annotations

import json

import pytest

from bot.adapters import console_adapter, discord_render, slack_alert_blocks
from bot.adapters.console_adapter import render_alert
from bot.adapters.discord_buttons import alert_view
from bot.adapters.discord_render import alert_embeds
from bot.adapters.slack_alert_blocks import alert_blocks
from bot.alert_types import ALERT_TYPES, Edit, StatementAlert
from bot.platform import OutboundMessage
from tests.alert_samples import SAMPLES

# Each platform's table of renderers by alert type; a type missing from one fails here.
PLATFORMS = {
    "console": console_adapter.BODIES,
    "slack": slack_alert_blocks.BODIES,
    "discord": discord_render.RENDERERS,
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_alert_type_has_a_renderer(platform: str) -> None:
    table = PLATFORMS[platform]
    missing = [t.__name__ for t in ALERT_TYPES if t not in table]
    assert missing == [], f"{platform} cannot render {missing}"
    assert set(table) == set(ALERT_TYPES)  # and nothing stale is left behind


def _discord(message: OutboundMessage) -> str:
    embeds = [e.to_dict() for e in alert_embeds(message)]
    return json.dumps(embeds, ensure_ascii=False)


def _slack(message: OutboundMessage) -> str:
    return json.dumps(alert_blocks(message), ensure_ascii=False)


RENDER = {"console": render_alert, "slack": _slack, "discord": _discord}


@pytest.mark.parametrize("platform", RENDER)
@pytest.mark.parametrize("cls", ALERT_TYPES, ids=lambda c: c.kind)
def test_each_type_renders_its_title_text_and_fields(platform: str, cls: type) -> None:
    alert = SAMPLES[cls]
    out = RENDER[platform](OutboundMessage(5, alert, escalation="why it went out"))
    assert alert.title in out and alert.text.split(";")[0] in out
    for name, value in getattr(alert, "fields", ()):
        assert name in out and value.split(",")[0] in out
    assert "why it went out" in out


def _embed_fields(message: OutboundMessage) -> dict[str, str]:
    return {f.name: f.value for f in alert_embeds(message)[0].fields}


def test_discord_edit_of_a_statement_keeps_speaker_and_stance() -> None:
    one_quote = StatementAlert(title="REFUTES: claim #4", text="The pier stayed open.", claim_id=4,
                               claim_text="The north pier closed", stance="refutes", speaker="harbour office",
                               source="Coast Wire", also_carried_by=("Bay Radio",), outlets=2)
    original, edit = OutboundMessage(3, one_quote), OutboundMessage(8, Edit(3, one_quote, message_id="m3"))
    fields = _embed_fields(edit)
    assert fields["Speaker"] == "harbour office" and fields["Stance"] == "refutes the claim"
    assert fields == _embed_fields(original)
    assert alert_embeds(edit)[0].description == alert_embeds(original)[0].description == "“The pier stayed open.”"


def _without_footer(message: OutboundMessage) -> list[dict[str, object]]:
    return [{k: v for k, v in e.to_dict().items() if k != "footer"} for e in alert_embeds(message)]


@pytest.mark.parametrize("cls", ALERT_TYPES, ids=lambda c: c.kind)
def test_an_edit_renders_like_its_alert_and_acts_on_it(cls: type) -> None:
    alert = SAMPLES[cls]
    original, edit = OutboundMessage(3, alert), OutboundMessage(8, Edit(3, alert, message_id="m3"))
    # The footer names the message's own alert id: a re-post after a crash is found by it.
    assert _without_footer(edit) == _without_footer(original)
    slack_edit, slack_original = alert_blocks(edit)[1], alert_blocks(original)[1]
    assert slack_edit == slack_original  # the buttons of the edit act on alert 3, as the original's do
    assert render_alert(edit).splitlines()[1:] == render_alert(original).splitlines()[1:]
    assert render_alert(edit).startswith(f"{render_alert(original)[:3]} UPDATE of alert 3 (message m3)")
    ids = {c.custom_id for c in alert_view(edit).children}
    assert ids == {c.custom_id for c in alert_view(original).children}
    assert all(i.endswith(":3") for i in ids)
