"""Only an admin brings back a membership an admin deactivated; replacing someone else's pending
invitation is recorded, and an admin's pending invitation is replaced only by an admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brm.audit.models import AuditEvent
from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Invitation, Membership, Role
from customers import services as customer_services
from customers.models import Contact
from tests.kit import assert_audited, make_member

pytestmark = pytest.mark.django_db


def _token(url):
    return url.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def deactivated_manager(tenant_a, admin_a, customer_record):
    """Bea, the business manager, had a portal login; an admin deactivated it."""
    bea = customer_record.business_manager
    member = make_member(tenant_a, Role.CUSTOMER, email=bea.email)
    with tenant_context(tenant_a):
        bea.membership = member
        bea.save()
        services.membership_update(
            membership=member, actor=admin_a.user, role=member.role, is_active=False
        )
        return Contact.objects.select_related("customer", "membership__user").get(pk=bea.pk)


def test_a_relationship_manager_cannot_invite_a_deactivated_contact_back(
    tenant_a, rm_a, deactivated_manager
):
    with tenant_context(tenant_a), pytest.raises(ValidationError) as exc:
        customer_services.contact_invite(contact=deactivated_manager, actor=rm_a.user)
    assert "only an admin can bring them back" in " ".join(exc.value.messages)
    with tenant_context(tenant_a):
        assert not Invitation.objects.exists()


def test_the_invite_page_tells_a_relationship_manager_why_up_front(
    client, tenant_a, rm_a, deactivated_manager
):
    client.force_login(rm_a.user)
    url = reverse(
        "customers:contact_invite",
        kwargs={"tenant_slug": tenant_a.slug, "pk": deactivated_manager.pk},
    )
    page = client.get(url).content.decode()
    assert "was deactivated in this office; only an admin can bring them back." in page
    response = client.post(url, follow=True)
    assert "only an admin can bring them back" in response.content.decode()
    with tenant_context(tenant_a):
        assert not Invitation.objects.exists()


def test_an_admin_invites_a_deactivated_contact_back(tenant_a, admin_a, deactivated_manager):
    with tenant_context(tenant_a):
        invitation, url = customer_services.contact_invite(
            contact=deactivated_manager, actor=admin_a.user
        )
        membership = services.invitation_accept(
            raw_token=_token(url), user=deactivated_manager.membership.user
        )
    assert invitation.by_admin
    assert membership.is_active and membership.role == Role.CUSTOMER


def test_accepting_a_non_admins_invitation_does_not_reactivate(tenant_a, admin_a, rm_a):
    # An RM's invitation is pending; meanwhile the address became a member who was deactivated.
    with tenant_context(tenant_a):
        _invitation, url = services.invitation_create(
            tenant=tenant_a, email="kim@example.test", role=Role.ANALYST, invited_by=rm_a.user
        )
    kim = make_member(tenant_a, Role.ANALYST, email="kim@example.test")
    with tenant_context(tenant_a):
        services.membership_update(
            membership=kim, actor=admin_a.user, role=kim.role, is_active=False
        )
        with pytest.raises(ValidationError, match="only an admin can bring it back"):
            services.invitation_accept(raw_token=_token(url), user=kim.user)
        assert not Membership.objects.get(pk=kim.pk).is_active


def test_replacing_someone_elses_invitation_records_who_replaced_whose(tenant_a, admin_a, rm_a):
    other_rm = make_member(tenant_a, Role.IT_MANAGER)
    with tenant_context(tenant_a):
        first, _url = services.invitation_create(
            tenant=tenant_a, email="pat@example.test", role=Role.PURCHASER, invited_by=other_rm.user
        )
        second, _url = services.invitation_create(
            tenant=tenant_a, email="pat@example.test", role=Role.CUSTOMER, invited_by=rm_a.user
        )
        first.refresh_from_db()
    assert first.revoked_at is not None and second.is_pending
    assert_audited(
        tenant_a,
        "invitation.replaced",
        obj=first,
        actor=rm_a.user,
        changes={
            "invited_by": [str(other_rm.user), str(rm_a.user)],
            "role": [Role.PURCHASER, Role.CUSTOMER],
            "replaced_by": [None, second.pk],
        },
    )


def test_only_an_admin_replaces_a_pending_admin_invitation(tenant_a, admin_a, rm_a):
    with tenant_context(tenant_a):
        admins, _url = services.invitation_create(
            tenant=tenant_a, email="new.boss@example.test", role=Role.ADMIN, invited_by=admin_a.user
        )
        with pytest.raises(ValidationError, match="only an admin can replace it"):
            services.invitation_create(
                tenant=tenant_a,
                email="new.boss@example.test",
                role=Role.ANALYST,
                invited_by=rm_a.user,
            )
        admins.refresh_from_db()
        assert admins.is_pending
        assert not AuditEvent.objects.filter(action="invitation.replaced").exists()
        services.invitation_create(
            tenant=tenant_a,
            email="new.boss@example.test",
            role=Role.STEERING,
            invited_by=admin_a.user,
        )
        admins.refresh_from_db()
    assert admins.revoked_at is not None
