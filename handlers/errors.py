"""Errors handlers raise for bad input; the dispatcher turns them into one-line replies."""


class CommandError(ValueError):
    """The command was understood but cannot be done (a duplicate, an unreachable host): one line, no usage."""


class UsageError(CommandError):
    """The command was written wrong (missing or malformed arguments): the message comes with its usage."""


class NotFoundError(CommandError):
    """An id that names nothing."""
