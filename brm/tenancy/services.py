"""Writes for tenants, memberships and invitations. Views, commands and the API call these."""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brm.audit.services import apply_changes, audit_record, audited_save, audited_update

from .context import tenant_context
from .models import Invitation, Membership, Role, Tenant, hash_token
from .signals import invitation_accepted, membership_deactivated

INVITATION_LIFETIME = timedelta(days=7)
User = get_user_model()


@transaction.atomic
def tenant_create(
    *, slug: str, name: str, time_zone: str = "UTC", language: str = "en", mfa_policy: str = ""
) -> Tenant:
    tenant = Tenant(
        slug=slug,
        name=name,
        time_zone=time_zone,
        language=language,
        mfa_policy=mfa_policy or Tenant.MfaPolicy.REQUIRED,
    )
    tenant.full_clean()
    tenant.save()
    return tenant


def invitation_url(tenant: Tenant, raw_token: str) -> str:
    path = reverse(
        "tenancy:invitation_accept", kwargs={"tenant_slug": tenant.slug, "token": raw_token}
    )
    return f"{settings.BRM_BASE_URL}{path}"


def is_admin_of_current_tenant(user) -> bool:
    """An active admin of the current tenant; `None` stands for an operator's command."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, role=Role.ADMIN, is_active=True).exists()


def invitation_refusal(*, email: str, invited_by) -> str:
    """Why `invited_by` may not invite `email` in the current tenant, or "" (to show up front).

    An active member needs no invitation; a deactivated one comes back only through an admin.
    """
    email = User.objects.normalize_email(email).lower()
    membership = Membership.objects.filter(user__email__iexact=email).first()
    if membership is None:
        return ""
    if membership.is_active:
        return _("%(email)s is already a member.") % {"email": email}
    if not is_admin_of_current_tenant(invited_by):
        return _("%(email)s was deactivated in this office; only an admin can bring them back.") % {
            "email": email
        }
    return ""


@transaction.atomic
def invitation_create(
    *, tenant: Tenant, email: str, role: str, invited_by=None, send: bool = True
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its link (shown once; only a hash is kept).

    `invited_by=None` is an operator's command (create_tenant), which counts as an admin.
    """
    email = User.objects.normalize_email(email).lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    with tenant_context(tenant):
        refusal = invitation_refusal(email=email, invited_by=invited_by)
        if refusal:
            raise ValidationError({"email": refusal})
        by_admin = is_admin_of_current_tenant(invited_by)
        # A newer invitation replaces any pending one for the same address: an admin's only by
        # an admin, and each replacement is recorded (who replaced whose).
        replaced = list(
            Invitation.objects.select_for_update(of=("self",))
            .pending()
            .filter(email__iexact=email)
            .select_related("invited_by")
        )
        if not by_admin and any(old.role == Role.ADMIN for old in replaced):
            raise ValidationError(
                {
                    "email": _(
                        "An admin invitation is pending for %(email)s: only an admin can "
                        "replace it."
                    )
                    % {"email": email}
                }
            )
        now = timezone.now()
        raw = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            token_hash=hash_token(raw),
            invited_by=invited_by,
            by_admin=by_admin,
            expires_at=now + INVITATION_LIFETIME,
        )
        for old in replaced:
            Invitation.objects.filter(pk=old.pk).update(revoked_at=now)
            audit_record(
                actor=invited_by,
                action="invitation.replaced",
                obj=old,
                changes={
                    "invited_by": [
                        str(old.invited_by) if old.invited_by else None,
                        str(invited_by) if invited_by else None,
                    ],
                    "role": [old.role, role],
                    "replaced_by": [None, invitation.pk],
                },
            )
        audit_record(
            actor=invited_by,
            action="invitation.created",
            obj=invitation,
            changes={"email": [None, email], "role": [None, role]},
        )
        url = invitation_url(tenant, raw)
        if send:
            transaction.on_commit(lambda: _invitation_send(tenant, invitation, url))
    return invitation, url


