"""Isolation cases of the calendar feed pages (staff and portal).

The pages name no object: each shows the member's own feed and the meetings it lists. The marked
rows put the harness's own people (the same users) in tenant B too, each with a feed there and
a marked meeting they organise or are invited to, so a feed page in tenant A that read across
offices would show it.
"""

from datetime import timedelta

from django.utils import timezone

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Role
from meetings import feeds, services
from tests.factories import ContactFactory, CustomerFactory
from tests.isolation import MARKER, marked_rows
from tests.kit import make_member

# The users tests/tenancy/test_isolation.py signs in as, in tenant A.
HARNESS_STAFF = "iso-admin@a.example.test"
HARNESS_PORTAL = "iso-customer@a.example.test"


@marked_rows
def meetings_in_another_office_of_the_same_people(tenant):
    staff = make_member(tenant, Role.ADMIN, email=HARNESS_STAFF)
    portal = make_member(tenant, Role.CUSTOMER, email=HARNESS_PORTAL)
    start = timezone.now() + timedelta(days=2)
    with tenant_context(tenant):
        customer = CustomerFactory(
            tenant=tenant, name=f"{MARKER} meeting customer", relationship_manager=staff
        )
        contact = ContactFactory(
            customer=customer, name=f"{MARKER} contact", email=HARNESS_PORTAL, membership=portal
        )
        services.meeting_create(
            actor=staff.user,
            customer=customer,
            title=f"{MARKER} meeting",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            organiser=staff,
            contacts=[contact],
        )
        for member in (staff, portal):
            feeds.calendar_feed_create(membership=member, actor=member.user)
