"""The demo office's business calendar: the Netherlands' public holidays of this year and next,
seeded before every area's records, and safe to seed twice."""

from datetime import date

import pytest

from brm.hours.models import BusinessCalendar, Holiday
from brm.web.registry import demo_data

pytestmark = pytest.mark.usefixtures("as_tenant_a")


def test_the_demo_calendar_is_seeded_first_with_the_dutch_holidays_and_only_once(admin_a):
    entry = demo_data["business_calendar"]
    assert entry.order < min(e.order for e in demo_data if e.key != "business_calendar")
    entry.seed({"admin@demo.example": admin_a})
    entry.seed({"admin@demo.example": admin_a})
    calendar = BusinessCalendar.objects.get()
    assert (calendar.country, calendar.weekdays) == ("NL", "01234")
    year = date.today().year
    assert calendar.seeded == [f"NL:{year}", f"NL:{year + 1}"]
    assert Holiday.objects.filter(date=date(year + 1, 12, 25)).count() == 1
    assert {d.year for d in Holiday.objects.values_list("date", flat=True)} == {year, year + 1}
