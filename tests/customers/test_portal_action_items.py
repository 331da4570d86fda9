"""The owner of an action item comments on it and marks it done on the portal; others cannot."""

import pytest
from django.urls import reverse

from brm.tenancy.models import Role
from customers.models import ActionItem, ActionItemComment
from tests.factories import ActionItemFactory, ContactFactory, PurchaserFactory
from tests.kit import assert_audited, in_tenant, make_portal_member, refreshed

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(tenant_a, customer_record):
    unit = PurchaserFactory(customer=customer_record, name="Payroll")
    pat = ContactFactory(customer=customer_record, purchaser=unit, name="Pat Payroll")
    return {
        "mine": ActionItemFactory(
            customer=customer_record,
            owner_contact=customer_record.business_manager,
            title="Send figures",
        ),
        "pats": ActionItemFactory(customer=customer_record, owner_contact=pat, title="Order"),
    }


@pytest.fixture
def bea(tenant_a, customer_record):
    return make_portal_member(customer_record.business_manager, Role.CUSTOMER)


def _url(tenant, name, item):
    return reverse(f"customers:{name}", kwargs={"tenant_slug": tenant.slug, "pk": item.pk})


def test_owner_comments_on_their_action_item(client, tenant_a, bea, items):
    client.force_login(bea.user)
    response = client.post(
        _url(tenant_a, "portal_action_item", items["mine"]),
        {"body": "Figures are on their way."},
        follow=True,
    )
    assert "Figures are on their way." in response.content.decode()
    comment = in_tenant(tenant_a, lambda: ActionItemComment.objects.get())
    assert comment.action_item_id == items["mine"].pk
    assert comment.author == bea.user


def test_an_empty_comment_is_a_form_error(client, tenant_a, bea, items):
    client.force_login(bea.user)
    response = client.post(_url(tenant_a, "portal_action_item", items["mine"]), {"body": "  "})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert in_tenant(tenant_a, lambda: not ActionItemComment.objects.exists())


def test_owner_marks_their_action_item_done(client, tenant_a, bea, items):
    client.force_login(bea.user)
    detail = client.get(_url(tenant_a, "portal_action_item", items["mine"])).content.decode()
    assert _url(tenant_a, "portal_action_item_done", items["mine"]) in detail

    response = client.post(_url(tenant_a, "portal_action_item_done", items["mine"]), follow=True)

    assert "is marked as done" in response.content.decode()
    item = refreshed(items["mine"])
    event = assert_audited(tenant_a, "action_item.updated", obj=item, actor=bea.user)
    assert item.status == ActionItem.Status.DONE
    assert item.completed_at is not None
    assert event.changes["status"] == ["open", "done"]


def test_someone_elses_action_item_cannot_be_commented_or_completed(client, tenant_a, bea, items):
    client.force_login(bea.user)
    pats = items["pats"]
    assert client.post(_url(tenant_a, "portal_action_item", pats), {"body": "x"}).status_code == 404
    assert client.post(_url(tenant_a, "portal_action_item_done", pats)).status_code == 404
    assert not in_tenant(tenant_a, ActionItemComment.objects.exists)
    assert refreshed(pats).status == ActionItem.Status.OPEN
