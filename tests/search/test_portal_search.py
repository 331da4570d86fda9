"""The portal's search finds only what the portal shows its user: a customer login (Bea, the
business manager of Finance) their customer's meetings, decisions, complaints, notices, the
agreement in force and the surveys open to them; a purchaser login (Paul, of Finance's Payroll
unit) only the meetings they were invited to, their unit's complaints and their own, the
notices to the whole customer or their unit, and never another customer's records."""

import pytest

from brm.tenancy.models import Role
from meetings import communications
from tests.factories import ContactFactory, CustomerFactory, received_complaint
from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries, in_tenant, make_portal_member
from tests.meetings.builders import one_off
from tests.meetings.communications.conftest import maintenance
from tests.search.pages import found, portal_search, results, staff_search

pytestmark = pytest.mark.django_db


def test_a_customer_login_finds_what_its_portal_shows(client, tenant_a, sworld):
    client.force_login(sworld.c.m.business_manager.user)
    path = portal_search(tenant_a)
    assert found(client, path, "roadmap") == {
        "meetings": ["Quarterly roadmap review"],
        "decisions": ["Adopt the roadmap"],
    }
    assert found(client, path, "Invoices") == {"complaints": [sworld.complaint.reference]}
    assert found(client, path, "Firewall") == {"notices": ["Firewall replacement"]}
    assert found(client, path, "Spring pulse") == {"portal_surveys": ["Spring pulse"]}
    assert found(client, path, "Finance") == {"agreements": ["Partnership agreement with Finance"]}


def test_each_portal_hit_opens_its_portal_page(client, tenant_a, sworld):
    client.force_login(sworld.c.m.business_manager.user)
    for q in ("roadmap", "Invoices", "Firewall", "Spring", "Finance"):
        _groups, links, _counts = results(client.get(portal_search(tenant_a), {"q": q}))
        assert links
        for urls in links.values():
            for url in urls:
                assert url.startswith(f"/t/{tenant_a.slug}/portal/")
                assert client.get(url).status_code == 200, url


def test_the_portal_finds_no_staff_kinds(client, tenant_a, sworld):
    client.force_login(sworld.c.m.business_manager.user)
    path = portal_search(tenant_a)
    # Contacts, customers, services, survey templates and campaigns are staff records.
    assert found(client, path, "Sam Seller") == {}
    assert found(client, path, "Email") == {}
    assert found(client, path, "Annual partnership") == {"portal_surveys": ["Spring pulse"]}


def test_a_purchaser_finds_only_what_the_purchaser_sees(client, tenant_a, sworld):
    m = sworld.c.m
    invited = one_off(m, title="Payroll roadmap check", contacts=[m.paul])
    own = received_complaint(sworld.c.finance, raiser_contact=m.paul, subject="Payslips late")
    client.force_login(m.purchaser.user)
    path = portal_search(tenant_a)
    # Bea's meeting and its decision are not Paul's; the one he is invited to is.
    assert found(client, path, "roadmap") == {"meetings": [invited.title]}
    # Bea's complaint is not his; his own is.
    assert found(client, path, "Invoices") == {}
    assert found(client, path, "Payslips") == {"complaints": [own.reference]}
    # Bea is invited to the survey, not Paul.
    assert found(client, path, "Spring") == {}
    # The agreement in force: the portal's agreement page shows it to a purchaser too.
    assert found(client, path, "Finance") == {"agreements": ["Partnership agreement with Finance"]}


def test_a_purchaser_finds_no_notice_of_another_unit(client, tenant_a, sworld):
    with in_tenant(tenant_a):
        notice = maintenance(
            sworld.c,
            subject="Orders portal downtime",
            roles=["all_contacts"],
            purchasers_only=True,
            customer_ids=[sworld.c.sales.pk],
        )
        communications.notice_send(notice=notice, actor=None)
        communications.notice_fanout(notice)
    client.force_login(sworld.c.m.purchaser.user)
    assert found(client, portal_search(tenant_a), "downtime") == {}


def test_another_customers_login_finds_none_of_finance(client, tenant_a, sworld):
    other = CustomerFactory(tenant=tenant_a, name="Legal", relationship_manager=sworld.c.m.rm)
    lena = ContactFactory(customer=other, name="Lena Law", email="lena@legal.example")
    other.business_manager = lena
    in_tenant(tenant_a, other.save)
    member = make_portal_member(lena, Role.CUSTOMER)
    client.force_login(member.user)
    path = portal_search(tenant_a)
    for q in ("roadmap", "Invoices", "Firewall", "Spring", "Finance", sworld.complaint.reference):
        assert found(client, path, q) == {}, q


def test_an_unlinked_portal_login_finds_nothing(client, tenant_a, customer_a, sworld):
    client.force_login(customer_a.user)
    response = client.get(portal_search(tenant_a), {"q": "roadmap"})
    assert results(response)[0] == {}
    assert "Nothing found" in response.content.decode()


def test_staff_cannot_use_the_portal_search(client, tenant_a, sworld):
    client.force_login(sworld.c.m.rm.user)
    assert client.get(portal_search(tenant_a), {"q": "roadmap"}).status_code == 403


def test_the_portal_navigation_holds_the_search_box(client, tenant_a, sworld):
    client.force_login(sworld.c.m.business_manager.user)
    page = client.get(f"/t/{tenant_a.slug}/portal/").content.decode()
    assert 'role="search" aria-label="Portal search"' in page
    assert f'action="{portal_search(tenant_a)}"' in page
    assert f'action="{staff_search(tenant_a)}"' not in page


@pytest.mark.parametrize("q", ["x", "   ", "\x00", "é" * 5000])
def test_bad_input_on_the_portal_answers_with_a_message(client, tenant_a, sworld, q):
    client.force_login(sworld.c.m.business_manager.user)
    response = client.get(portal_search(tenant_a), {"q": q})
    assert results(response)[0] == {}
    assert 'id="search-message"' in response.content.decode()


# The portal user's scope once (counted in the portal shell), the count of each of the six
# portal kinds, the hits of the two that match (meetings and decisions) and the complaints'
# own reading of the scope (complaints_visible_to).
PORTAL_OWN = 9


def test_the_portal_search_reads_a_fixed_number_of_queries(client, tenant_a, sworld):
    client.force_login(sworld.c.m.business_manager.user)
    path = f"{portal_search(tenant_a)}?q=roadmap"
    assert_page_queries(client, path, own=PORTAL_OWN, shell=PORTAL_SHELL_QUERIES)
    for n in range(6):
        one_off(sworld.c.m, title=f"Roadmap sync {n}", contacts=[sworld.c.m.bea])
    assert_page_queries(client, path, own=PORTAL_OWN, shell=PORTAL_SHELL_QUERIES)
