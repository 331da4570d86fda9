"""Behind the TLS proxy every request comes from the proxy's address: the per-IP sign-in limit
must count the client named by the proxy, not the proxy itself."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMITED = b"Too many failed login attempts"
PROXY = "10.0.0.5"  # REMOTE_ADDR of every request: the proxy


def _fail_sign_ins(client, email, n, forwarded_for):
    data = {"login": email, "password": "wrong-password"}
    return [
        client.post(
            reverse("account_login"), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
        ).content
        for _ in range(n)
    ]


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_clients_behind_the_trusted_proxy_get_separate_sign_in_limits(tenant_a, admin_a):
    first = _fail_sign_ins(Client(), admin_a.user.email, 4, "198.51.100.1")
    assert LIMITED not in first[2]
    assert LIMITED in first[3]
    # Another client behind the same proxy is not limited by the first one's failures.
    second = _fail_sign_ins(Client(), admin_a.user.email, 1, "198.51.100.2")
    assert LIMITED not in second[0]


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_a_client_cannot_escape_its_limit_by_prepending_addresses(tenant_a, admin_a):
    """Only the entry the trusted proxy appended counts, not what the client wrote before it."""
    _fail_sign_ins(Client(), admin_a.user.email, 3, "198.51.100.1")
    spoofed = _fail_sign_ins(Client(), admin_a.user.email, 1, "203.0.113.9, 198.51.100.1")
    assert LIMITED in spoofed[0]


@override_settings(
    ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"}, ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP"
)
def test_a_trusted_client_ip_header_separates_clients_too(tenant_a, admin_a):
    data = {"login": admin_a.user.email, "password": "wrong-password"}

    def fail(ip):
        return (
            Client()
            .post(reverse("account_login"), data, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ip)
            .content
        )

    assert [LIMITED in fail("198.51.100.1") for _ in range(4)] == [False, False, False, True]
    assert LIMITED not in fail("198.51.100.2")


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"})
def test_without_the_setting_the_forwarded_header_is_not_believed(tenant_a, admin_a):
    _fail_sign_ins(Client(), admin_a.user.email, 3, "198.51.100.1")
    other = _fail_sign_ins(Client(), admin_a.user.email, 1, "198.51.100.2")
    assert LIMITED in other[0]
