"""`{% load brm_charts %}`: a chart and the table of its figures, in a page or a PDF.

    {% bar_chart points title="NPS per customer" domain_low=-100 domain_high=100 %}
    {% trend_chart points title="NPS per campaign" domain_low=-100 domain_high=100 %}

`points` are brm.charts.svg.Point (label, value, low, high, n, note, indicative). The table gives
each figure with its interval and n, or the note of a figure without a value.
"""

from django import template

from ..svg import bar_chart_svg, trend_chart_svg

register = template.Library()


def _context(points, svg, title, caption, value_label, unit):
    return {
        "svg": svg,
        "points": points,
        "title": title,
        "caption": caption or title,
        "value_label": value_label,
        "unit": unit,
    }


@register.inclusion_tag("charts/_chart.html")
def bar_chart(
    points, *, title, desc="", domain_low=0, domain_high=100, unit="", caption="", value_label=""
):
    points = list(points)
    svg = bar_chart_svg(points, title=title, desc=desc, domain=(domain_low, domain_high), unit=unit)
    return _context(points, svg, title, caption, value_label, unit)


@register.inclusion_tag("charts/_chart.html")
def trend_chart(
    points, *, title, desc="", domain_low=0, domain_high=100, unit="", caption="", value_label=""
):
    points = list(points)
    svg = trend_chart_svg(
        points, title=title, desc=desc, domain=(domain_low, domain_high), unit=unit
    )
    return _context(points, svg, title, caption, value_label, unit)
