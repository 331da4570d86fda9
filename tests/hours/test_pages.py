"""The business calendar's admin pages: the working week saved through its form, the holiday
list with its year filter, adding, editing, deleting after a confirmation and seeding; bad
input re-renders with the reason; only admins reach them; query counts are pinned."""

from datetime import date, time

import pytest

from brm.hours import services
from brm.hours.models import BusinessCalendar, Holiday
from brm.tenancy.models import Role
from tests.kit import assert_audited, assert_page_queries, in_tenant, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_a):
    client.force_login(admin_a.user)
    return client


def url(tenant, rest=""):
    return f"/t/{tenant.slug}/settings/business-calendar/{rest}"


def _holiday(tenant, day, name="Closed"):
    return in_tenant(
        tenant, lambda: services.holiday_create(actor=None, data={"date": day, "name": name})
    )


def test_the_calendar_page_shows_the_defaults_and_the_office_s_zone(admin_client, tenant_a):
    response = admin_client.get(url(tenant_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="09:00"' in html and 'value="17:00"' in html
    assert "(UTC)" in html
    assert 'href="/t/tenant-a/settings/business-calendar/holidays/"' in html


def test_the_office_settings_page_links_to_the_business_calendar(admin_client, tenant_a):
    html = admin_client.get(f"/t/{tenant_a.slug}/settings/").content.decode()
    assert 'href="/t/tenant-a/settings/business-calendar/"' in html


def test_an_admin_saves_the_working_week(admin_client, tenant_a, admin_a):
    response = admin_client.post(
        url(tenant_a),
        {"weekdays": ["0", "1", "2", "3"], "opens": "08:30", "closes": "16:00", "country": "NL"},
    )
    assert response.status_code == 302
    calendar = in_tenant(tenant_a, BusinessCalendar.objects.get)
    assert (calendar.weekdays, calendar.opens, calendar.closes) == ("0123", time(8, 30), time(16))
    assert calendar.country == "NL"
    assert_audited(tenant_a, "business_calendar.updated", actor=admin_a.user)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekdays": ["0"], "opens": "17:00", "closes": "09:00"}, "close after it opens"),
        ({"opens": "09:00", "closes": "17:00"}, "at least one working day"),
        ({"weekdays": ["9"], "opens": "09:00", "closes": "17:00"}, "valid choice"),
        ({"weekdays": ["0"], "opens": "9 o'clock", "closes": "17:00"}, "valid time"),
        ({"weekdays": ["0"], "opens": "09:00", "closes": "17:00", "country": "XX"}, "valid choice"),
        (
            {
                "weekdays": ["0"],
                "opens": "09:00",
                "closes": "17:00",
                "country": "DE",
                "subdivision": "ZZ",
            },
            "BY",
        ),
    ],
)
def test_a_working_week_that_cannot_work_re_renders_with_the_reason(
    admin_client, tenant_a, data, message
):
    response = admin_client.post(url(tenant_a), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert in_tenant(tenant_a, BusinessCalendar.objects.count) == 0


def test_the_holiday_list_filters_by_year(admin_client, tenant_a):
    _holiday(tenant_a, date(2026, 12, 31), "Old year's day")
    _holiday(tenant_a, date(2027, 6, 1), "Office outing")
    html = admin_client.get(url(tenant_a, "holidays/?year=2027")).content.decode()
    assert "Office outing" in html and "Old year's day" not in html
    garbage = admin_client.get(url(tenant_a, "holidays/?year=soon&page=x"))
    assert garbage.status_code == 200
    assert "Office outing" in garbage.content.decode()


def test_an_admin_adds_edits_and_deletes_a_holiday(admin_client, tenant_a, admin_a):
    response = admin_client.post(
        url(tenant_a, "holidays/new/"), {"date": "2027-06-01", "name": "Office outing"}
    )
    assert response.status_code == 302
    holiday = in_tenant(tenant_a, Holiday.objects.get)
    assert not holiday.seeded
    response = admin_client.post(
        url(tenant_a, f"holidays/{holiday.pk}/"), {"date": "2027-06-02", "name": "Outing"}
    )
    assert response.status_code == 302
    assert in_tenant(tenant_a, lambda: Holiday.objects.get().date) == date(2027, 6, 2)
    confirm = admin_client.get(url(tenant_a, f"holidays/{holiday.pk}/delete/"))
    assert "cannot be undone" in confirm.content.decode()
    assert in_tenant(tenant_a, Holiday.objects.count) == 1
    assert admin_client.post(url(tenant_a, f"holidays/{holiday.pk}/delete/")).status_code == 302
    assert in_tenant(tenant_a, Holiday.objects.count) == 0
    assert_audited(tenant_a, "holiday.deleted", actor=admin_a.user)


def test_a_second_holiday_on_a_date_re_renders_with_the_reason(admin_client, tenant_a):
    _holiday(tenant_a, date(2027, 6, 1))
    response = admin_client.post(
        url(tenant_a, "holidays/new/"), {"date": "2027-06-01", "name": "Again"}
    )
    assert response.status_code == 200
    assert "holiday on this date already" in response.content.decode()
    bad = admin_client.post(url(tenant_a, "holidays/new/"), {"date": "2027-02-30", "name": ""})
    assert bad.status_code == 200
    assert in_tenant(tenant_a, Holiday.objects.count) == 1


def test_seeding_asks_first_then_adds_the_country_s_public_holidays(admin_client, tenant_a):
    admin_client.post(
        url(tenant_a),
        {
            "weekdays": ["0", "1", "2", "3", "4"],
            "opens": "09:00",
            "closes": "17:00",
            "country": "NL",
        },
    )
    question = admin_client.get(url(tenant_a, "holidays/seed/")).content.decode()
    assert "Netherlands" in question
    assert in_tenant(tenant_a, Holiday.objects.count) == 0
    response = admin_client.post(url(tenant_a, "holidays/seed/"), follow=True)
    added = in_tenant(tenant_a, Holiday.objects.count)
    assert added >= 18
    assert f"{added} holidays were added" in response.content.decode()
    admin_client.post(url(tenant_a, "holidays/seed/"))
    assert in_tenant(tenant_a, Holiday.objects.count) == added


def test_seeding_without_a_country_says_to_choose_one(admin_client, tenant_a):
    page = admin_client.get(url(tenant_a, "holidays/seed/")).content.decode()
    assert "choose it on the business calendar first" in page
    response = admin_client.post(url(tenant_a, "holidays/seed/"), follow=True)
    assert "country first" in response.content.decode()
    assert in_tenant(tenant_a, Holiday.objects.count) == 0


@pytest.mark.parametrize("role", [Role.RELATIONSHIP_MANAGER, Role.IT_MANAGER, Role.ANALYST])
@pytest.mark.parametrize("rest", ["", "holidays/", "holidays/new/", "holidays/seed/"])
def test_only_admins_reach_the_business_calendar(client, tenant_a, role, rest):
    client.force_login(make_member(tenant_a, role).user)
    assert client.get(url(tenant_a, rest)).status_code == 403


def test_another_office_s_holiday_is_not_found(admin_client, tenant_a, tenant_b):
    theirs = _holiday(tenant_b, date(2027, 6, 1))
    assert admin_client.get(url(tenant_a, f"holidays/{theirs.pk}/")).status_code == 404
    assert admin_client.post(url(tenant_a, f"holidays/{theirs.pk}/delete/")).status_code == 404
    assert in_tenant(tenant_b, Holiday.objects.count) == 1


def _add_holidays(tenant, year, n):
    for day in range(1, n + 1):
        _holiday(tenant, date(year, 1, day), f"Day {day}")


def test_the_calendar_page_query_count_is_pinned(admin_client, tenant_a):
    assert_page_queries(admin_client, url(tenant_a), own=1)  # the calendar row


def test_the_holiday_list_query_count_is_pinned_and_independent_of_rows(admin_client, tenant_a):
    _add_holidays(tenant_a, 2026, 3)
    assert_page_queries(admin_client, url(tenant_a, "holidays/"), own=2)  # count, rows
    _add_holidays(tenant_a, 2027, 28)
    assert_page_queries(admin_client, url(tenant_a, "holidays/"), own=2)
