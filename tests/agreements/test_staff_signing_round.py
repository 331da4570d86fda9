"""Submitting, withdrawing and revising on the staff pages: the four signers are chosen among
the eligible people only (a purchaser or anyone without the mandate is never offered, and the
service refuses them if posted anyway); withdrawing asks for a reason; revising asks first."""

import re

import pytest
from django.urls import reverse

from agreements.models import AgreementVersion, Signature
from brm.tenancy.models import Role
from tests.kit import assert_audited, in_tenant, make_member, refreshed

pytestmark = pytest.mark.django_db

Status = AgreementVersion.Status


def _url(tenant, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def _offered(client, url) -> dict[str, set[int]]:
    """The people each signer field of the page offers (the ids of its options)."""
    body = client.get(url).content.decode()
    offered = {}
    for role in Signature.SignerRole.values:
        select = re.search(rf'<select name="{role}".*?</select>', body, re.S).group(0)
        offered[role] = {int(v) for v in re.findall(r'<option value="(\d+)"', select)}
    return offered


def _signers(world) -> dict:
    return {role: member.pk for role, member in world.signers.items()}


@pytest.fixture
def rm(client, world):
    client.force_login(world.rm.user)
    return world.rm


def test_only_eligible_people_are_offered_as_signers(client, tenant_a, world, rm, page_draft):
    make_member(tenant_a, Role.ADMIN, email="admin-not-it@example.test")
    offered = _offered(client, _url(tenant_a, "version_submit", pk=page_draft.pk))
    assert offered["relationship_manager"] == {world.rm.pk}
    assert offered["it_manager"] == {world.it_manager.pk}
    assert offered["business_manager"] == {world.business_manager.pk}
    assert offered["business_line_manager"] == {world.business_manager.pk, world.line_manager.pk}
    assert all(world.purchaser.pk not in people for people in offered.values())


def test_a_contact_without_the_mandate_is_not_offered(client, tenant_a, world, rm, page_draft):
    with in_tenant(tenant_a):
        world.lina.authority = "recommends"
        world.lina.save()
    offered = _offered(client, _url(tenant_a, "version_submit", pk=page_draft.pk))
    assert offered["business_line_manager"] == {world.business_manager.pk}


def test_submitting_names_the_four_signers_and_freezes_the_version(
    client, tenant_a, world, rm, page_draft
):
    response = client.post(_url(tenant_a, "version_submit", pk=page_draft.pk), _signers(world))
    assert response.status_code == 302
    version = refreshed(page_draft)
    assert version.status == Status.IN_SIGNATURE and len(version.content_sha256) == 64
    roles = in_tenant(tenant_a, lambda: dict(Signature.objects.values_list("role", "membership")))
    assert roles == _signers(world)
    assert_audited(tenant_a, "agreement_version.submitted", obj=version, actor=world.rm.user)


def test_a_purchaser_posted_as_signer_is_refused_and_nothing_is_submitted(
    client, tenant_a, world, rm, page_draft
):
    data = {**_signers(world), "business_line_manager": world.purchaser.pk}
    response = client.post(_url(tenant_a, "version_submit", pk=page_draft.pk), data)
    assert response.status_code == 200
    assert "business_line_manager" in response.context["form"].errors
    assert refreshed(page_draft).status == Status.DRAFT
    assert in_tenant(tenant_a, lambda: Signature.objects.count()) == 0


def test_one_person_for_two_signatures_is_refused(client, tenant_a, world, rm, page_draft):
    data = {**_signers(world), "business_line_manager": world.business_manager.pk}
    response = client.post(_url(tenant_a, "version_submit", pk=page_draft.pk), data)
    assert response.status_code == 200
    assert "four different people" in response.content.decode()
    assert refreshed(page_draft).status == Status.DRAFT


def test_garbage_signers_are_refused_on_the_form(client, tenant_a, world, rm, page_draft):
    data = {"relationship_manager": "abc", "it_manager": "9" * 30, "business_manager": "-1"}
    response = client.post(_url(tenant_a, "version_submit", pk=page_draft.pk), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(Signature.SignerRole.values)


def test_the_page_of_a_version_in_signature_names_who_is_awaited(
    client, tenant_a, world, rm, page_submitted
):
    body = client.get(_url(tenant_a, "version_detail", pk=page_submitted.pk)).content.decode()
    assert "Awaited:" in body and "lina@finance.example" in body and "Ivo IT" in body
    assert page_submitted.content_sha256 in body


def test_withdrawing_needs_a_reason_then_voids_the_round_and_makes_a_draft(
    client, tenant_a, world, rm, page_submitted
):
    url = _url(tenant_a, "version_withdraw", pk=page_submitted.pk)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert refreshed(page_submitted).status == Status.IN_SIGNATURE
    response = client.post(url, {"reason": "The objectives change"})
    draft = in_tenant(tenant_a, lambda: AgreementVersion.objects.get(number=2))
    assert response.url == _url(tenant_a, "version_detail", pk=draft.pk)
    version = refreshed(page_submitted)
    assert (version.status, version.withdrawn_reason) == (Status.WITHDRAWN, "The objectives change")
    assert in_tenant(tenant_a, lambda: set(Signature.objects.values_list("status", flat=True))) == {
        "voided"
    }


def test_revising_the_version_in_force_asks_first_then_makes_a_draft(
    client, tenant_a, world, rm, page_in_force
):
    url = _url(tenant_a, "version_revise", pk=page_in_force.pk)
    assert "stays in force" in client.get(url).content.decode()
    assert in_tenant(tenant_a, lambda: AgreementVersion.objects.count()) == 1
    response = client.post(url, follow=True)
    assert "Version 2 is a new draft" in response.content.decode()
    assert (
        in_tenant(tenant_a, lambda: AgreementVersion.objects.get(number=2).status) == Status.DRAFT
    )
    assert refreshed(page_in_force).status == Status.IN_FORCE


def test_revising_a_draft_is_refused_with_the_services_message(client, tenant_a, rm, page_draft):
    response = client.post(_url(tenant_a, "version_revise", pk=page_draft.pk), follow=True)
    assert "Only the version in force is revised" in response.content.decode()
    assert in_tenant(tenant_a, lambda: AgreementVersion.objects.count()) == 1


def test_the_agreement_page_shows_the_version_in_force_and_points_to_the_newer_draft(
    client, tenant_a, world, rm, page_in_force
):
    client.post(_url(tenant_a, "version_revise", pk=page_in_force.pk))
    response = client.get(_url(tenant_a, "agreement_detail", pk=page_in_force.agreement_id))
    assert response.context["version"] == page_in_force
    assert "Version 2 is draft." in response.content.decode()
    draft = in_tenant(tenant_a, lambda: AgreementVersion.objects.get(number=2))
    assert _url(tenant_a, "version_detail", pk=draft.pk) in response.content.decode()
