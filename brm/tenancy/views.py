from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brm.web.access import admin_required, staff_required
from brm.web.pages import add_errors, confirm_then, list_context, tenant_url
from brm.web.registry import portal_home_panels, staff_home_providers

from . import services
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    MemberFilterForm,
    MembershipForm,
    TenantSettingsForm,
)
from .models import Invitation, Membership, Role, Tenant
from .selectors import invitation_list, membership_list, memberships_for_user
from .signals import membership_deactivation_effects


@login_required
def home(request):
    """After sign-in: straight to the only office, or a choice between several."""
    memberships = memberships_for_user(request.user)
    if len(memberships) == 1:
        return redirect(memberships[0].home_path)
    return render(request, "tenancy/home.html", {"memberships": memberships})


@staff_required
@require_GET
def staff_home(request):
    """A role's own home when an area provides one (the relationship manager's working day),
    else the office overview."""
    if (response := staff_home_providers.response(request)) is not None:
        return response
    tenant = request.tenant
    role_counts = dict(
        Membership.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "staff_count": sum(
            n for r, n in role_counts.items() if r not in {Role.CUSTOMER, Role.PURCHASER}
        ),
        "portal_count": role_counts.get(Role.CUSTOMER, 0) + role_counts.get(Role.PURCHASER, 0),
        "pending_invitations": Invitation.objects.pending().count(),
        "tenant": tenant,
    }
    return render(request, "tenancy/staff_home.html", context)


def portal_home(request):
    return render(
        request,
        "tenancy/portal_home.html",
        {
            "tenant": request.tenant,
            "panels": portal_home_panels.render_context(request, request.membership),
        },
    )


