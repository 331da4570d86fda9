from django.shortcuts import render

from brm.db.plans import OfficePaginator
from brm.tenancy.views import admin_required

from .models import AuditEvent


@admin_required
def event_list(request):
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    page = OfficePaginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"page": page})
