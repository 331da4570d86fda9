import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brm.accounts.models import User
from brm.tenancy import services
from brm.tenancy.context import tenant_context
from brm.tenancy.models import Invitation, Membership, Role
from tests.kit import in_tenant

pytestmark = pytest.mark.django_db(transaction=False)


def _accept_url(tenant, token):
    return reverse("tenancy:invitation_accept", kwargs={"tenant_slug": tenant.slug, "token": token})


def _invite(tenant, email="new.person@example.test", role=Role.RELATIONSHIP_MANAGER, **kw):
    invitation, url = services.invitation_create(tenant=tenant, email=email, role=role, **kw)
    return invitation, url.rsplit("/invitation/", 1)[1].strip("/")


def test_admin_invites_from_the_staff_ui_and_an_email_carries_a_working_link(
    client, tenant_a, admin_a, django_capture_on_commit_callbacks
):
    client.force_login(admin_a.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tenancy:invitation_create", kwargs={"tenant_slug": tenant_a.slug}),
            {"email": "Rita@Example.test", "role": Role.RELATIONSHIP_MANAGER},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rita@example.test"]
    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[0].body).group(0)
    client.logout()
    path = link.split("8000", 1)[1] if "8000" in link else link
    page = client.get(path, follow=True)
    assert page.status_code == 200
    assert b"rita@example.test" in page.content


def test_token_is_stored_hashed(tenant_a):
    invitation, token = _invite(tenant_a)
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_new_person_accepts_creates_account_and_lands_in_the_staff_shell(client, tenant_a):
    _invitation, token = _invite(tenant_a)
    response = client.post(
        _accept_url(tenant_a, token),
        {
            "full_name": "New Person",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/t/{tenant_a.slug}/"
    user = User.objects.get(email="new.person@example.test")
    assert user.check_password("a-long-pass-phrase")
    assert in_tenant(
        tenant_a, lambda: Membership.objects.get(user=user).role == Role.RELATIONSHIP_MANAGER
    )
    assert client.get(response.url).status_code == 200


def test_invitation_link_works_only_once(client, tenant_a):
    _invitation, token = _invite(tenant_a)
    data = {
        "full_name": "N P",
        "password1": "a-long-pass-phrase",
        "password2": "a-long-pass-phrase",
    }
    assert client.post(_accept_url(tenant_a, token), data).status_code == 302
    client.logout()
    again = client.post(_accept_url(tenant_a, token), data)
    assert again.status_code == 410
    assert b"already been used" in again.content


def test_expired_invitation_is_refused(client, tenant_a):
    invitation, token = _invite(tenant_a)
    with tenant_context(tenant_a):
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    response = client.post(
        _accept_url(tenant_a, token),
        {"full_name": "N P", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email="new.person@example.test").exists()


def test_revoked_invitation_is_refused(client, tenant_a, admin_a):
    invitation, token = _invite(tenant_a)
    with tenant_context(tenant_a):
        services.invitation_revoke(invitation=invitation, actor=admin_a.user)
    assert client.get(_accept_url(tenant_a, token), follow=True).status_code == 410


def test_unknown_token_is_404(client, tenant_a):
    assert client.get(_accept_url(tenant_a, "not-a-real-token"), follow=True).status_code == 404


def test_invitation_of_one_tenant_does_not_work_under_another(client, tenant_a, tenant_b):
    _invitation, token = _invite(tenant_b)
    assert client.get(_accept_url(tenant_a, token), follow=True).status_code == 404


def test_bad_passwords_rerender_with_messages_and_create_nothing(client, tenant_a):
    _invitation, token = _invite(tenant_a)
    response = client.post(
        _accept_url(tenant_a, token),
        {"full_name": "N P", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    assert b"passwords differ" in response.content
    assert not User.objects.filter(email="new.person@example.test").exists()


def test_existing_user_signs_in_then_accepts(client, tenant_a, tenant_b, admin_b):
    _invitation, token = _invite(tenant_a, email=admin_b.user.email, role=Role.ANALYST)
    page = client.get(_accept_url(tenant_a, token), follow=True)
    assert b"Sign in to accept" in page.content or b"already have an account" in page.content
    client.force_login(admin_b.user)
    response = client.post(_accept_url(tenant_a, token))
    assert response.status_code == 302
    assert in_tenant(
        tenant_a, lambda: Membership.objects.get(user=admin_b.user).role == Role.ANALYST
    )


def test_signed_in_as_someone_else_cannot_accept(client, tenant_a, admin_a):
    _invitation, token = _invite(tenant_a)
    client.force_login(admin_a.user)
    response = client.post(_accept_url(tenant_a, token))
    assert response.status_code == 200
    assert b"Sign out, then open the link again" in response.content
    assert not User.objects.filter(email="new.person@example.test").exists()


def test_inviting_an_active_member_is_a_field_error(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    response = client.post(
        reverse("tenancy:invitation_create", kwargs={"tenant_slug": tenant_a.slug}),
        {"email": admin_a.user.email, "role": Role.ANALYST},
    )
    assert response.status_code == 200
    assert b"already a member" in response.content


def test_create_tenant_command_prints_a_working_invitation_link(client, db, capsys):
    from django.core.management import call_command

    call_command(
        "create_tenant", "--slug", "acme", "--name", "Acme IT", "--admin-email", "a@acme.example"
    )
    out = capsys.readouterr().out
    path = re.search(r"(/t/acme/invitation/\S+/)", out).group(1)
    response = client.post(
        path,
        {"full_name": "A", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert response.status_code == 302


def test_create_tenant_noinput_takes_the_password_from_the_environment(client, db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("BRM_ADMIN_PASSWORD", "operator-chosen-pass")
    call_command(
        "create_tenant",
        "--slug",
        "acme",
        "--name",
        "Acme IT",
        "--admin-email",
        "a@acme.example",
        "--noinput",
        "--mfa",
        "optional",
    )
    assert client.login(email="a@acme.example", password="operator-chosen-pass")
    assert client.get("/t/acme/").status_code == 200


def test_create_tenant_noinput_without_password_fails_clearly(db, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.delenv("BRM_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="BRM_ADMIN_PASSWORD"):
        call_command(
            "create_tenant",
            "--slug",
            "x",
            "--name",
            "X",
            "--admin-email",
            "x@x.example",
            "--noinput",
        )


def test_new_tenants_require_mfa_for_staff_by_default(db):
    tenant = services.tenant_create(slug="fresh", name="Fresh")
    assert tenant.mfa_required_for_staff


def test_the_link_moves_its_token_into_the_session(client, tenant_a):
    """Like Django's password reset: the token leaves the address bar before anything else."""
    _invitation, token = _invite(tenant_a)
    response = client.get(_accept_url(tenant_a, token))
    assert response.status_code == 302
    assert token not in response.url
    page = client.get(response.url)
    assert page.status_code == 200
    assert token not in page.content.decode().split("Sign out")[0]  # not in the sign-in link
    accepted = client.post(
        response.url,
        {
            "full_name": "New Person",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert accepted.status_code == 302
    assert User.objects.filter(email="new.person@example.test").exists()
    # Without the emailed link first, the token-less address knows no invitation.
    other = Client()
    assert other.get(response.url).status_code == 404
