"""The claim ledger: build it from matched statements, find conflicting figures, chart and export it."""

from bot.ledger.model import Ledger, build_ledger

__all__ = ["Ledger", "build_ledger"]
