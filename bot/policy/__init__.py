"""Alert policy: per-channel and per-claim settings, digest schedules, and the outbox gate."""

from bot.policy.settings import DEFAULT_POLICY, Policy, describe, parse_changes, resolve

__all__ = ["DEFAULT_POLICY", "Policy", "describe", "parse_changes", "resolve"]
