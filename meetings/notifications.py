"""Emails of the meetings area that are not calendar invitations: published minutes, decisions
to approve and decided, and the due jobs a cadence's occurrences set (reminder with the agenda,
minutes due, the missed-cadence check)."""

from __future__ import annotations


def minutes_published_notify(minutes) -> None:
    pass


def decision_requested_notify(decision) -> None:
    pass


def decision_decided_notify(decision) -> None:
    pass


def cadence_checks_schedule(cadence, meetings) -> None:
    pass
