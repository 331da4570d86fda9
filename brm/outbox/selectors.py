"""Reads for the outbox page."""

from django.db.models import QuerySet

from .models import OutboxMessage


def outbox_message_list(*, status: str = "") -> QuerySet[OutboxMessage]:
    """The current tenant's emails, newest first; bodies and attachments are left unloaded."""
    qs = OutboxMessage.objects.defer("text", "html", "alternatives", "attachments").order_by(
        "-created_at", "-pk"
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def outbox_message_get(*, pk: int) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=pk)
