"""Fixtures shared by the several-processes tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage import Store


@pytest.fixture
async def other(store: Store, db_url: str) -> AsyncIterator[Store]:
    """A second process's store on the same database."""
    s = Store(db_url)
    await s.open()
    yield s
    await s.close()
