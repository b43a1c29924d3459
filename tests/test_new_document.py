"""Building the document to store from a fetched item is pure: same input, same document, no I/O."""

from __future__ import annotations

from bot.article_alerts import new_document
from bot.models import StatementDraft
from bot.sources.items import Item


def test_the_document_carries_the_item_its_statements_and_its_story() -> None:
    item = Item(url="https://wire.example/a?utm_source=x", title="Ferry suspended", text="The ferry stopped.",
                guid="g1", published_at="2026-01-05T09:00:00+00:00", author="Desk")
    drafts = [StatementDraft(0, "Ferry suspended"), StatementDraft(1, "The ferry stopped.")]
    doc = new_document(item, 7, "https://wire.example/a", drafts, [], True, 3, b"sig", [1, 2])
    assert (doc.source_id, doc.url, doc.canonical_url, doc.title, doc.guid, doc.author) == (
        7, item.url, "https://wire.example/a", "Ferry suspended", "g1", "Desk")
    assert doc.content_hash == item.content_hash and doc.quiet and doc.story_id == 3
    assert doc.statements == drafts and doc.matches == [] and doc.signature == b"sig" and doc.bands == [1, 2]
    assert new_document(item, 7, "https://wire.example/a", drafts, [], True, 3, b"sig", [1, 2]) == doc
