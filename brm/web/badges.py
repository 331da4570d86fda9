"""Status colours live on the choices, so every page (staff and portal) shows a status alike.

    @badge_colours(draft="light", proposed="info", agreed="success", retired="secondary")
    class Status(models.TextChoices):
        ...

`{% status_badge obj %}` (brm_web tags) reads the model's nested choices class named after the
field (`status` -> `Status`, `kind` -> `Kind`) and draws a Bootstrap badge in its colour.
"""

from __future__ import annotations

# Bootstrap 5 contextual colours a badge may take (text-bg-<colour>).
COLOURS = frozenset(
    {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
)
DEFAULT_COLOUR = "secondary"


def badge_colours(**colours: str):
    """Class decorator: the badge colour of each choice value."""
    unknown = set(colours.values()) - COLOURS
    if unknown:
        raise ValueError(f"Unknown badge colours: {sorted(unknown)}")

    def decorate(choices):
        missing = {str(v) for v in choices.values} - set(colours)
        if missing:
            raise ValueError(f"{choices.__qualname__}: no badge colour for {sorted(missing)}")
        choices.badge_colours = dict(colours)
        return choices

    return decorate


def colour_of(choices, value) -> str:
    return getattr(choices, "badge_colours", {}).get(str(value), DEFAULT_COLOUR)
