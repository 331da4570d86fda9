"""Isolation cases of the outbox pages (the office's emails)."""

from brm.tenancy.context import tenant_context
from tests.isolation import MARKER, marked_rows, register


def _outbox_message(tenant, key, status="failed"):
    from brm.outbox.models import OutboxMessage
    from brm.outbox.services import outbox_enqueue

    with tenant_context(tenant):
        message = outbox_enqueue(
            key=f"{MARKER}-{key}",
            to=[f"{MARKER}@example.test"],
            subject=f"{MARKER} subject",
            text=f"{MARKER} body",
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status, last_error=f"550 {MARKER} reason"
        )
    return message


@register("outbox:message_detail")
def outbox_message(tenant):
    return {"pk": _outbox_message(tenant, "detail").pk}


@register("outbox:message_retry")
def outbox_failed_message(tenant):
    return {"pk": _outbox_message(tenant, "retry").pk}


@marked_rows
def outbox_rows(tenant):
    _outbox_message(tenant, "row")
