"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

from brm.pdf.keys import SealFiles, generate_seal_files

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "brm.settings.base",
        "SECRET_KEY_FILE": str(tmp_path / "secret"),
        "DATABASE_URL": "postgres://brm_app@127.0.0.1:5432/brm",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "brm.example.org",
        "BRM_VAR_DIR": str(tmp_path / "var"),
    }
    (tmp_path / "secret").write_text("k" * 20 + "production-like-secret-0123456789-abcdefghij")
    generate_seal_files(SealFiles.under(tmp_path / "var" / "seal"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _without_secret_key(tmp_path, *args):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "brm.settings.base",
        "BRM_VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_web_and_deploy_check_refuse_to_start_without_a_secret_key(tmp_path):
    web = _without_secret_key(tmp_path, "-c", "import brm.wsgi")
    assert web.returncode != 0
    assert "Set SECRET_KEY" in web.stderr
    check = _without_secret_key(tmp_path, "manage.py", "check", "--deploy")
    assert check.returncode != 0
    assert "brm.E001" in check.stderr


def test_workers_refuse_to_start_without_a_secret_key(tmp_path):
    worker = _without_secret_key(
        tmp_path, "-m", "celery", "-A", "brm", "worker", "--pool", "solo", "--loglevel", "ERROR"
    )
    assert worker.returncode != 0
    assert "Set SECRET_KEY" in worker.stdout + worker.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key(tmp_path):
    result = _without_secret_key(tmp_path, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def _setting(tmp_path, name, **extra_env):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "brm.settings.base",
        "SECRET_KEY": "k" * 50,
        "BRM_VAR_DIR": str(tmp_path / "var"),
        **extra_env,
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(getattr(settings, {name!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_x_forwarded_proto_is_not_trusted_unless_configured(tmp_path):
    assert _setting(tmp_path, "SECURE_PROXY_SSL_HEADER") == "None"
    trusted = _setting(tmp_path, "SECURE_PROXY_SSL_HEADER", DJANGO_TRUST_X_FORWARDED_PROTO="true")
    assert trusted == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_client_address_behind_a_proxy_is_configured_from_the_environment(tmp_path):
    assert _setting(tmp_path, "ALLAUTH_TRUSTED_PROXY_COUNT") == "0"
    assert _setting(tmp_path, "ALLAUTH_TRUSTED_PROXY_COUNT", ALLAUTH_TRUSTED_PROXY_COUNT="1") == "1"
    header = _setting(
        tmp_path, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP"
    )
    assert header == "'X-Real-IP'"


def test_compose_publishes_the_app_on_the_loopback_only():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert '"127.0.0.1:8000:8000"' in compose
    assert '"8000:8000"' not in compose.replace('"127.0.0.1:8000:8000"', "")


def test_deploy_check_warns_when_no_seal_key_is_configured(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "brm.settings.base",
        "SECRET_KEY": "k" * 20 + "production-like-secret-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "brm.example.org",
        "BRM_VAR_DIR": str(tmp_path / "var"),
        "BRM_SEAL_KEY_PATH": str(tmp_path / "absent-key.pem"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "brm.W101" in result.stderr
    assert "BRM_SEAL_KEY_PATH" in result.stderr
