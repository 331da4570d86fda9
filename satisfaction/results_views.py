"""The results pages: a campaign's results (staff), the office overview (staff), publishing a
closed campaign's results (the writing roles), and the published results in the portal.

The figures come from satisfaction/results.py in a fixed number of queries; every figure is
shown with its n and its 95 % interval, below the office's minimum as "fewer than N answers",
and marked indicative when its margin is over 20 points. Another office's campaign is a 404.
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from brm.charts.svg import Point
from brm.web.access import staff_required, write_required
from brm.web.pages import form_page, get_only, list_context, tenant_url
from customers.selectors import portal_scope

from . import publishing, results
from .models import Campaign
from .stats import Figure

CHART_CUSTOMERS = 25


def _url(name: str, request, **kwargs) -> str:
    return tenant_url(f"satisfaction:{name}", request, **kwargs)


def _campaign_url(request, campaign) -> str:
    """The campaign's own page (the campaign pages' part), or its results without it."""
    try:
        return _url("campaign_detail", request, pk=campaign.pk)
    except NoReverseMatch:  # while the campaign pages are not routed
        return _url("campaign_results", request, pk=campaign.pk)


def _list_url(request) -> str:
    try:
        return _url("campaign_list", request)
    except NoReverseMatch:
        return _url("results_overview", request)


def _campaign_or_404(pk) -> Campaign:
    try:
        return Campaign.objects.select_related("survey", "published_by").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404(_("No such campaign.")) from None


def _note(figure: Figure) -> str:
    if figure.n == 0:
        return _("no answers")
    if figure.suppressed:
        return _("fewer than %(n)s answers") % {"n": figure.minimum}
    return ""


def point(label: str, figure: Figure) -> Point:
    """A chart's point of a figure (no value when it is held back)."""
    return Point(
        label=str(label),
        value=figure.value if figure.shown else None,
        low=figure.low if figure.shown else None,
        high=figure.high if figure.shown else None,
        n=figure.n,
        note=_note(figure),
        indicative=figure.indicative,
    )


def _charts(slices, label=lambda s: s.label) -> dict:
    return {
        "nps": [point(label(s), s.nps) for s in slices],
        "csat": [point(label(s), s.csat) for s in slices],
    }


@staff_required
def campaign_results(request, pk):
    campaign = _campaign_or_404(pk)
    if (refused := get_only(request)) is not None:
        return refused
    found = results.campaign_results(campaign)
    title = _("Results: %(campaign)s") % {"campaign": campaign.name}
    return render(
        request,
        "satisfaction/campaign_results.html",
        {
            "title": title,
            "campaign": campaign,
            "results": found,
            # The chart draws the customers with the most responses; the table has them all.
            "customer_charts": _charts(
                sorted(found.customers, key=lambda s: -s.responses)[:CHART_CUSTOMERS]
            ),
            "charted_customers": min(len(found.customers), CHART_CUSTOMERS),
            # 25 customers a page (an office may have thousands); the figures are of them all.
            **list_context(request, found.customers),
            "trend_charts": _charts(found.trend),
            "service_points": [point(s.label, s.rating) for s in found.services],
            "breadcrumbs": [
                (_("Campaigns"), _list_url(request)),
                (campaign.name, _campaign_url(request, campaign)),
                (_("Results"), ""),
            ],
            "may_publish": request.membership.can_write
            and campaign.status == Campaign.Status.CLOSED,
        },
    )


class OverviewForm(forms.Form):
    months = forms.TypedChoiceField(
        label=gettext_lazy("Campaigns closed in"),
        coerce=int,
        required=False,
        empty_value=12,
        choices=[
            (3, gettext_lazy("the last 3 months")),
            (6, gettext_lazy("the last 6 months")),
            (12, gettext_lazy("the last 12 months")),
            (24, gettext_lazy("the last 24 months")),
            (0, gettext_lazy("any time")),
        ],
    )


@staff_required
@require_GET
def results_overview(request):
    form = OverviewForm(request.GET or None)
    months = form.cleaned_data["months"] if form.is_valid() else 12
    overview = results.office_overview(months=months)
    return render(
        request,
        "satisfaction/results_overview.html",
        {
            "title": _("Survey results"),
            "form": form if form.is_bound else OverviewForm(initial={"months": 12}),
            "overview": overview,
            "trend_charts": _charts(overview.trend),
            "rm_charts": _charts(overview.relationship_managers),
            "division_charts": _charts(
                overview.divisions, label=lambda s: s.label or _("(no division)")
            ),
        },
    )


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("You said, we did"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=publishing.SUMMARY_MAX,
        help_text=gettext_lazy(
            "What the customers told us and what we are doing about it. The portal shows it "
            "with the results."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Publish the results to the customers and email the respondents"),
        required=True,
    )


@write_required
@require_http_methods(["GET", "POST"])
def campaign_publish(request, pk):
    campaign = _campaign_or_404(pk)
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        initial={"summary": campaign.summary},
    )
    results_url = _url("campaign_results", request, pk=campaign.pk)
    again = campaign.is_published
    return form_page(
        request,
        form,
        lambda data: publishing.campaign_publish(
            campaign=campaign, actor=request.membership, summary=data["summary"]
        ),
        success=_("The summary is updated.") if again else _("The results are published."),
        next_url=results_url,
        context={
            "title": _("Publish the results of %(campaign)s") % {"campaign": campaign.name},
            "intro": _(
                "Customers will see in the portal their own results (where at least the minimum "
                "number answered), the office-wide results and this summary. Each respondent is "
                "emailed once (in anonymous mode everyone who was invited)."
            )
            if not again
            else _(
                "The results are published. Saving corrects the summary; nobody is emailed again."
            ),
            "breadcrumbs": [
                (_("Campaigns"), _list_url(request)),
                (campaign.name, results_url),
                (_("Publish"), ""),
            ],
            "cancel_url": results_url,
            "submit_label": _("Publish"),
        },
    )


@require_GET
def portal_results(request):
    """Published results of the campaigns that invited the signed-in contact's customer."""
    scope = portal_scope(request.membership)
    if scope is None:
        return render(request, "customers/portal/not_linked.html", {"title": _("Survey results")})
    published = results.published_results(scope.contact.customer_id)
    return render(
        request,
        "satisfaction/portal/results.html",
        {
            "title": _("Survey results"),
            "customer": scope.contact.customer,
            "published": published,
        },
    )
