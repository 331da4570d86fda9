"""The admin pages of the office's business calendar: the working week, and the holiday list
(add, edit, delete, seed from the country's public holidays). Each calls one service."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.access import admin_required
from brm.web.pages import confirm_delete, confirm_then, form_page, list_context, tenant_url

from . import selectors, services
from .forms import BusinessCalendarForm, HolidayFilterForm, HolidayForm, calendar_initial
from .models import Holiday


def _crumbs(request, *more) -> list:
    return [
        (_("Office settings"), tenant_url("tenancy:tenant_settings", request)),
        (_("Business calendar"), tenant_url("hours:calendar", request)),
        *more,
    ]


def _holidays_crumbs(request, *more) -> list:
    return _crumbs(request, (_("Holidays"), tenant_url("hours:holiday_list", request)), *more)


@admin_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request):
    calendar = selectors.business_calendar_get()
    form = BusinessCalendarForm(request.POST or None, initial=calendar_initial(calendar))
    return form_page(
        request,
        form,
        lambda data: services.business_calendar_update(actor=request.user, data=data),
        success=_("The business calendar was saved."),
        next_url=tenant_url("hours:calendar", request),
        template="hours/calendar_edit.html",
        context={
            "title": _("Business calendar"),
            "breadcrumbs": _crumbs(request)[:-1] + [(_("Business calendar"), "")],
            "calendar": calendar,
            "time_zone": request.tenant.time_zone,
            "cancel_url": tenant_url("tenancy:tenant_settings", request),
        },
    )


@admin_required
@require_GET
def holiday_list(request):
    form = HolidayFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    holidays = selectors.holiday_list(year=year)
    return render(
        request,
        "hours/holiday_list.html",
        {
            "form": form,
            "year": year,
            "breadcrumbs": _crumbs(request, (_("Holidays"), "")),
            **list_context(request, holidays, per_page=50),
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def holiday_create(request):
    title = _("New holiday")
    return form_page(
        request,
        HolidayForm(request.POST or None),
        lambda data: services.holiday_create(actor=request.user, data=data),
        success=lambda h: _("The holiday %(name)s was added.") % {"name": h},
        next_url=tenant_url("hours:holiday_list", request),
        context={
            "title": title,
            "breadcrumbs": _holidays_crumbs(request, (title, "")),
            "intro": _("A day the office does not work: the clocks of its targets stand still."),
            "cancel_url": tenant_url("hours:holiday_list", request),
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request, pk):
    holiday = get_object_or_404(Holiday.objects, pk=pk)
    title = _("Edit %(name)s") % {"name": holiday}
    form = HolidayForm(request.POST or None, initial={"date": holiday.date, "name": holiday.name})
    return form_page(
        request,
        form,
        lambda data: services.holiday_update(holiday=holiday, actor=request.user, data=data),
        success=lambda h: _("The holiday %(name)s was saved.") % {"name": h},
        next_url=tenant_url("hours:holiday_list", request),
        context={
            "title": title,
            "breadcrumbs": _holidays_crumbs(request, (title, "")),
            "cancel_url": tenant_url("hours:holiday_list", request),
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def holiday_delete(request, pk):
    holiday = get_object_or_404(Holiday.objects, pk=pk)
    back = tenant_url("hours:holiday_list", request)
    return confirm_delete(
        request,
        holiday,
        lambda: services.holiday_delete(holiday=holiday, actor=request.user),
        what=_("The holiday"),
        back=back,
        done=back,
        note=_("Seeding the public holidays again will not bring a seeded holiday back.")
        if holiday.seeded
        else "",
        breadcrumbs=_holidays_crumbs(request),
    )


@admin_required
@require_http_methods(["GET", "POST"])
def holidays_seed(request):
    calendar = selectors.business_calendar_get()
    years = services.seed_years()
    back = tenant_url("hours:holiday_list", request)
    title = _("Seed the public holidays")
    context = {
        "title": title,
        "breadcrumbs": _holidays_crumbs(request, (title, "")),
        "cancel_url": back,
    }
    if not calendar.country:
        context["refusal"] = _(
            "The office has no country yet: choose it on the business calendar first."
        )
        context["back_label"] = _("Back to the holidays")
    else:
        context["question"] = _(
            "Add the public holidays of %(country)s%(subdivision)s for %(years)s to the list?"
        ) % {
            "country": calendar.country_name,
            "subdivision": f" ({calendar.subdivision})" if calendar.subdivision else "",
            "years": _(" and ").join(str(y) for y in years),
        }
        context["note"] = _(
            "A year seeded before is skipped, so a holiday you deleted or renamed stays as you "
            "left it, and a date that has a holiday already keeps it."
        )
        context["button"] = _("Seed")
    return confirm_then(
        request,
        lambda: services.holidays_seed(actor=request.user, years=years),
        success=lambda added: _("%(count)s holidays were added.") % {"count": len(added)},
        done=back,
        context=context,
    )
