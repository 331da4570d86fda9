"""Template tags of the page layer: status badges, navigation from the registries, panels."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.html import format_html

from brm.web import registry
from brm.web.badges import colour_of

register = template.Library()


def _choices_class(obj, field: str):
    name = "".join(part.capitalize() for part in field.split("_"))
    return getattr(type(obj), name, None)


@register.simple_tag
def status_badge(obj, field: str = "status"):
    """A badge with the label and the colour of `obj.<field>`'s choice."""
    value = getattr(obj, field)
    display = getattr(obj, f"get_{field}_display", None)
    choices = _choices_class(obj, field)
    if display is not None:
        label = display()
    elif choices is not None and str(value) in choices.values:
        label = choices(str(value)).label
    else:
        label = str(value).replace("_", " ").capitalize()
    colour = colour_of(choices, value)
    border = " border" if colour == "light" else ""
    return format_html(
        '<span class="badge text-bg-{}{}" data-status="{}">{}</span>', colour, border, value, label
    )


@register.simple_tag(takes_context=True)
def nav_links(context, which: str):
    """The navigation links of "staff" or "portal" that the signed-in member sees."""
    registry_ = {"staff": registry.staff_nav, "portal": registry.portal_nav}[which]
    request = context.get("request")
    return registry_.links(request) if request is not None else []


@register.simple_tag(takes_context=True)
def render_panel(context, panel: dict):
    """One registered panel, its template rendered with the page's context plus its own."""
    with context.push(**panel["context"]):
        return get_template(panel["template"]).template.render(context)
