"""Signing from a page, staff and portal: the signer reads the exact version, confirms who they
are with django-allauth's reauthentication (password or authenticator app), ticks the
affirmation and signs; the evidence comes from the request. Only the named signer sees the
button; declining asks for a reason and stops the round."""

import hashlib

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from agreements.models import AgreementVersion, Signature
from brm.outbox.models import OutboxMessage
from tests.kit import PASSWORD, in_tenant, refreshed

pytestmark = pytest.mark.django_db

Status = AgreementVersion.Status
UA = "Mozilla/5.0 (signing test)"


def _url(tenant, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"tenant_slug": tenant.slug, **kwargs})


def _signature(tenant, version, role) -> Signature:
    return in_tenant(tenant, lambda: Signature.objects.get(version=version, role=role))


def _reauthenticate(client, next_url):
    """allauth's own page: the password again."""
    return client.post(
        f"{reverse('account_reauthenticate')}?next={next_url}", {"password": PASSWORD}
    )


def test_a_signer_who_has_not_confirmed_who_they_are_is_sent_to_reauthenticate(
    client, tenant_a, world, page_submitted
):
    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_sign", pk=signature.pk)
    client.force_login(world.it_manager.user)
    page = client.get(url).content.decode()
    assert "Confirm it is you" in page and reverse("account_reauthenticate") in page
    response = client.post(url, {"affirmation": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert refreshed(signature).status == Signature.Status.PENDING


def test_the_it_manager_signs_after_confirming_the_password(
    client, tenant_a, world, page_submitted
):
    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_sign", pk=signature.pk)
    client.force_login(world.it_manager.user)
    back = _reauthenticate(client, url)
    assert back.status_code == 302 and back.url == url
    page = client.get(url).content.decode()
    # The exact version, and the affirmation with its hash as the service stores it.
    assert "Close the books in 3 days" in page and page_submitted.content_sha256 in page
    assert page_submitted.affirmation_text in page
    response = client.post(
        url, {"affirmation": "on"}, HTTP_USER_AGENT=UA, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    signature = refreshed(signature)
    assert signature.status == Signature.Status.SIGNED
    assert (signature.auth_method, signature.ip_address, signature.user_agent) == (
        "password",
        "198.51.100.7",
        UA,
    )
    assert (
        signature.affirmation_sha256
        == hashlib.sha256(page_submitted.affirmation_text.encode()).hexdigest()
    )


def test_signing_without_the_affirmation_re_renders_with_its_message(
    client, tenant_a, world, page_submitted
):
    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_sign", pk=signature.pk)
    client.force_login(world.it_manager.user)
    _reauthenticate(client, url)
    response = client.post(url, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"affirmation": ["Tick the affirmation to sign."]}
    assert "Tick the affirmation to sign." in response.content.decode()
    assert refreshed(signature).status == Signature.Status.PENDING


def test_a_wrong_password_does_not_let_the_signer_sign(client, tenant_a, world, page_submitted):
    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_sign", pk=signature.pk)
    client.force_login(world.it_manager.user)
    client.post(f"{reverse('account_reauthenticate')}?next={url}", {"password": "wrong-one"})
    assert client.post(url, {"affirmation": "on"}).url.startswith(reverse("account_reauthenticate"))
    assert refreshed(signature).status == Signature.Status.PENDING


def test_a_signer_confirming_with_the_authenticator_app_signs_by_totp(
    client, tenant_a, world, page_submitted
):
    user = world.it_manager.user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_sign", pk=signature.pk)
    client.force_login(user)
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    back = client.post(f"{reverse('mfa_reauthenticate')}?next={url}", {"code": code})
    assert back.status_code == 302 and back.url == url
    client.post(url, {"affirmation": "on"})
    assert refreshed(signature).auth_method == Signature.AuthMethod.TOTP


def test_only_the_named_signer_sees_the_button(client, tenant_a, world, page_submitted):
    signature = _signature(tenant_a, page_submitted, "it_manager")
    version_page = _url(tenant_a, "version_detail", pk=page_submitted.pk)
    sign_url = _url(tenant_a, "signature_sign", pk=signature.pk)
    client.force_login(world.it_manager.user)
    assert sign_url in client.get(version_page).content.decode()
    client.force_login(world.rm.user)
    assert sign_url not in client.get(version_page).content.decode()
    page = client.get(sign_url).content.decode()
    assert "Only Ivo IT, named as IT manager, can sign or decline here." in page
    _reauthenticate(client, sign_url)
    client.post(sign_url, {"affirmation": "on"})
    assert refreshed(signature).status == Signature.Status.PENDING


def test_declining_needs_a_reason_then_stops_the_round_and_tells_the_rm(
    client, tenant_a, world, page_submitted
):
    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_decline", pk=signature.pk)
    client.force_login(world.it_manager.user)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client.post(url, {"reason": "The objectives are not IT's to promise"})
    assert refreshed(signature).status == Signature.Status.DECLINED
    assert refreshed(page_submitted).status == Status.WITHDRAWN
    rm_mail = in_tenant(
        tenant_a, lambda: OutboxMessage.objects.get(key__startswith="agreement-declined")
    )
    assert rm_mail.to == [world.rm.user.email]
    assert "The objectives are not IT's to promise" in rm_mail.text


def test_the_fourth_signature_on_the_pages_puts_the_version_in_force(
    client, tenant_a, world, page_submitted
):
    for role, member in world.signers.items():
        signature = _signature(tenant_a, page_submitted, role)
        name = "signature_sign" if role in Signature.STAFF_SIDE else "portal_signature_sign"
        url = _url(tenant_a, name, pk=signature.pk)
        client.force_login(member.user)
        _reauthenticate(client, url)
        assert client.post(url, {"affirmation": "on"}).status_code == 302, role
    assert refreshed(page_submitted).status == Status.IN_FORCE


def test_a_sign_in_or_an_old_reauthentication_does_not_confirm_a_signature(
    client, tenant_a, world, page_submitted
):
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    signature = _signature(tenant_a, page_submitted, "it_manager")
    url = _url(tenant_a, "signature_sign", pk=signature.pk)
    # A real sign-in through the form: recorded, but not as a reauthentication.
    client.post(
        reverse("account_login"), {"login": world.it_manager.user.email, "password": PASSWORD}
    )
    assert client.post(url, {"affirmation": "on"}).url.startswith(reverse("account_reauthenticate"))
    _reauthenticate(client, url)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    records[-1]["at"] -= 301  # past allauth's 5 minutes
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()
    assert client.post(url, {"affirmation": "on"}).url.startswith(reverse("account_reauthenticate"))
    assert refreshed(signature).status == Signature.Status.PENDING
