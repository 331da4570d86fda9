"""Signing and declining from a page, the same for staff and portal: the signer reads the version,
ticks the affirmation, confirms who they are with django-allauth's reauthentication, and the
service signs with what the request says (IP, user agent, how they confirmed).

allauth keeps a log of each authentication in the session (`get_authentication_records`), with
the method and the time; a reauthentication is marked `reauthenticated`. A signature needs one
made within allauth's `REAUTHENTICATION_TIMEOUT` (5 minutes by default): the password
("password") or the authenticator app (method "mfa", type "totp"). Recovery codes and sign-in
codes do not count as confirming a signature.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from brm.web.pages import add_errors

from . import forms, presentation, services
from .models import AgreementVersion, Signature


def confirmed_by(request) -> str | None:
    """How the signed-in person last confirmed who they are, if recently enough to sign:
    Signature.AuthMethod.PASSWORD or TOTP, else None."""
    records = get_authentication_records(request, request.user)
    now = time.time()
    recent = [
        r
        for r in records
        if r.get("reauthenticated")
        and now - r.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
    ]
    if not recent:
        return None
    last = recent[-1]
    if last.get("method") == "password":
        return Signature.AuthMethod.PASSWORD
    if last.get("method") == "mfa" and last.get("type") == "totp":
        return Signature.AuthMethod.TOTP
    return None


def reauthenticate_url(next_url: str) -> str:
    """allauth's reauthentication page (password first; the authenticator app as the
    alternative), coming back to `next_url`."""
    return f"{reverse('account_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def may_sign(request, signature: Signature) -> bool:
    """The button is shown to the named signer alone, while their signature is awaited."""
    return (
        signature.membership_id == request.membership.pk
        and signature.user_id == request.user.pk
        and signature.status == Signature.Status.PENDING
        and signature.version.status == AgreementVersion.Status.IN_SIGNATURE
    )


def refusal(request, signature: Signature) -> str:
    if signature.version.status != AgreementVersion.Status.IN_SIGNATURE:
        return _("Version %(n)s is not in signature any more.") % {"n": signature.version.number}
    if signature.status != Signature.Status.PENDING:
        return _("This signature is %(status)s already.") % {
            "status": signature.get_status_display().lower()
        }
    return _("Only %(name)s, named as %(role)s, can sign or decline here.") % {
        "name": signature.membership.user.full_name or signature.membership.user.email,
        "role": signature.get_role_display(),
    }


def sign_page(request, signature: Signature, *, done: str, context: dict):
    """GET shows the version and the affirmation; POST signs (after reauthentication)."""
    version = signature.version
    posted = request.POST if request.method == "POST" else None  # an empty POST is bound too
    form = forms.SignForm(posted, affirmation_text=version.affirmation_text)
    allowed = may_sign(request, signature)
    method = confirmed_by(request) if allowed else None
    here = request.get_full_path()
    if request.method == "POST" and allowed:
        if method is None:
            messages.info(request, _("Confirm who you are first; then sign."))
            return redirect(reauthenticate_url(here))
        if form.is_valid():
            try:
                services.signature_sign(
                    signature=signature,
                    user=request.user,
                    ip_address=get_adapter(request).get_client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    auth_method=method,
                    affirmation_checked=form.cleaned_data["affirmation"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("You signed version %(n)s as %(role)s.")
                    % {"n": version.number, "role": signature.get_role_display()},
                )
                return redirect(done)
    elif request.method == "POST":
        messages.error(request, refusal(request, signature))
        return redirect(here)
    return render(
        request,
        "agreements/signature_sign.html",
        {
            **context,
            "signature": signature,
            "version": version,
            "sections": presentation.version_sections(version),
            "form": form,
            "allowed": allowed,
            "refusal": "" if allowed else refusal(request, signature),
            "confirmed_by": method,
            "confirmed_by_label": Signature.AuthMethod(method).label if method else "",
            "reauthenticate_url": reauthenticate_url(here),
        },
    )


def decline_page(request, signature: Signature, *, done: str, context: dict):
    """A reason, then the round stops (the service withdraws the version and tells the RM)."""
    form = forms.DeclineForm(request.POST if request.method == "POST" else None)
    allowed = may_sign(request, signature)
    if request.method == "POST":
        if not allowed:
            messages.error(request, refusal(request, signature))
            return redirect(request.get_full_path())
        if form.is_valid():
            try:
                services.signature_decline(
                    signature=signature, user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("You declined version %(n)s; the relationship manager is told.")
                    % {"n": signature.version.number},
                )
                return redirect(done)
    return render(
        request,
        "agreements/signature_decline.html",
        {
            **context,
            "signature": signature,
            "version": signature.version,
            "form": form,
            "allowed": allowed,
            "refusal": "" if allowed else refusal(request, signature),
        },
    )
