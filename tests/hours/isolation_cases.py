"""Isolation cases of the business calendar pages: how to make, in a given tenant, the holiday
its URLs name, and the marked holidays its list must not show to another office."""

from datetime import date

from brm.hours import services
from tests.isolation import MARKER, marked_rows, register
from tests.kit import in_tenant


def _holiday(tenant, day=date(2027, 6, 1)):
    return in_tenant(
        tenant,
        lambda: services.holiday_create(
            actor=None, data={"date": day, "name": f"{MARKER} closing day"}
        ),
    )


@register("hours:holiday_edit")
@register("hours:holiday_delete")
def holiday(tenant):
    return {"pk": _holiday(tenant).pk}


@marked_rows
def holiday_rows(tenant):
    _holiday(tenant, date(2027, 6, 2))
