"""The retention job: prune old bulk now and then while the bot runs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from bot.config import RetentionSection
from storage import Store
from storage.retention import PruneResult, prune

log = logging.getLogger(__name__)

EVERY_S = 6 * 3600.0  # retention works in days: four passes a day keep each one small
FIRST_AFTER_S = 60.0  # let start-up (migrations, judge load, first cycle) finish first


def enabled(section: RetentionSection) -> bool:
    """Whether any limit is set."""
    return section.document_text_days > 0 or section.unmatched_statements_days > 0


async def prune_once(store: Store, section: RetentionSection, now: datetime | None = None) -> PruneResult:
    """One pass on the store thread."""
    when = now or datetime.now(UTC)
    result = await store.run(lambda: prune(store.db, when, section.document_text_days,
                                           section.unmatched_statements_days))
    if result.texts_cleared or result.statements_deleted:
        log.info("retention: cleared %d document text(s), deleted %d unmatched statement(s)",
                 result.texts_cleared, result.statements_deleted,
                 extra={"retention": {"texts_cleared": result.texts_cleared,
                                      "statements_deleted": result.statements_deleted}})
    return result


async def run_retention(store: Store, section: Callable[[], RetentionSection]) -> None:
    """Prune every EVERY_S until cancelled, with the settings in force then (a reload changes them)."""
    await asyncio.sleep(FIRST_AFTER_S)
    while True:
        try:
            if enabled(section()):
                await prune_once(store, section())
        except Exception:
            log.exception("retention pass failed")
        await asyncio.sleep(EVERY_S)
