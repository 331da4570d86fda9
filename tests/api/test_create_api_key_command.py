"""`manage.py create_api_key` prints a working key once; only its hash is stored."""

import io

import pytest
from django.core.management import CommandError, call_command

from brm.api.models import ApiKey
from brm.tenancy.models import hash_token
from tests.kit import client_for, in_tenant

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_prints_a_key_that_works_and_is_stored_hashed(tenant_a):
    raw, note = _run("--tenant", tenant_a.slug, "--name", "service desk", "--scope", "write")
    assert raw.startswith("brm_")
    assert "shown only now" in note

    response = client_for(raw).get("/api/v1/tenant/")
    assert response.status_code == 200
    assert response.json()["slug"] == tenant_a.slug

    with in_tenant(tenant_a):
        key = ApiKey.objects.get()
    assert key.name == "service desk"
    assert key.scope == "write"
    assert key.key_hash == hash_token(raw)
    assert raw.split("_")[1] == key.prefix
    stored = {f.attname: getattr(key, f.attname) for f in ApiKey._meta.fields}
    assert raw not in {str(v) for v in stored.values()}
    assert raw.split("_", 2)[2] not in "".join(str(v) for v in stored.values())


def test_command_defaults_to_a_read_key(tenant_a):
    raw, _note = _run("--tenant", tenant_a.slug, "--name", "reporting")
    assert client_for(raw).get("/api/v1/tenant/").status_code == 200
    assert client_for(raw).delete("/api/v1/tenant/").status_code == 403


def test_command_refuses_an_unknown_tenant(db):
    with pytest.raises(CommandError, match="No tenant"):
        _run("--tenant", "nowhere", "--name", "x")
