"""The portal's agreement pages: a customer reads the version in force, its history, compares
versions and signs the one awaiting them; a purchaser reads the version in force only, never a
draft or a version in signature (404, like an id that does not exist)."""

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import AgreementVersion, Signature
from tests.kit import PASSWORD, in_tenant, refreshed

pytestmark = pytest.mark.django_db

Status = AgreementVersion.Status


def _url(tenant, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def _revise(tenant, world, version, philosophy="Partners, and honest about it."):
    with in_tenant(tenant):
        draft = services.version_revise(version=version, actor=world.rm.user)
        services.version_update(
            version=draft, actor=world.rm.user, relationship_philosophy=philosophy
        )
    return draft


def test_a_customer_reads_the_version_in_force_and_its_history(
    client, tenant_a, world, page_in_force
):
    draft = _revise(tenant_a, world, page_in_force)
    client.force_login(world.business_manager.user)
    response = client.get(_url(tenant_a, "portal_agreement"))
    assert response.status_code == 200
    assert response.context["version"] == page_in_force
    body = response.content.decode()
    assert "Partners, not suppliers." in body and "Close the books in 3 days" in body
    assert _url(tenant_a, "portal_version", pk=page_in_force.pk) not in body  # shown, not linked
    assert _url(tenant_a, "portal_version", pk=draft.pk) not in body  # drafts stay in the office


def test_a_customer_gets_404_for_a_draft(client, tenant_a, world, page_draft):
    client.force_login(world.business_manager.user)
    assert client.get(_url(tenant_a, "portal_version", pk=page_draft.pk)).status_code == 404


def test_the_signer_sees_the_version_awaiting_them_and_signs_it_in_the_portal(
    client, tenant_a, world, page_submitted
):
    signature = in_tenant(
        tenant_a, lambda: Signature.objects.get(version=page_submitted, role="business_manager")
    )
    client.force_login(world.business_manager.user)
    home = client.get(_url(tenant_a, "portal_agreement")).content.decode()
    sign_url = _url(tenant_a, "portal_signature_sign", pk=signature.pk)
    assert sign_url in home and "awaits your signature" in home
    client.post(f"{reverse('account_reauthenticate')}?next={sign_url}", {"password": PASSWORD})
    response = client.post(sign_url, {"affirmation": "on"}, HTTP_USER_AGENT="Portal browser")
    assert response.url == _url(tenant_a, "portal_version", pk=page_submitted.pk)
    signature = refreshed(signature)
    assert (signature.status, signature.auth_method, signature.user_agent) == (
        "signed",
        "password",
        "Portal browser",
    )


def test_another_customer_user_sees_no_button_and_cannot_sign(
    client, tenant_a, world, page_submitted
):
    signature = in_tenant(
        tenant_a, lambda: Signature.objects.get(version=page_submitted, role="business_manager")
    )
    client.force_login(world.line_manager.user)
    sign_url = _url(tenant_a, "portal_signature_sign", pk=signature.pk)
    assert (
        sign_url
        not in client.get(_url(tenant_a, "portal_version", pk=page_submitted.pk)).content.decode()
    )
    assert "Only" in client.get(sign_url).content.decode()
    client.post(f"{reverse('account_reauthenticate')}?next={sign_url}", {"password": PASSWORD})
    client.post(sign_url, {"affirmation": "on"})
    assert refreshed(signature).status == Signature.Status.PENDING


def test_a_customer_declines_in_the_portal_with_a_reason(client, tenant_a, world, page_submitted):
    signature = in_tenant(
        tenant_a,
        lambda: Signature.objects.get(version=page_submitted, role="business_line_manager"),
    )
    client.force_login(world.line_manager.user)
    response = client.post(
        _url(tenant_a, "portal_signature_decline", pk=signature.pk), {"reason": "Budget not agreed"}
    )
    assert response.url == _url(tenant_a, "portal_agreement")
    assert refreshed(page_submitted).status == Status.WITHDRAWN


def test_a_customer_compares_two_versions(client, tenant_a, world, page_in_force):
    draft = _revise(tenant_a, world, page_in_force, philosophy="Partners who plan together.")
    with in_tenant(tenant_a):
        services.version_submit(version=draft, actor=world.rm.user, signers=world.signers)
    client.force_login(world.business_manager.user)
    body = client.get(_url(tenant_a, "portal_compare"), {"a": 1, "b": 2}).content.decode()
    assert "<del>" in body and "Partners, not suppliers." in body
    assert "<ins>" in body and "Partners who plan together." in body


def test_a_purchaser_reads_the_version_in_force_only(client, tenant_a, world, page_in_force):
    draft = _revise(tenant_a, world, page_in_force)
    client.force_login(world.purchaser.user)
    response = client.get(_url(tenant_a, "portal_agreement"))
    assert response.status_code == 200 and response.context["version"] == page_in_force
    assert response.context["versions"] == [page_in_force]
    body = response.content.decode()
    assert "Version history" not in body and "Read and sign" not in body
    assert client.get(_url(tenant_a, "portal_version", pk=page_in_force.pk)).status_code == 200
    assert client.get(_url(tenant_a, "portal_version", pk=draft.pk)).status_code == 404


def test_a_purchaser_gets_404_for_a_version_in_signature_and_its_signatures(
    client, tenant_a, world, page_submitted
):
    signature = in_tenant(
        tenant_a, lambda: Signature.objects.get(version=page_submitted, role="business_manager")
    )
    client.force_login(world.purchaser.user)
    assert client.get(_url(tenant_a, "portal_version", pk=page_submitted.pk)).status_code == 404
    for name in ("portal_signature_sign", "portal_signature_decline"):
        assert client.get(_url(tenant_a, name, pk=signature.pk)).status_code == 404
        assert (
            client.post(_url(tenant_a, name, pk=signature.pk), {"reason": "x"}).status_code == 404
        )
    assert refreshed(page_submitted).status == Status.IN_SIGNATURE


def test_a_customer_of_a_customer_without_agreement_is_told_so(client, tenant_a, world):
    client.force_login(world.business_manager.user)
    body = client.get(_url(tenant_a, "portal_agreement")).content.decode()
    assert "No partnership agreement is in force yet." in body


def test_the_portal_navigation_has_the_agreement(client, tenant_a, world):
    client.force_login(world.purchaser.user)
    body = client.get(f"/t/{tenant_a.slug}/portal/").content.decode()
    assert f'href="{_url(tenant_a, "portal_agreement")}"' in body
