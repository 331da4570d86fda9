"""The floor: the same page of customers as the list endpoints, with one raw indexed query.

A session check (the same session lookup the real pages do) and one SELECT; no ORM, no templates.
What the real endpoints cost above this is the framework and the application.
"""

import json

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden

from brm.tenancy.context import tenant_context
from brm.tenancy.models import Tenant


def customer_page_floor(request, slug):
    session = SessionStore(session_key=request.COOKIES.get("sessionid"))
    if not session.get("_auth_user_id"):
        return HttpResponseForbidden()
    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, division, status, relationship_manager_id FROM customers_customer"
            " WHERE tenant_id = %s ORDER BY name LIMIT 50",
            [tenant.pk],
        )
        rows = cursor.fetchall()
    body = json.dumps(
        [{"id": r[0], "name": r[1], "division": r[2], "status": r[3], "rm": r[4]} for r in rows]
    )
    return HttpResponse(body, content_type="application/json")
