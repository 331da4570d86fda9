"""Reads of the satisfaction area."""

from __future__ import annotations

from .models import SatisfactionSettings


def settings_for_office() -> SatisfactionSettings:
    """The current office's satisfaction settings: its row, or the defaults (unsaved) while it has
    none. A read never writes; the first change saves the row (settings_row_for_update)."""
    row = SatisfactionSettings.objects.first()
    return row if row is not None else SatisfactionSettings()


def settings_row_for_update() -> SatisfactionSettings:
    """The current office's settings row, locked for a change; made with the defaults when the
    office has none yet (two first changes racing make one row: the unique key). Call inside a
    transaction."""
    SatisfactionSettings.objects.get_or_create()
    return SatisfactionSettings.objects.select_for_update().get()
