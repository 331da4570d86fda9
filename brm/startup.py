"""Checks a serving process makes before it starts (web, worker, beat)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = "Set SECRET_KEY (or SECRET_KEY_FILE)."


def require_secret_key() -> None:
    """Sessions, CSRF tokens and signed links need one key shared by every process."""
    if settings.SECRET_KEY_MISSING and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING_KEY)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_configured(app_configs, **kwargs):
    if settings.SECRET_KEY_MISSING:
        return [checks.Error(MISSING_KEY, id="brm.E001")]
    return []
