"""Platform-free command handlers and the one command table every adapter exposes."""

from handlers.context import Context, Moderators, Services
from handlers.table import COMMANDS, Dispatcher, help_text

__all__ = ["COMMANDS", "Context", "Dispatcher", "Moderators", "Services", "help_text"]
