"""Following a complaint in the portal: its status, level, the people at each level and the
targets; the list of mine or my customer's; never an internal note or a staff-only file; another
unit's complaint is a 404."""

import pytest

from complaints import services
from tests.complaints.conftest import receive, working
from tests.complaints.pages import body, pdf, signed_in, url
from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries, in_tenant

pytestmark = pytest.mark.django_db

SECRET = "The RM forgot to schedule it"
# The complaint, the timeline (events, messages, their files), the office calendar (its row, its
# holidays), the clock's spans and the people at levels 2 and 3.
PORTAL_DETAIL = 9


def _followed(tenant, world):
    with in_tenant(tenant):
        complaint = receive(world, raiser_contact=world.paul, purchaser=world.payroll)
        working(world, complaint)
        services.complaint_message_add(complaint=complaint, actor=world.rm, body="We are on it")
        services.complaint_message_add(
            complaint=complaint, actor=world.rm, body=SECRET, internal=True
        )
        services.attachment_add(
            complaint=complaint,
            actor=world.rm,
            upload=pdf("internal-analysis.pdf"),
            internal=True,
        )
    return complaint


def test_the_raiser_follows_the_status_route_and_targets_without_internal_notes(
    client, tenant_a, world
):
    complaint = _followed(tenant_a, world)
    page = body(
        signed_in(client, world.purchaser).get(url(tenant_a, "portal_complaint", pk=complaint.pk))
    )
    assert "We are on it" in page
    assert SECRET not in page
    assert "internal-analysis.pdf" not in page
    assert "Acknowledged" in page
    assert "Level 1: the relationship manager" in page
    assert "Ivo IT" in page and "Ida IT" in page  # the people at level 2
    assert "Our targets" in page and "left" in page


def test_internal_notes_never_appear_on_any_portal_page(client, tenant_a, world):
    complaint = _followed(tenant_a, world)
    signed_in(client, world.business_manager)
    for name, kwargs in [
        ("portal_complaint_list", {}),
        ("portal_complaint", {"pk": complaint.pk}),
        ("portal_reply", {"pk": complaint.pk}),
        ("portal_escalate", {"pk": complaint.pk}),
        ("portal_confirm", {"pk": complaint.pk}),
        ("portal_reject", {"pk": complaint.pk}),
    ]:
        response = client.get(url(tenant_a, name, **kwargs))
        assert response.status_code == 200, name
        assert SECRET not in body(response), name


def test_a_purchaser_lists_their_own_and_the_customer_lists_all(client, tenant_a, world):
    with in_tenant(tenant_a):
        receive(world, subject="From Paul", raiser_contact=world.paul)
        receive(world, subject="From Anna", raiser_contact=world.anna)
    page = body(signed_in(client, world.purchaser).get(url(tenant_a, "portal_complaint_list")))
    assert "From Paul" in page and "From Anna" not in page
    page = body(
        signed_in(client, world.business_manager).get(url(tenant_a, "portal_complaint_list"))
    )
    assert "From Paul" in page and "From Anna" in page


def test_another_units_complaint_is_a_404(client, tenant_a, world):
    with in_tenant(tenant_a):
        theirs = receive(world, raiser_contact=world.anna)
    signed_in(client, world.purchaser)
    for name in ("portal_complaint", "portal_reply", "portal_escalate", "portal_confirm"):
        assert client.get(url(tenant_a, name, pk=theirs.pk)).status_code == 404, name


def test_the_portal_page_reads_the_same_number_of_queries_with_a_longer_thread(
    client, tenant_a, world
):
    complaint = _followed(tenant_a, world)
    path = url(tenant_a, "portal_complaint", pk=complaint.pk)
    signed_in(client, world.purchaser)
    assert_page_queries(client, path, own=PORTAL_DETAIL, shell=PORTAL_SHELL_QUERIES)
    with in_tenant(tenant_a):
        for i in range(4):
            services.complaint_message_add(complaint=complaint, actor=world.rm, body=f"M {i}")
        services.complaint_escalate(complaint=complaint, actor=world.rm, note="IT")
    assert_page_queries(client, path, own=PORTAL_DETAIL, shell=PORTAL_SHELL_QUERIES)


def test_every_portal_user_reads_the_published_procedure(client, tenant_a, world):
    page = body(signed_in(client, world.purchaser).get(url(tenant_a, "portal_procedure")))
    assert "How we handle complaints" in page
    assert "16 h" in page  # critical: resolved within 16 business hours
    assert "The IT steering group" in page


# The scope once more (complaints_visible_to reads it), the count and the page of complaints.
PORTAL_LIST = 3


def test_the_portal_list_reads_the_same_number_of_queries_with_more_complaints(
    client, tenant_a, world
):
    with in_tenant(tenant_a):
        receive(world, raiser_contact=world.paul)
    path = url(tenant_a, "portal_complaint_list")
    signed_in(client, world.business_manager)
    assert_page_queries(client, path, own=PORTAL_LIST, shell=PORTAL_SHELL_QUERIES)
    with in_tenant(tenant_a):
        for contact in (world.paul, world.anna, world.bea):
            receive(world, raiser_contact=contact)
    assert_page_queries(client, path, own=PORTAL_LIST, shell=PORTAL_SHELL_QUERIES)