def _invitation_send(tenant: Tenant, invitation: Invitation, url: str) -> None:
    send_mail(
        subject=_("You are invited to %(tenant)s on BRM Office") % {"tenant": tenant.name},
        message=_(
            "You have been invited to join %(tenant)s as %(role)s.\n\n"
            "Open this link to accept (it works once and expires on %(expires)s UTC):\n%(url)s\n"
        )
        % {
            "tenant": tenant.name,
            "role": invitation.get_role_display(),
            "expires": invitation.expires_at.strftime("%Y-%m-%d %H:%M"),
            "url": url,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )


class InvitationInvalid(Exception):
    """The link is unknown, used, revoked or expired; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_get_pending(*, raw_token: str) -> Invitation:
    """The pending invitation for this token in the current tenant, or InvitationInvalid."""
    invitation = Invitation.objects.filter(token_hash=hash_token(raw_token)).first()
    if invitation is None:
        raise InvitationInvalid("unknown")
    if not invitation.is_pending:
        raise InvitationInvalid(invitation.status)
    return invitation


@transaction.atomic
def invitation_accept(
    *, raw_token: str, user=None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept in the current tenant: the signed-in `user`, or a new account made from the form.

    Single use even under a race: the row is claimed with a conditional UPDATE.
    """
    invitation = invitation_get_pending(raw_token=raw_token)
    existing = Membership.objects.filter(user__email__iexact=invitation.email).first()
    if existing is not None and not existing.is_active and not invitation.by_admin:
        # Only an admin brings back a membership an admin deactivated.
        raise ValidationError(
            _("Your membership of this office was deactivated; only an admin can bring it back.")
        )
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this email exists: sign in to accept."))
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            _("This invitation is for %(email)s; you are signed in as someone else.")
            % {"email": invitation.email}
        )
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if claimed != 1:
        raise InvitationInvalid("accepted")
    # Opening the emailed link proves the address.
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, role=invitation.role)
        except IntegrityError as exc:
            raise InvitationInvalid("accepted") from exc
    elif membership.is_active:
        raise ValidationError(_("You are already a member of this BRM office."))
    else:
        membership.role = invitation.role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active", "updated_at"])
    invitation_accepted.send(sender=Invitation, invitation=invitation, membership=membership)
    audit_record(
        actor=user,
        action="invitation.accepted",
        obj=membership,
        changes={"role": [None, invitation.role]},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    now = timezone.now()
    # Conditional, so an invitation accepted a moment ago is not marked revoked as well.
    revoked = Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=now)
    if revoked != 1:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = now
    audit_record(actor=actor, action="invitation.revoked", obj=invitation)
    return invitation


@transaction.atomic
def membership_update(*, membership: Membership, actor, role: str, is_active: bool) -> Membership:
    """Change a member's role or deactivate them; the office always keeps an active admin."""
    # Compare with the stored row, locked: the caller's instance may already carry new values.
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    deactivating = membership.is_active and not is_active
    losing_admin = (
        membership.role == Role.ADMIN
        and membership.is_active
        and (role != Role.ADMIN or not is_active)
    )
    if losing_admin:
        other_admins = (
            Membership.objects.select_for_update()
            .filter(role=Role.ADMIN, is_active=True)
            .exclude(pk=membership.pk)
        )
        if not other_admins.exists():
            raise ValidationError(_("The office must keep at least one active admin."))
    audited_update(
        membership,
        actor=actor,
        action="membership.updated",
        data={"role": role, "is_active": is_active},
        validate=False,
        update_fields=["role", "is_active", "updated_at"],
    )
    if deactivating:
        # Same transaction: what the member made (API keys...) stops with them, or not at all.
        membership_deactivated.send(sender=Membership, membership=membership, actor=actor)
    return membership


@transaction.atomic
def tenant_update(*, tenant: Tenant, actor, data: dict) -> Tenant:
    """Change an office's settings (name, time zone, language, staff MFA policy), audited."""
    changes = apply_changes(tenant, data)
    audited_save(tenant, actor=actor, action="tenant.updated", changes=changes)
    return tenant


@transaction.atomic
def member_add_with_password(*, tenant: Tenant, email: str, password: str, role: str, full_name=""):
    """Operator path (create_tenant --noinput, the demo): a verified account and a membership."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=email,
        defaults={"email": email, "verified": True, "primary": True},
    )
    with tenant_context(tenant):
        membership, _created = Membership.objects.update_or_create(
            user=user, defaults={"role": role, "is_active": True}
        )
    return membership
