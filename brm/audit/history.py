"""The change history of a detail page, in words: "Contact added", field labels, old -> new.

    from brm.audit.history import history_context
    context.update(history_context([customer, *contacts], limit=20, hide={"customer"}))

and `{% include "audit/partials/_history.html" %}` in the template. One query, whatever the
number of records: one condition per record type.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from .models import AuditEvent

HISTORY_SHOWN = 20

VERBS = {
    "created": gettext_lazy("added"),
    "updated": gettext_lazy("changed"),
    "deleted": gettext_lazy("deleted"),
    "agreed": gettext_lazy("agreed by the business"),
}


def history_for(objects: Iterable[models.Model]) -> QuerySet[AuditEvent]:
    """The audit events of these records, newest first."""
    ids_by_type: dict[str, list[str]] = {}
    for obj in objects:
        ids_by_type.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    # One condition per record type, not per record: a customer page names some thirty records.
    q = Q(pk__in=[])
    for object_type, ids in ids_by_type.items():
        q |= Q(object_type=object_type, object_id__in=ids)
    return AuditEvent.objects.filter(q).select_related("actor").order_by("-at", "-pk")


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def change_rows(model, changes: dict, hide: Iterable[str] = ()) -> list[tuple[str, list]]:
    """(field label, [old, new]) with choice values shown by their labels ("In progress")."""
    fields = {f.name: f for f in model._meta.fields} if model else {}
    hidden = set(hide)
    rows = []
    for name, pair in (changes or {}).items():
        if name in hidden:
            continue
        field = fields.get(name)
        if field is None:
            rows.append((name.replace("_", " "), pair))
            continue
        choices = dict(field.flatchoices) if field.choices else {}
        rows.append(
            (field.verbose_name, [choices.get(v, v) if isinstance(v, str) else v for v in pair])
        )
    return rows


def history_rows(events: Iterable[AuditEvent], hide_for: dict | None = None) -> list[dict]:
    """Each event as {"event", "what", "created", "changes"}.

    `hide_for` maps a model to the fields not worth repeating on its rows (a contact's customer is
    the page's own customer).
    """
    hide_for = hide_for or {}
    rows = []
    for event in events:
        model = _model(event.object_type)
        verb = event.action.rsplit(".", 1)[-1]
        # An action without a word of its own reads as words ("attendees_added": "attendees added").
        said = VERBS.get(verb, verb.replace("_", " "))
        rows.append(
            {
                "event": event,
                "what": (f"{capfirst(model._meta.verbose_name)} {said}" if model else event.action),
                "created": verb == "created",
                "changes": change_rows(model, event.changes, hide_for.get(model, ())),
            }
        )
    return rows


def history_context(
    objects: Iterable[models.Model],
    *,
    limit: int = HISTORY_SHOWN,
    hide_for: dict | None = None,
    caption: str = "",
) -> dict:
    """What audit/partials/_history.html needs: the newest `limit` changes to these records."""
    events = history_for(objects)[:limit]
    return {
        "history": history_rows(events, hide_for),
        "history_shown": limit,
        "history_caption": caption,
    }
