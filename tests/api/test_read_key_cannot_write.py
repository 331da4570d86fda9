"""A read key gets 403 for any non-safe method, before the endpoint is asked whether it allows it
(405). DRF checks permissions before it looks up the handler."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_key_gets_403_for_a_write(read_client_a, admin_a, method):
    path = "/api/v1/members/" if method == "post" else f"/api/v1/members/{admin_a.pk}/"
    response = getattr(read_client_a, method)(path, {})
    assert response.status_code == 403
    assert response.json()["error"] == {
        "status": 403,
        "code": "permission_denied",
        "detail": "This API key is read-only.",
    }


def test_read_key_may_read(read_client_a, admin_a):
    assert read_client_a.get("/api/v1/members/").status_code == 200
    assert read_client_a.get(f"/api/v1/members/{admin_a.pk}/").status_code == 200


def test_write_key_writing_to_a_read_only_endpoint_gets_405(write_client_a, admin_a):
    response = write_client_a.post("/api/v1/members/", {})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert write_client_a.delete(f"/api/v1/members/{admin_a.pk}/").status_code == 405
