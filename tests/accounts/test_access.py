"""Sign-in, the staff/portal split, MFA for staff, rate limiting and /admin/."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from brm.tenancy.models import Role
from tests.kit import in_tenant, make_member

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_sign_in(client, tenant_a):
    response = client.get(f"/t/{tenant_a.slug}/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_sign_in_lands_a_single_tenant_member_in_their_office(client, tenant_a, admin_a):
    response = client.post(
        reverse("account_login"),
        {"login": admin_a.user.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/t/{tenant_a.slug}/"
    assert b"shell-staff" in response.content


def test_portal_user_lands_in_the_portal(client, tenant_a, customer_a):
    response = client.post(
        reverse("account_login"),
        {"login": customer_a.user.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/t/{tenant_a.slug}/portal/"
    assert b"shell-portal" in response.content


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.PURCHASER])
def test_portal_user_gets_403_on_staff_pages(client, tenant_a, role):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 403
    assert client.get(f"/t/{tenant_a.slug}/members/").status_code == 403


@pytest.mark.parametrize("role", [Role.ADMIN, Role.RELATIONSHIP_MANAGER, Role.ANALYST])
def test_staff_user_gets_403_on_portal_pages(client, tenant_a, role):
    member = make_member(tenant_a, role)
    client.force_login(member.user)
    assert client.get(f"/t/{tenant_a.slug}/portal/").status_code == 403


def test_non_admin_staff_cannot_manage_members(client, tenant_a, rm_a):
    client.force_login(rm_a.user)
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 200
    assert client.get(f"/t/{tenant_a.slug}/members/").status_code == 403
    assert client.get(f"/t/{tenant_a.slug}/invitations/new/").status_code == 403


def test_member_of_another_tenant_gets_404(client, tenant_a, tenant_b, admin_b):
    client.force_login(admin_b.user)
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 404
    assert client.get("/t/no-such-office/").status_code == 404


def test_deactivated_member_loses_access(client, tenant_a, admin_a, rm_a):
    from brm.tenancy.services import membership_update

    with in_tenant(tenant_a):
        membership_update(membership=rm_a, actor=admin_a.user, role=rm_a.role, is_active=False)
    client.force_login(rm_a.user)
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 404


def test_staff_without_mfa_is_sent_to_set_it_up_when_policy_requires(client, tenant_a, rm_a):
    tenant_a.mfa_policy = "required"
    tenant_a.save()
    client.force_login(rm_a.user)
    response = client.get(f"/t/{tenant_a.slug}/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_staff_with_totp_passes_when_policy_requires(client, tenant_a, rm_a):
    tenant_a.mfa_policy = "required"
    tenant_a.save()
    Authenticator.objects.create(user=rm_a.user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(rm_a.user)
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 200


def test_portal_users_are_not_forced_into_mfa(client, tenant_a, customer_a):
    tenant_a.mfa_policy = "required"
    tenant_a.save()
    client.force_login(customer_a.user)
    assert client.get(f"/t/{tenant_a.slug}/portal/").status_code == 200


def test_mfa_optional_policy_lets_staff_in_without_totp(client, tenant_a, rm_a):
    client.force_login(rm_a.user)
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 200


def test_totp_user_must_give_a_code_at_sign_in(client, tenant_a, rm_a):
    Authenticator.objects.create(
        user=rm_a.user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    response = client.post(
        reverse("account_login"), {"login": rm_a.user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(f"/t/{tenant_a.slug}/").status_code == 302  # not signed in yet


def test_repeated_failed_sign_ins_are_rate_limited(client, tenant_a, admin_a):
    data = {"login": admin_a.user.email, "password": "wrong-password"}
    pages = [client.post(reverse("account_login"), data).content for _ in range(6)]
    assert all(b"Too many failed login attempts" not in page for page in pages[:5])
    assert b"Too many failed login attempts" in pages[5]
    # Even the right password is refused while limited.
    right = client.post(reverse("account_login"), {**data, "password": "correct-horse-battery"})
    assert right.status_code == 200
    assert b"Too many failed login attempts" in right.content
    assert "_auth_user_id" not in client.session


def _mfa_used(client, user):
    """As allauth records a passed TOTP step in the session."""
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time()}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_admin_site_is_for_superusers_only(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    assert client.get("/admin/").status_code == 302  # tenant admins are not operators
    assert client.get("/admin/login/").status_code == 403
    admin_a.user.is_staff = True
    admin_a.user.save()
    assert client.get("/admin/login/").status_code == 403
    admin_a.user.is_superuser = True
    admin_a.user.save()
    # An operator without an authenticator sets one up before the admin opens.
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response.url)
    assert login.status_code == 302 and login.url.startswith(reverse("mfa_activate_totp"))
    Authenticator.objects.create(user=admin_a.user, type=Authenticator.Type.TOTP, data={"s": "x"})
    # Owning one is not enough: this session must have used it.
    login = client.get(client.get("/admin/").url)
    assert login.status_code == 302 and login.url.startswith(reverse("mfa_reauthenticate"))
    _mfa_used(client, admin_a.user)
    assert client.get("/admin/").status_code == 200


def test_admin_has_no_sign_in_form_of_its_own(client, tenant_a, admin_a, rm_a):
    """The admin's own form would skip allauth's rate limits and MFA: it is never served."""
    operator = admin_a.user
    operator.is_staff = operator.is_superuser = True
    operator.save()
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"s": "x"})
    credentials = {"username": operator.email, "password": "correct-horse-battery"}

    anonymous = client.post("/admin/login/", credentials)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session

    client.force_login(rm_a.user)
    signed_in = client.post("/admin/login/?next=/admin/", credentials)
    assert signed_in.status_code == 403
    assert client.session["_auth_user_id"] == str(rm_a.user.pk)


def test_user_with_several_memberships_can_switch_tenant(client, tenant_a, tenant_b, admin_a):
    make_member(tenant_b, Role.ANALYST, email=admin_a.user.email)
    client.force_login(admin_a.user)
    home = client.get("/")
    assert home.status_code == 200
    assert b"Tenant A" in home.content and b"Tenant B" in home.content
    page = client.get(f"/t/{tenant_a.slug}/")
    assert b'id="tenant-switcher"' in page.content
    assert f'href="/t/{tenant_b.slug}/"'.encode() in page.content
    assert client.get(f"/t/{tenant_b.slug}/").status_code == 200


def test_admin_changes_office_settings_and_the_change_is_audited(client, tenant_a, admin_a):
    from brm.audit.models import AuditEvent
    from brm.tenancy.models import Tenant

    client.force_login(admin_a.user)
    url = f"/t/{tenant_a.slug}/settings/"
    bad = client.post(
        url, {"name": "", "time_zone": "Mars/Olympus", "language": "en", "mfa_policy": "required"}
    )
    assert bad.status_code == 200
    assert b"This field is required" in bad.content
    assert Tenant.objects.get(pk=tenant_a.pk).name == "Tenant A"
    ok = client.post(
        url,
        {
            "name": "Tenant A IT",
            "time_zone": "Europe/Paris",
            "language": "fr",
            "mfa_policy": "optional",
        },
    )
    assert ok.status_code == 302
    tenant = Tenant.objects.get(pk=tenant_a.pk)
    assert (tenant.name, tenant.time_zone) == ("Tenant A IT", "Europe/Paris")
    event = in_tenant(tenant, lambda: AuditEvent.objects.get(action="tenant.updated"))
    assert event.changes["time_zone"] == ["UTC", "Europe/Paris"]
    assert event.actor == admin_a.user


def test_last_admin_cannot_be_demoted(client, tenant_a, admin_a):
    client.force_login(admin_a.user)
    response = client.post(
        f"/t/{tenant_a.slug}/members/{admin_a.pk}/", {"role": "analyst", "is_active": "on"}
    )
    assert response.status_code == 200
    assert b"at least one active admin" in response.content


def test_password_reset_mails_a_working_link(client, tenant_a, admin_a, mailoutbox):
    import re

    response = client.post(reverse("account_reset_password"), {"email": admin_a.user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "a-brand-new-pass-9", "password2": "a-brand-new-pass-9"},
    )
    assert done.status_code == 302
    admin_a.user.refresh_from_db()
    assert admin_a.user.check_password("a-brand-new-pass-9")


def test_offices_cannot_be_deleted_from_the_admin(client, tenant_a, admin_a):
    operator = admin_a.user
    operator.is_staff = operator.is_superuser = True
    operator.save()
    Authenticator.objects.create(user=operator, type=Authenticator.Type.TOTP, data={"s": "x"})
    client.force_login(operator)
    _mfa_used(client, operator)
    url = f"/admin/tenancy/tenant/{tenant_a.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    from brm.tenancy.models import Tenant

    assert Tenant.objects.filter(pk=tenant_a.pk).exists()
