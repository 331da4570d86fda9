from django.shortcuts import render

from brm.web.access import admin_required
from brm.web.pages import list_context

from .models import AuditEvent


@admin_required
def event_list(request):
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    return render(request, "audit/event_list.html", list_context(request, events, per_page=50))
