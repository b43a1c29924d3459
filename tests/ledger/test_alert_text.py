"""What the conflict and source-paused alerts say: zoned times, and the command that resumes a source."""

from __future__ import annotations

from bot.extract.figures import find_figures
from bot.ledger.conflicts import conflict_alert
from bot.ledger.quantities import quantities
from bot.models import Claim, Source
from bot.sources.schedule import pause_alert
from storage.conflicts import FigureStatement


def _fig(sid: int, text: str, at: str) -> FigureStatement:
    return FigureStatement(statement_id=sid, text=text, figures=[], speaker="defence ministry", source_label="Wire",
                           at=at, url="https://wire.example/a")


def test_conflict_alert_shows_times_with_their_zone() -> None:
    a = _fig(1, "Air defences shot down 89 drones.", "2025-12-29T14:05:00+00:00")
    b = _fig(2, "Air defences shot down 91 drones.", "2025-12-29T19:40:00+00:00")
    qa, qb = quantities(a.text, find_figures(a.text))[0], quantities(b.text, find_figures(b.text))[0]
    alert = conflict_alert(Claim(id=1, text="Drones attacked the residence"), qa, a, qb, b)
    values = " ".join(v for _, v in alert.fields)
    assert "2025-12-29 14:05 UTC" in values and "2025-12-29 19:40 UTC" in values
    assert "T14:05" not in values


def test_paused_source_points_to_resume() -> None:
    alert = pause_alert(Source(id=4, url="https://x.example/feed", label="X"), 5, "HTTP 503")
    assert alert.text.endswith("Fix it, then /source resume 4.")
