"""Deactivating a member revokes the API keys they made, in the same transaction, audited; the
deactivation page lists those keys first."""

import pytest
from django.urls import reverse

from brm.api.models import ApiKey
from brm.api.services import api_key_create
from brm.audit.models import AuditEvent
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Membership, Role
from brm.tenancy.services import membership_update
from tests.kit import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_manager(tenant_a):
    return make_member(tenant_a, Role.IT_MANAGER)


def _key(tenant, member, name):
    with tenant_context(tenant):
        return api_key_create(name=name, scope="write", created_by=member.user)


def test_deactivating_a_member_revokes_their_keys_and_audits_each(tenant_a, admin_a, it_manager):
    mine, _raw = _key(tenant_a, it_manager, "Payroll sync")
    second, _raw2 = _key(tenant_a, it_manager, "Reporting")
    others, _raw3 = _key(tenant_a, admin_a, "Admin's own")

    with tenant_context(tenant_a):
        membership_update(
            membership=it_manager, actor=admin_a.user, role=it_manager.role, is_active=False
        )
        revoked = set(ApiKey.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True))
        events = AuditEvent.objects.filter(action="api_key.revoked")
        assert {e.object_id for e in events} == {str(mine.pk), str(second.pk)}
        assert all(e.actor_id == admin_a.user.pk for e in events)
    assert revoked == {mine.pk, second.pk}
    assert others.pk not in revoked


def test_a_refused_deactivation_revokes_nothing(tenant_a, admin_a):
    key, _raw = _key(tenant_a, admin_a, "Only admin's key")
    with tenant_context(tenant_a):
        with pytest.raises(Exception, match="at least one active admin"):
            membership_update(membership=admin_a, actor=admin_a.user, role="admin", is_active=False)
        key.refresh_from_db()
    assert key.revoked_at is None


def test_a_key_of_a_deactivated_creator_answers_401(tenant_a, admin_a, it_manager):
    _key_obj, raw = _key(tenant_a, it_manager, "Payroll sync")
    api = client_for(raw)
    assert api.get("/api/v1/customers/").status_code == 200
    with tenant_context(tenant_a):
        membership_update(
            membership=it_manager, actor=admin_a.user, role=it_manager.role, is_active=False
        )
    response = api.get("/api/v1/customers/")
    assert response.status_code == 401
    assert response.json()["error"]["detail"] == "This API key was revoked."


def test_the_deactivation_page_lists_the_keys_that_will_be_revoked(
    client, tenant_a, admin_a, it_manager
):
    key, _raw = _key(tenant_a, it_manager, "Payroll sync")
    client.force_login(admin_a.user)
    url = reverse("tenancy:member_edit", kwargs={"tenant_slug": tenant_a.slug, "pk": it_manager.pk})

    page = client.post(url, {"role": it_manager.role})  # the "active" box unticked

    assert page.status_code == 200
    body = page.content.decode()
    assert "API keys that will be revoked" in body and str(key) in body
    with tenant_context(tenant_a):
        assert Membership.objects.get(pk=it_manager.pk).is_active
        key.refresh_from_db()
    assert key.revoked_at is None

    done = client.post(url, {"role": it_manager.role, "confirm": "1"})

    assert done.status_code == 302
    with tenant_context(tenant_a):
        assert not Membership.objects.get(pk=it_manager.pk).is_active
        key.refresh_from_db()
    assert key.revoked_at is not None