@admin_required
@require_http_methods(["GET", "POST"])
def tenant_settings(request):
    tenant = request.tenant
    form = TenantSettingsForm(request.POST or None, instance=Tenant.objects.get(pk=tenant.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.tenant_update(tenant=tenant, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The office settings were saved."))
            return redirect("tenancy:tenant_settings", tenant_slug=tenant.slug)
    return render(request, "tenancy/tenant_settings.html", {"form": form})


@admin_required
def member_list(request):
    form = MemberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    ordering = request.GET.get("sort", "email")
    members = membership_list(
        search=filters.get("q", ""),
        role=filters.get("role", ""),
        status=filters.get("status", ""),
        ordering=ordering,
    )
    return render(
        request,
        "tenancy/member_list.html",
        {"form": form, **list_context(request, members, ordering)},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    was_active = membership.is_active
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        if was_active and not form.cleaned_data["is_active"] and "confirm" not in request.POST:
            return _member_confirm_deactivate(request, membership, form.cleaned_data["role"])
        try:
            services.membership_update(
                membership=membership,
                actor=request.user,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(member)s was updated.") % {"member": membership.user})
            return redirect("tenancy:member_list", tenant_slug=request.tenant.slug)
    return render(request, "tenancy/member_edit.html", {"form": form, "membership": membership})


def _member_confirm_deactivate(request, membership, role: str):
    """Before deactivating: what stops with the member (the API keys they made...)."""
    effects = [
        answer
        for _receiver, answer in membership_deactivation_effects.send(
            sender=Membership, membership=membership
        )
        if answer and answer[1]
    ]
    title = _("Deactivate %(member)s") % {"member": membership.user}
    return render(
        request,
        "tenancy/member_confirm_deactivate.html",
        {
            "title": title,
            "breadcrumbs": [
                (_("Members"), tenant_url("tenancy:member_list", request)),
                (title, ""),
            ],
            "membership": membership,
            "role": role,
            "effects": effects,
            "danger": True,
            "cancel_url": tenant_url("tenancy:member_list", request),
        },
    )


@admin_required
def invitation_list_view(request):
    status = request.GET.get("status", "")
    return render(
        request,
        "tenancy/invitation_list.html",
        {"status": status, **list_context(request, invitation_list(status=status))},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _url = services.invitation_create(
                tenant=request.tenant,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("tenancy:invitation_list", tenant_slug=request.tenant.slug)
    return render(request, "tenancy/invitation_form.html", {"form": form})


@admin_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects, pk=pk)
    return confirm_then(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        success=_("The invitation to %(email)s was revoked.") % {"email": invitation.email},
        done=reverse("tenancy:invitation_list", kwargs={"tenant_slug": request.tenant.slug}),
        template="tenancy/invitation_confirm_revoke.html",
        context={
            "invitation": invitation,
            "title": _("Revoke invitation"),
            "breadcrumbs": [
                (_("Invitations"), tenant_url("tenancy:invitation_list", request)),
                (_("Revoke invitation"), ""),
            ],
            "danger": True,
            "button": _("Revoke"),
            "cancel_label": _("Keep it"),
            "cancel_url": tenant_url("tenancy:invitation_list", request),
        },
    )


INVALID_MESSAGES = {
    "unknown": _("This invitation link is not valid. Ask the BRM office for a new one."),
    "accepted": _("This invitation has already been used. Sign in instead."),
    "revoked": _("This invitation was withdrawn. Ask the BRM office for a new one."),
    "expired": _("This invitation has expired. Ask the BRM office for a new one."),
}


INVITATION_SESSION_KEY = "brm_invitation_token"
INVITATION_IN_SESSION = "accept"  # the token-less address of the accept page


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The emailed link: join with the signed-in account, or make one, then land in the office.

    Like Django's password reset, the link's token moves into the session and the browser goes on
    to a token-less address, so the token does not travel further in Referer headers, the
    sign-in page's `next` or the access logs of every later step.
    """
    tenant = request.tenant
    session_key = f"{INVITATION_SESSION_KEY}:{tenant.pk}"
    in_session_url = reverse(
        "tenancy:invitation_accept",
        kwargs={"tenant_slug": tenant.slug, "token": INVITATION_IN_SESSION},
    )
    if token != INVITATION_IN_SESSION:
        request.session[session_key] = token
        if request.method == "GET":
            return redirect(in_session_url)
    else:
        token = request.session.get(session_key)
        if not token:
            return _invitation_invalid(request, "unknown")
    token_url = reverse(
        "tenancy:invitation_accept", kwargs={"tenant_slug": tenant.slug, "token": token}
    )
    try:
        invitation = services.invitation_get_pending(raw_token=token)
    except services.InvitationInvalid as exc:
        request.session.pop(session_key, None)
        return _invitation_invalid(request, exc.reason)
    user = request.user if request.user.is_authenticated else None
    account_exists = (
        user is None and services.User.objects.filter(email__iexact=invitation.email).exists()
    )
    wrong_user = user is not None and user.email.lower() != invitation.email.lower()
    form = InvitationAcceptForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        needs_password=user is None,
    )
    if request.method == "POST" and not account_exists and not wrong_user and form.is_valid():
        try:
            membership = services.invitation_accept(
                raw_token=token,
                user=user,
                full_name=form.cleaned_data.get("full_name", ""),
                password=form.cleaned_data.get("password1", ""),
            )
        except services.InvitationInvalid as exc:
            request.session.pop(session_key, None)
            return _invitation_invalid(request, exc.reason)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(session_key, None)
            messages.success(request, _("Welcome to %(tenant)s.") % {"tenant": tenant.name})
            return redirect(membership.home_path)
    login_url = f"{reverse('account_login')}?{urlencode({'next': in_session_url})}"
    return render(
        request,
        "tenancy/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "account_exists": account_exists,
            "wrong_user": wrong_user,
            "login_url": login_url,
            # Signing out empties the session: the link itself brings the token back after.
            "token_url": token_url,
            "tenant": tenant,
        },
    )


def _invitation_invalid(request, reason: str):
    return render(
        request,
        "tenancy/invitation_invalid.html",
        {"message": INVALID_MESSAGES[reason]},
        status=404 if reason == "unknown" else 410,
    )
