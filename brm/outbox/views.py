"""The outbox page: what the office has sent, what waits, what failed and why (admins only)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brm.web.access import admin_required
from brm.web.pages import confirm_then, list_context, tenant_url

from . import services
from .forms import OutboxFilterForm
from .models import OutboxMessage
from .selectors import outbox_message_get, outbox_message_list

PAGE_SIZE = 50


def _message_or_404(pk: int) -> OutboxMessage:
    try:
        return outbox_message_get(pk=pk)
    except OutboxMessage.DoesNotExist:
        raise Http404(_("No such email.")) from None


@admin_required
def message_list(request):
    form = OutboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return render(
        request,
        "outbox/message_list.html",
        {
            "form": form,
            "status": status,
            **list_context(request, outbox_message_list(status=status), per_page=PAGE_SIZE),
        },
    )


@admin_required
def message_detail(request, pk):
    message = _message_or_404(pk)
    attachments = [(a["filename"], a["content_type"]) for a in message.attachments]
    alternatives = [a["content_type"] for a in message.alternatives]
    return render(
        request,
        "outbox/message_detail.html",
        {"message": message, "attachments": attachments, "alternatives": alternatives},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def message_retry(request, pk):
    message = _message_or_404(pk)
    return confirm_then(
        request,
        lambda: services.outbox_retry(message=message, actor=request.user),
        success=_("“%(subject)s” is queued again.") % {"subject": message.subject},
        done=reverse("outbox:message_list", kwargs={"tenant_slug": request.tenant.slug}),
        template="outbox/message_confirm_retry.html",
        context={
            "message": message,
            "title": _("Send again"),
            "breadcrumbs": [
                (_("Outbox"), tenant_url("outbox:message_list", request)),
                (message.subject, tenant_url("outbox:message_detail", request, pk=message.pk)),
                (_("Send again"), ""),
            ],
            "button": _("Retry"),
            "cancel_url": tenant_url("outbox:message_list", request),
            "refusal": ""
            if message.status == OutboxMessage.Status.FAILED
            else _("This email is not failed (it is “%(status)s”): there is nothing to retry.")
            % {"status": message.get_status_display()},
            "back_label": _("Back to the outbox"),
        },
    )
