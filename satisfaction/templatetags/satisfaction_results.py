"""`{% load satisfaction_results %}{% figure f digits=0 unit=" %" %}`: one figure with its interval
and n, "fewer than N answers" below the minimum, and the indicative mark. A tag rather than an
include: the results page draws it three times for each of thousands of customers."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def figure(f, digits=0, unit=""):
    if f.n == 0:
        return format_html('<span class="text-body-secondary">{}</span>', _("no answers"))
    if f.suppressed:
        return format_html(
            '<span class="text-body-secondary">{}</span>',
            _("fewer than %(n)s answers") % {"n": f.minimum},
        )
    mark = (
        format_html(' <span class="badge text-bg-warning">{}</span>', _("indicative"))
        if f.indicative
        else ""
    )
    return format_html(
        '<span class="fw-semibold">{}{}</span> <span class="small text-body-secondary '
        'text-nowrap">({} {} {}, n&nbsp;=&nbsp;{})</span>{}',
        floatformat(f.value, digits),
        unit,
        floatformat(f.low, digits),
        _("to"),
        floatformat(f.high, digits),
        f.n,
        mark,
    )
