"""Cadence pages: the list with each rule in words and the next meeting, a cadence's page, the
rule fields validated with messages that say what to choose, pausing and resuming after a
confirmation, and making the cadences of an agreement in force from its page."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Cadence, Meeting
from meetings.presentation import rule_in_words
from tests.agreements.builders import in_force
from tests.kit import in_tenant, refreshed
from tests.meetings.conftest import monthly_review
from tests.meetings.pages import signed_in, url

pytestmark = pytest.mark.django_db


def _review(mworld):
    return in_tenant(
        mworld.customer.tenant_id,
        lambda: monthly_review(mworld, starts_on=timezone.localdate()),
    )


def _form(mworld, **overrides):
    data = {
        "customer": mworld.customer.pk,
        "meeting_type": "service_review",
        "name": "Quarterly initiative review",
        "frequency": "quarterly",
        "interval": 1,
        "weekday": "3",
        "week_of_month": "-1",
        "starts_on": timezone.localdate().isoformat(),
        "time_of_day": "14:00",
        "duration_minutes": 90,
        "organiser": mworld.rm.pk,
        "contacts": [mworld.bea.pk],
        "members": [mworld.rm.pk],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"frequency": "monthly", "weekday": 1, "week_of_month": 2}, "Monthly on the 2nd Tuesday"),
        ({"frequency": "weekly", "interval": 2, "weekday": 0}, "Every 2 weeks on Monday"),
        ({"frequency": "quarterly", "weekday": 4, "week_of_month": -1}, "Quarterly on the last"),
        ({"frequency": "monthly", "month_day": 31}, "Monthly on day 31 (or the month's last day)"),
        ({"frequency": "yearly", "month_day": 15}, "Yearly on day 15"),
    ],
)
def test_a_rule_reads_in_words(rule, words):
    cadence = Cadence(
        interval=rule.pop("interval", 1),
        starts_on=timezone.localdate(),
        time_of_day=time(10),
        **rule,
    )
    assert rule_in_words(cadence).startswith(words)
    assert rule_in_words(cadence).endswith("at 10:00")


def test_the_list_shows_the_rule_in_words_and_the_next_meeting(client, tenant_a, mworld):
    cadence = _review(mworld)
    nxt = in_tenant(
        tenant_a,
        lambda: cadence.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")[0],
    )
    page = signed_in(client, mworld.rm).get(url(tenant_a, "cadence_list")).content.decode()
    assert "Monthly on the 2nd Tuesday at 10:00" in page
    assert timezone.localtime(nxt.starts_at, tenant_a.zone).strftime("%Y-%m-%d 10:00") in page


def test_the_cadence_page_lists_its_rule_attendees_and_upcoming_occurrences(
    client, tenant_a, mworld
):
    cadence = _review(mworld)
    page = signed_in(client, mworld.rm).get(url(tenant_a, "cadence_detail", pk=cadence.pk))
    body = page.content.decode()
    assert "Monthly on the 2nd Tuesday at 10:00" in body and "(Europe/Amsterdam)" in body
    assert mworld.bea.name in body
    assert "Upcoming occurrences" in body and "No period was missed." in body


def test_a_cadence_made_by_hand_plans_its_meetings(client, tenant_a, mworld):
    answer = signed_in(client, mworld.rm).post(url(tenant_a, "cadence_create"), _form(mworld))
    assert answer.status_code == 302
    cadence = in_tenant(tenant_a, lambda: Cadence.objects.get(name="Quarterly initiative review"))
    assert (cadence.frequency, cadence.weekday, cadence.week_of_month) == ("quarterly", 3, -1)
    first = in_tenant(tenant_a, lambda: cadence.meetings.order_by("starts_at").first())
    assert timezone.localtime(first.starts_at, tenant_a.zone).time() == time(14)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"week_of_month": None}, "Say which Thursday of the month"),
        ({"weekday": None}, "A week of the month needs a weekday"),
        ({"month_day": 10}, "Choose a day of the month or a weekday position"),
        ({"frequency": "weekly"}, "A meeting every N weeks is on a weekday"),
        ({"month_day": 32, "weekday": None, "week_of_month": None}, "less than or equal to 31"),
        ({"interval": 0}, "greater than or equal to 1"),
        ({"time_of_day": "25:00"}, "Enter a valid time."),
        ({"online_url": "ftp://files"}, "Enter a valid URL."),
    ],
)
def test_a_wrong_rule_re_renders_with_a_message_that_says_what_to_choose(
    client, tenant_a, mworld, overrides, message
):
    answer = signed_in(client, mworld.rm).post(
        url(tenant_a, "cadence_create"), _form(mworld, **overrides)
    )
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not in_tenant(tenant_a, lambda: Cadence.objects.exists())


def test_editing_a_cadence_moves_its_future_meetings(client, tenant_a, mworld):
    cadence = _review(mworld)
    edit = url(tenant_a, "cadence_edit", pk=cadence.pk)
    data = _form(mworld, name=cadence.name, frequency="monthly", weekday="1", week_of_month="2")
    data.pop("customer")
    data.update(time_of_day="09:30", starts_on=cadence.starts_on.isoformat())
    assert signed_in(client, mworld.rm).post(edit, data).status_code == 302
    future = in_tenant(
        tenant_a,
        lambda: list(cadence.meetings.filter(status="planned", starts_at__gt=timezone.now())),
    )
    assert future
    assert {timezone.localtime(m.starts_at, tenant_a.zone).time() for m in future} == {time(9, 30)}


def test_pausing_asks_first_and_cancels_the_future_meetings_then_resuming_plans_again(
    client, tenant_a, mworld
):
    cadence = _review(mworld)
    pause = url(tenant_a, "cadence_pause", pk=cadence.pk)
    signed_in(client, mworld.rm)
    assert "Its future planned meetings are cancelled" in client.get(pause).content.decode()
    assert refreshed(cadence).status == Cadence.Status.ACTIVE
    client.post(pause)
    assert refreshed(cadence).status == Cadence.Status.PAUSED
    planned = in_tenant(tenant_a, lambda: cadence.meetings.filter(status="planned").count())
    assert planned == 0
    assert "planned again" in client.get(pause).content.decode()
    client.post(pause)
    assert refreshed(cadence).status == Cadence.Status.ACTIVE
    assert in_tenant(tenant_a, lambda: cadence.meetings.filter(status="planned").exists())


def test_the_agreement_page_offers_to_make_cadences_only_with_a_version_in_force(
    client, tenant_a, mworld
):
    round_ = in_force(mworld.customer)
    agreement_page = reverse(
        "agreements:agreement_detail",
        kwargs={"tenant_slug": tenant_a.slug, "pk": round_.version.agreement_id},
    )
    make = url(tenant_a, "cadences_from_agreement", pk=round_.version.agreement_id)
    assert make in signed_in(client, mworld.rm).get(agreement_page).content.decode()
    assert make not in signed_in(client, mworld.steering).get(agreement_page).content.decode()


def test_making_cadences_from_the_agreement_asks_first_and_is_idempotent(client, tenant_a, mworld):
    round_ = in_force(mworld.customer)
    make = url(tenant_a, "cadences_from_agreement", pk=round_.version.agreement_id)
    signed_in(client, mworld.rm)
    assert "becomes a cadence" in client.get(make).content.decode()
    assert not in_tenant(tenant_a, lambda: Cadence.objects.exists())
    first = client.post(make, follow=True).content.decode()
    names = in_tenant(tenant_a, lambda: list(Cadence.objects.values_list("name", flat=True)))
    assert len(names) == 1 and f"Made: {names[0]}." in first
    again = client.post(make, follow=True).content.decode()
    assert f"Already there: {names[0]}." in again and "Made:" not in again
    assert in_tenant(tenant_a, lambda: Cadence.objects.count()) == 1
    meetings = in_tenant(tenant_a, lambda: Meeting.objects.filter(cadence__isnull=False).count())
    assert meetings > 0


def test_an_agreement_without_a_version_in_force_makes_no_cadences(client, tenant_a, mworld):
    from tests.agreements.builders import draft_for

    version = draft_for(mworld.customer)
    make = url(tenant_a, "cadences_from_agreement", pk=version.agreement_id)
    signed_in(client, mworld.rm)
    assert "no version in force" in client.get(make).content.decode()
    client.post(make)
    assert not in_tenant(tenant_a, lambda: Cadence.objects.exists())


def test_the_customer_page_offers_the_same_action_when_the_agreement_is_in_force(
    client, tenant_a, mworld
):
    page = reverse(
        "customers:customer_detail", kwargs={"tenant_slug": tenant_a.slug, "pk": mworld.customer.pk}
    )
    signed_in(client, mworld.rm)
    assert "Make cadences from the agreement" not in client.get(page).content.decode()
    in_force(mworld.customer)
    assert "Make cadences from the agreement" in client.get(page).content.decode()
