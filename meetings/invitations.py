"""Calendar invitations of meetings (iTIP REQUEST and CANCEL through the outbox)."""

from __future__ import annotations


def invitations_queue(meeting, *, removed=()) -> None:
    pass
