"""The office's business calendar and holiday list (brm.hours services and selectors): defaults
without a row, validation, the seeding rule, and the value object the clocks compute with."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brm.hours import selectors, services
from brm.hours.arithmetic import add_business_time
from brm.hours.models import BusinessCalendar, Holiday
from brm.tenancy.models import Tenant
from tests.kit import assert_audited, in_tenant

pytestmark = pytest.mark.usefixtures("as_tenant_a")

AMS = ZoneInfo("Europe/Amsterdam")
NL_2026 = 10  # the holidays package's Dutch public holidays of 2026, Sundays included
NL_2027 = 10


@pytest.fixture
def amsterdam(tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(time_zone="Europe/Amsterdam")
    tenant_a.refresh_from_db()
    return tenant_a


def _dutch(admin_a):
    return services.business_calendar_update(actor=admin_a.user, data={"country": "NL"})


def test_an_office_without_a_calendar_works_monday_to_friday_nine_to_five(amsterdam):
    cal = selectors.office_calendar()
    assert cal.zone == AMS
    assert cal.weekdays == frozenset({0, 1, 2, 3, 4})
    assert (cal.opens, cal.closes) == (time(9), time(17))
    assert cal.holidays == frozenset()
    assert BusinessCalendar.objects.count() == 0


def test_the_office_calendar_is_read_in_two_queries_with_its_holidays(amsterdam, admin_a):
    _dutch(admin_a)
    services.holidays_seed(actor=admin_a.user, years=[2027])
    with CaptureQueriesContext(connection) as ctx:
        cal = selectors.office_calendar()
    assert len(ctx.captured_queries) == 2
    assert cal.zone == AMS
    assert date(2027, 4, 27) in cal.holidays  # King's Day
    due = add_business_time(datetime(2027, 3, 25, 15, tzinfo=AMS), timedelta(hours=16), cal)
    assert due == datetime(2027, 3, 31, 15, tzinfo=AMS)


def test_the_calendar_follows_the_office_s_time_zone_without_a_row_of_its_own(tenant_a):
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.office_calendar(tenant=tenant_a).zone == ZoneInfo("UTC")
    assert len(ctx.captured_queries) == 2


def test_changing_the_working_week_is_audited(admin_a, tenant_a):
    calendar = services.business_calendar_update(
        actor=admin_a.user,
        data={"weekdays": "0123", "opens": time(8), "closes": time(16, 30), "country": "nl"},
    )
    assert calendar.country == "NL"
    assert selectors.office_calendar().weekdays == frozenset({0, 1, 2, 3})
    assert_audited(tenant_a, "business_calendar.updated", obj=calendar, actor=admin_a.user)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"opens": time(17), "closes": time(9)}, "closes"),
        ({"opens": time(9), "closes": time(9)}, "closes"),
        ({"weekdays": ""}, "weekdays"),
        ({"weekdays": "0178"}, "weekdays"),
        ({"country": "XX"}, "country"),
        ({"country": "NL", "subdivision": "ZZ"}, "subdivision"),
        ({"country": "DE", "subdivision": "QQ"}, "subdivision"),
    ],
)
def test_a_calendar_that_cannot_work_is_refused_on_the_field(admin_a, data, field):
    with pytest.raises(ValidationError) as raised:
        services.business_calendar_update(actor=admin_a.user, data=data)
    assert field in raised.value.message_dict
    assert BusinessCalendar.objects.count() == 0


def test_a_subdivision_with_holidays_of_its_own_is_seeded_with_them(admin_a):
    services.business_calendar_update(
        actor=admin_a.user, data={"country": "DE", "subdivision": "by"}
    )
    services.holidays_seed(actor=admin_a.user, years=[2027])
    assert Holiday.objects.filter(date=date(2027, 1, 6)).exists()  # Epiphany, in Bavaria


def test_seeding_adds_this_year_and_next_once(admin_a, tenant_a):
    _dutch(admin_a)
    added = services.holidays_seed(actor=admin_a.user, years=[2026, 2027])
    assert len(added) == NL_2026 + NL_2027
    assert Holiday.objects.get(date=date(2027, 3, 29)).name == "Easter Monday"
    assert all(h.seeded for h in Holiday.objects.all())
    assert services.holidays_seed(actor=admin_a.user, years=[2026, 2027]) == []
    assert Holiday.objects.count() == NL_2026 + NL_2027
    assert BusinessCalendar.objects.get().seeded == ["NL:2026", "NL:2027"]
    assert_audited(tenant_a, "holidays.seeded", actor=admin_a.user)


def test_seeding_without_years_takes_the_current_year_and_the_next(admin_a):
    _dutch(admin_a)
    services.holidays_seed(actor=admin_a.user)
    this_year = date.today().year
    years = {d.year for d in Holiday.objects.values_list("date", flat=True)}
    assert years == {this_year, this_year + 1}


def test_a_seeded_holiday_the_office_deleted_or_renamed_is_not_brought_back(admin_a):
    _dutch(admin_a)
    services.holidays_seed(actor=admin_a.user, years=[2027])
    kings_day = Holiday.objects.get(date=date(2027, 4, 27))
    easter_monday = Holiday.objects.get(date=date(2027, 3, 29))
    services.holiday_delete(holiday=kings_day, actor=admin_a.user)
    services.holiday_update(
        holiday=easter_monday, actor=admin_a.user, data={"name": "Tweede Paasdag"}
    )
    services.holidays_seed(actor=admin_a.user, years=[2027, 2028])
    assert not Holiday.objects.filter(date=date(2027, 4, 27)).exists()
    assert Holiday.objects.get(date=date(2027, 3, 29)).name == "Tweede Paasdag"
    assert Holiday.objects.filter(date=date(2028, 4, 27)).exists()  # the new year is seeded


def test_seeding_leaves_a_day_the_office_already_closes_as_it_is(admin_a):
    _dutch(admin_a)
    own = services.holiday_create(
        actor=admin_a.user, data={"date": date(2027, 12, 25), "name": "Office closed"}
    )
    services.holidays_seed(actor=admin_a.user, years=[2027])
    assert Holiday.objects.get(date=date(2027, 12, 25)) == own
    assert Holiday.objects.get(pk=own.pk).name == "Office closed"
    assert not Holiday.objects.get(pk=own.pk).seeded


def test_another_country_seeds_its_own_years_afresh(admin_a):
    _dutch(admin_a)
    services.holidays_seed(actor=admin_a.user, years=[2027])
    services.business_calendar_update(actor=admin_a.user, data={"country": "BE"})
    added = services.holidays_seed(actor=admin_a.user, years=[2027])
    assert date(2027, 7, 21) in {h.date for h in added}  # Belgian National Day
    assert BusinessCalendar.objects.get().seeded == ["NL:2027", "BE:2027"]


def test_seeding_needs_a_country(admin_a):
    with pytest.raises(ValidationError, match="country"):
        services.holidays_seed(actor=admin_a.user, years=[2027])
    assert Holiday.objects.count() == 0


def test_an_office_has_one_holiday_a_date(admin_a):
    services.holiday_create(actor=admin_a.user, data={"date": date(2027, 6, 1), "name": "A"})
    with pytest.raises(ValidationError) as raised:
        services.holiday_create(actor=admin_a.user, data={"date": date(2027, 6, 1), "name": "B"})
    assert "already" in " ".join(raised.value.messages)


def test_another_office_may_close_on_the_same_date(admin_a, tenant_b, admin_b):
    services.holiday_create(actor=admin_a.user, data={"date": date(2027, 6, 1), "name": "A"})
    in_tenant(
        tenant_b,
        lambda: services.holiday_create(
            actor=admin_b.user, data={"date": date(2027, 6, 1), "name": "B"}
        ),
    )
    assert in_tenant(tenant_b, lambda: selectors.office_calendar().holidays) == {date(2027, 6, 1)}
    assert [h.name for h in selectors.holiday_list()] == ["A"]


def test_deleting_a_holiday_is_audited_with_what_it_was(admin_a, tenant_a):
    holiday = services.holiday_create(
        actor=admin_a.user, data={"date": date(2027, 6, 1), "name": "Closed"}
    )
    pk = holiday.pk
    services.holiday_delete(holiday=holiday, actor=admin_a.user)
    event = assert_audited(tenant_a, "holiday.deleted", actor=admin_a.user)
    assert event.object_id == str(pk)
    assert event.changes == {"date": ["2027-06-01", None], "name": ["Closed", None]}
