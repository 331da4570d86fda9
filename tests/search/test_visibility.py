"""The search shows only what the reader's own pages show: a complaint about a relationship
manager is hidden from that RM (complaints.selectors.complaints_visible_to) and found by
everyone else on the staff side."""

import pytest

from brm.tenancy.models import Role
from tests.factories import received_complaint
from tests.kit import make_member
from tests.search.pages import found, staff_search

pytestmark = pytest.mark.django_db


def test_a_complaint_about_the_rm_is_not_found_by_that_rm(client, tenant_a, sworld):
    finance = sworld.c.finance
    about = received_complaint(
        finance, actor=sworld.c.m.it_manager, subject="Our RM never answers", about_rm=True
    )
    client.force_login(sworld.c.m.rm.user)
    groups = found(client, staff_search(tenant_a), "never answers")
    assert "complaints" not in groups
    assert "complaints" not in found(client, staff_search(tenant_a), about.reference)
    # The complaints list hides it from them too: the search widens nothing.
    listed = client.get(f"/t/{tenant_a.slug}/complaints/", {"q": "never answers"})
    assert about.reference not in listed.content.decode()

    client.force_login(sworld.c.m.it_manager.user)
    assert found(client, staff_search(tenant_a), "never answers")["complaints"] == [about.reference]
    other_rm = make_member(tenant_a, Role.RELATIONSHIP_MANAGER, email="other-rm@a.example.test")
    client.force_login(other_rm.user)
    assert found(client, staff_search(tenant_a), "never answers")["complaints"] == [about.reference]


def test_the_rm_still_finds_the_other_complaints_of_the_customer(client, tenant_a, sworld):
    received_complaint(
        sworld.c.finance, actor=sworld.c.m.it_manager, subject="Invoices ignored", about_rm=True
    )
    client.force_login(sworld.c.m.rm.user)
    assert found(client, staff_search(tenant_a), "Invoices")["complaints"] == [
        sworld.complaint.reference
    ]
