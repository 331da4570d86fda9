"""Reads of the satisfaction area."""

from __future__ import annotations

from .models import SatisfactionSettings


def settings_for_office() -> SatisfactionSettings:
    """The current office's satisfaction settings, made with the defaults when it has none yet
    (two offices' first reads, or two of one office racing, make one row: the unique key)."""
    settings, _created = SatisfactionSettings.objects.get_or_create()
    return settings
