"""The agreements pages read a fixed number of queries, whatever the number of agreements,
versions, rows and signatures: the list, the agreement page and the portal's agreement page."""

import pytest
from django.urls import reverse

from agreements import services
from tests.agreements.builders import customer_with_rm, in_force, in_signature
from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries, in_tenant

pytestmark = pytest.mark.django_db

# The list: the RMs (filter choices), the count, the page of rows with their state (one query:
# the version numbers, pending signatures and state are subqueries).
AGREEMENT_LIST = 3
# The agreement page: the agreement (annotated), its versions, their signatures with the
# signers (three: signatures, memberships, users), the five sections (the SLA appendix last),
# the attendees' contacts and staff.
AGREEMENT_PAGE = 12
# The portal page (after the portal shell, which reads the scope): the agreement, the versions
# it may read with their signatures and signers (four), the five sections and the attendees'
# contacts and staff.
PORTAL_AGREEMENT = 12


def _more_rows(tenant, version, world, n=3):
    with in_tenant(tenant):
        draft = services.version_revise(version=version, actor=world.rm.user)
        for i in range(n):
            services.section_row_add(
                version=draft, section="objectives", actor=world.rm.user, objective=f"More {i}"
            )
            services.section_row_add(
                version=draft,
                section="engagement",
                actor=world.rm.user,
                meeting_type="other",
                name=f"Extra {i}",
                frequency="yearly",
                attendee_contact_ids=[world.bea.pk, world.lina.pk],
                attendee_member_ids=[world.rm.pk, world.it_manager.pk],
            )
        services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    return draft


def test_the_agreement_list_reads_a_fixed_number_of_queries(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    path = reverse("agreements:agreement_list", kwargs={"tenant_slug": tenant_a.slug})
    in_force(customer_with_rm(tenant_a))
    assert_page_queries(client, path, own=AGREEMENT_LIST)
    for _ in range(3):
        in_signature(customer_with_rm(tenant_a))
    assert_page_queries(client, path, own=AGREEMENT_LIST)
    assert_page_queries(client, f"{path}?state=in_force&sort=-review&q=Cust", own=AGREEMENT_LIST)


def test_the_agreement_page_reads_a_fixed_number_of_queries(client, tenant_a, world, page_in_force):
    client.force_login(world.rm.user)
    path = reverse(
        "agreements:agreement_detail",
        kwargs={"tenant_slug": tenant_a.slug, "pk": page_in_force.agreement_id},
    )
    assert_page_queries(client, path, own=AGREEMENT_PAGE)
    newer = _more_rows(tenant_a, page_in_force, world)
    assert_page_queries(client, path, own=AGREEMENT_PAGE)
    version_path = reverse(
        "agreements:version_detail", kwargs={"tenant_slug": tenant_a.slug, "pk": newer.pk}
    )
    # The version page also reads the version itself before its agreement.
    assert_page_queries(client, version_path, own=AGREEMENT_PAGE + 1)


def test_the_portal_agreement_page_reads_a_fixed_number_of_queries(
    client, tenant_a, world, page_in_force
):
    client.force_login(world.business_manager.user)
    path = reverse("agreements:portal_agreement", kwargs={"tenant_slug": tenant_a.slug})
    assert_page_queries(client, path, own=PORTAL_AGREEMENT, shell=PORTAL_SHELL_QUERIES)
    _more_rows(tenant_a, page_in_force, world)
    assert_page_queries(client, path, own=PORTAL_AGREEMENT, shell=PORTAL_SHELL_QUERIES)
