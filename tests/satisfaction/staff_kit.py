"""Helpers of the satisfaction staff pages' tests: URLs, a signed-in client, a page's text."""

from django.urls import reverse


def url(tenant, name: str, **kwargs) -> str:
    return reverse(f"satisfaction:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def signed_in(client, member):
    client.force_login(member.user)
    return client


def body(response) -> str:
    return response.content.decode()


def campaign_post(survey, **values) -> dict:
    """A campaign form's fields: Finance's business managers, from tomorrow for three weeks."""
    data = {
        "name": "Spring survey",
        "survey": survey.pk,
        "audience_role": "business_managers",
        "audience_scope": "all",
        "opens_on": "2030-03-02",
        "opens_time": "09:00",
        "closes_on": "2030-03-23",
        "closes_time": "17:00",
        "repeat": "",
        "reminders_max": "2",
        "first_reminder_days": "7",
        "anonymity": "attributed",
    }
    data.update(values)
    return data
