"""GET /healthz answers 200 when the database and the broker answer, 503 otherwise, without
sign-in, without an HTTPS redirect and without saying what is wrong."""

import json

import pytest
from django.test import override_settings

from .servers import RedisServer, free_port

pytestmark = pytest.mark.django_db


def _get(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


def test_healthy_with_database_and_redis_broker(client, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        with override_settings(CELERY_BROKER_URL=redis.url):
            assert _get(client) == (200, {"status": "ok"})
    finally:
        redis.stop()


def test_unavailable_when_the_broker_does_not_answer(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0"):
        status, body = _get(client)
    assert (status, body) == (503, {"status": "unavailable"})  # nothing about why or where


def test_the_filesystem_broker_is_healthy_when_its_folder_is_writable(client, tmp_path):
    options = {"data_folder_in": str(tmp_path)}
    with override_settings(
        CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options
    ):
        assert _get(client)[0] == 200
        tmp_path.rmdir()
        assert _get(client)[0] == 503


def test_no_https_redirect_for_the_probe(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/").status_code == 301  # control: the redirect is on
        assert client.get("/healthz").status_code in (200, 503)
