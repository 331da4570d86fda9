"""Reads of the office's business calendar: the value object the clocks compute with, and the
pages' lists."""

from __future__ import annotations

from django.db.models import QuerySet

from brm.tenancy.context import current_tenant_id
from brm.tenancy.models import Tenant

from .arithmetic import Calendar
from .models import BusinessCalendar, Holiday


def business_calendar_get() -> BusinessCalendar:
    """The office's calendar row, or an unsaved one with the defaults when it has none."""
    return BusinessCalendar.objects.first() or BusinessCalendar()


def office_calendar(*, tenant: Tenant | None = None) -> Calendar:
    """The current office's business calendar as the arithmetic takes it (brm.hours.arithmetic):
    its time zone, working days and hours, and every holiday date.

    Two queries (the calendar row with its office, the holiday dates); a third for the office's
    time zone when the office has no calendar row and `tenant` is not given.
    """
    row = BusinessCalendar.objects.select_related("tenant").first()
    if row is not None:
        tenant = row.tenant
    elif tenant is None:
        tenant = Tenant.objects.get(pk=current_tenant_id())
    row = row or BusinessCalendar()
    return Calendar(
        zone=tenant.zone,
        weekdays=row.weekday_numbers,
        opens=row.opens,
        closes=row.closes,
        holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
    )


def holiday_list(*, year: int | None = None) -> QuerySet[Holiday]:
    """The office's holidays by date, of one year when given."""
    qs = Holiday.objects.order_by("date")
    return qs.filter(date__year=year) if year else qs
