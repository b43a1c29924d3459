"""Errors handlers raise for bad input; the dispatcher turns them into one-line replies."""


class UsageError(ValueError):
    """Bad input: the message is shown with the command's usage."""


class NotFoundError(ValueError):
    """An id that names nothing."""
