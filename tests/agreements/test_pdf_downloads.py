"""Downloading a version's PDF: staff any version of the office; a portal customer the versions
in force or superseded and the one in signature that names them; a purchaser only the version in
force; another office's version is a 404. A stored sealed PDF is served as stored."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from agreements import services
from agreements.models import AgreementVersion
from brm.pdf.seal import verify_pdf
from brm.tenancy.models import Role
from tests.agreements.conftest import sign
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


def _staff_url(tenant, version):
    return reverse(
        "agreement_pdf:version_pdf", kwargs={"tenant_slug": tenant.slug, "pk": version.pk}
    )


def _portal_url(tenant, version):
    return reverse(
        "agreement_pdf_portal:version_pdf", kwargs={"tenant_slug": tenant.slug, "pk": version.pk}
    )


def _as(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def test_staff_get_the_stored_sealed_pdf_byte_for_byte(tenant_a, history):
    version = in_tenant(tenant_a, lambda: AgreementVersion.objects.get(pk=history.in_force.pk))
    response = _as(history.world.rm).get(_staff_url(tenant_a, version))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="agreement-{version.agreement_id}-v1.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(response.content).hexdigest() == version.sealed_pdf_sha256
    assert verify_pdf(response.content).ok


def test_a_version_without_a_stored_pdf_is_rendered_on_demand_and_not_sealed(tenant_a, history):
    response = _as(history.world.rm).get(_staff_url(tenant_a, history.in_signature))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "carries no seal" in verify_pdf(response.content).reason


@pytest.mark.parametrize("role", [Role.ANALYST, Role.STEERING, Role.IT_MANAGER, Role.ADMIN])
def test_every_staff_role_downloads_any_version(tenant_a, history, role):
    client = _as(make_member(tenant_a, role, email=f"{role}-reader@example.test"))
    for version in (history.in_force, history.in_signature):
        assert client.get(_staff_url(tenant_a, version)).status_code == 200


def test_a_draft_downloads_for_staff_marked_as_a_draft(tenant_a, history):
    with in_tenant(tenant_a):
        draft = services.version_withdraw(version=history.in_signature, actor=history.world.rm.user)
    response = _as(history.world.rm).get(_staff_url(tenant_a, draft))
    assert response.status_code == 200
    assert f"v{draft.number}-draft.pdf" in response["Content-Disposition"]


def test_the_download_takes_no_post(tenant_a, history):
    assert _as(history.world.rm).post(_staff_url(tenant_a, history.in_force)).status_code == 405


def test_another_offices_version_is_not_found_for_staff(tenant_a, tenant_b, admin_b, history):
    client = _as(admin_b)
    assert client.get(_staff_url(tenant_b, history.in_force)).status_code == 404
    # And under A's prefix, a member of B is not a member at all.
    assert client.get(_staff_url(tenant_a, history.in_force)).status_code == 404


def test_a_portal_customer_gets_the_version_in_force_and_the_one_awaiting_them(tenant_a, history):
    client = _as(history.world.business_manager)
    in_force = client.get(_portal_url(tenant_a, history.in_force))
    assert in_force.status_code == 200 and verify_pdf(in_force.content).ok
    assert client.get(_portal_url(tenant_a, history.in_signature)).status_code == 200


def test_a_portal_customer_keeps_the_version_they_signed_while_the_others_sign(tenant_a, history):
    world = history.world
    with in_tenant(tenant_a):
        signature = history.in_signature.signatures.get(role="business_manager")
        sign(signature, world.business_manager)
    response = _as(world.business_manager).get(_portal_url(tenant_a, history.in_signature))
    assert response.status_code == 200


def test_a_portal_customer_gets_superseded_versions(tenant_a, history):
    world = history.world
    with in_tenant(tenant_a):
        for signature in history.in_signature.signatures.filter(status="pending"):
            sign(signature, signature.membership)
        assert AgreementVersion.objects.get(pk=history.in_force.pk).status == "superseded"
    client = _as(world.line_manager)
    assert client.get(_portal_url(tenant_a, history.in_force)).status_code == 200
    assert client.get(_portal_url(tenant_a, history.in_signature)).status_code == 200


def test_a_portal_customer_never_gets_a_draft_or_a_withdrawn_version(tenant_a, history):
    with in_tenant(tenant_a):
        draft = services.version_withdraw(version=history.in_signature, actor=history.world.rm.user)
    client = _as(history.world.business_manager)
    assert client.get(_portal_url(tenant_a, draft)).status_code == 404
    assert client.get(_portal_url(tenant_a, history.in_signature)).status_code == 404


def test_a_purchaser_gets_only_the_version_in_force(tenant_a, history):
    client = _as(history.world.purchaser)
    assert client.get(_portal_url(tenant_a, history.in_force)).status_code == 200
    assert client.get(_portal_url(tenant_a, history.in_signature)).status_code == 404


def test_a_portal_customer_of_another_customer_gets_a_404(tenant_a, history):
    from customers.models import Contact
    from tests.factories import ContactFactory, CustomerFactory
    from tests.kit import make_portal_member

    with in_tenant(tenant_a):
        other = CustomerFactory(
            tenant=tenant_a, name="Logistics", relationship_manager=history.world.rm
        )
        boss = ContactFactory(
            customer=other,
            name="Olga",
            email="olga@logistics.example",
            authority=Contact.Authority.DECIDES,
        )
        other.business_manager = boss
        other.save()
    client = _as(make_portal_member(boss, Role.CUSTOMER))
    assert client.get(_portal_url(tenant_a, history.in_force)).status_code == 404


def test_staff_cannot_use_the_portal_download_nor_portal_users_the_staff_one(tenant_a, history):
    assert _as(history.world.rm).get(_portal_url(tenant_a, history.in_force)).status_code == 403
    customer = _as(history.world.business_manager)
    assert customer.get(_staff_url(tenant_a, history.in_force)).status_code == 403


def test_download_queries_are_pinned(tenant_a, history):
    from tests.kit import PORTAL_SHELL_QUERIES, assert_page_queries

    # The version, then the stored file's bytes (no query).
    assert_page_queries(_as(history.world.rm), _staff_url(tenant_a, history.in_force), own=1)
    # The portal scope's contact is the shell's; then the version, through the signers' check.
    assert_page_queries(
        _as(history.world.business_manager),
        _portal_url(tenant_a, history.in_force),
        own=1,
        shell=PORTAL_SHELL_QUERIES,
    )


def test_a_sealed_copy_missing_from_storage_is_said_so_and_never_replaced_by_an_unsealed_one(
    tenant_a, history
):
    version = in_tenant(tenant_a, lambda: AgreementVersion.objects.get(pk=history.in_force.pk))
    version.sealed_pdf.storage.delete(version.sealed_pdf.name)
    response = _as(history.world.rm).get(_staff_url(tenant_a, version))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"The sealed copy is missing" in response.content
    assert b"%PDF-" not in response.content
    portal = _as(history.world.business_manager).get(_portal_url(tenant_a, version))
    assert portal.status_code == 503 and b"restores the file" in portal.content
