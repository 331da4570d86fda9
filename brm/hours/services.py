"""Writes for the office's business calendar and holidays, audited. The staff pages (and later
any API) call these, so the seeding rule is written once."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import audit_record, audited_create, audited_save, audited_update
from brm.tenancy.context import current_tenant_id

from .models import BusinessCalendar, Holiday
from .public_holidays import public_holidays

CALENDAR_FIELDS = ("weekdays", "opens", "closes", "country", "subdivision")
HOLIDAY_FIELDS = ("date", "name")


def _calendar_for_update() -> BusinessCalendar:
    """The office's calendar row, locked; made with the defaults when it has none yet."""
    # get_or_create survives two first seeds racing (the loser reads the winner's row).
    calendar, _created = BusinessCalendar.objects.get_or_create()
    return BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)


@transaction.atomic
def business_calendar_update(*, actor, data: dict) -> BusinessCalendar:
    """Change the office's working days, hours, country or subdivision."""
    calendar = BusinessCalendar.objects.select_for_update().first()
    if calendar is None:
        return audited_create(
            BusinessCalendar,
            actor=actor,
            action="business_calendar.updated",
            data=data,
            fields=CALENDAR_FIELDS,
        )
    audited_update(
        calendar, actor=actor, action="business_calendar.updated", data=data, fields=CALENDAR_FIELDS
    )
    return calendar


def holiday_create(*, actor, data: dict) -> Holiday:
    return audited_create(
        Holiday, actor=actor, action="holiday.created", data=data, fields=HOLIDAY_FIELDS
    )


def holiday_update(*, holiday: Holiday, actor, data: dict) -> Holiday:
    audited_update(holiday, actor=actor, action="holiday.updated", data=data, fields=HOLIDAY_FIELDS)
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, actor) -> None:
    audit_record(
        actor=actor,
        action="holiday.deleted",
        obj=holiday,
        changes={"date": [holiday.date.isoformat(), None], "name": [holiday.name, None]},
    )
    holiday.delete()


def seed_years(today=None) -> list[int]:
    """This year and next, in the office's time zone (pages and tasks run with it active)."""
    year = (today or timezone.localdate()).year
    return [year, year + 1]


@transaction.atomic
def holidays_seed(*, actor=None, years: Iterable[int] | None = None) -> list[Holiday]:
    """Add the country's public holidays of `years` (this year and next by default) to the
    office's holiday list; the holidays added.

    Idempotent, and it never overrides the office: a year already seeded from the same country
    (and subdivision) is skipped whole, so a seeded holiday the office deleted stays deleted and
    one it renamed keeps its name; a date the office already has a holiday on is left as it is.
    Changing the country seeds the new country's years afresh (the old holidays stay until the
    office deletes them).
    """
    calendar = _calendar_for_update()
    if not calendar.country:
        raise ValidationError(
            _("Choose the office's country first: its public holidays are seeded.")
        )
    wanted = sorted(set(seed_years() if years is None else years))
    new_years = [y for y in wanted if calendar.seed_key(y) not in calendar.seeded]
    if not new_years:
        return []
    taken = set(Holiday.objects.filter(date__year__in=new_years).values_list("date", flat=True))
    tenant_id = current_tenant_id()
    added = Holiday.objects.bulk_create(
        Holiday(tenant_id=tenant_id, date=day, name=name[:200], seeded=True)
        for day, name in public_holidays(calendar.country, calendar.subdivision, new_years).items()
        if day not in taken
    )
    before, calendar.seeded = (
        calendar.seeded,
        [*calendar.seeded, *map(calendar.seed_key, new_years)],
    )
    audited_save(
        calendar,
        actor=actor,
        action="holidays.seeded",
        changes={"seeded": [before, calendar.seeded], "holidays added": [0, len(added)]},
        validate=False,
        update_fields=["seeded", "updated_at"],
    )
    return added
