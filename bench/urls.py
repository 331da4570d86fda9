"""The application's URLs, and beside them each endpoint's floor (bench/floor.py for the customers
endpoints, bench/agreements/floor.py for the agreements ones, bench/meetings/floor.py for the
meetings pages, bench/complaints/floor.py for the complaints pages, bench/satisfaction/floor.py
for the satisfaction results page).

The floors sit under the same prefixes as their endpoints, so the same middleware handles them:
/api/ (the key lookup and the office's transaction) and /t/<slug>/ (session, membership, office).
"""

from django.db import transaction
from django.urls import path

from brm.urls import urlpatterns as app_urlpatterns

from . import floor
from .agreements import floor as agreements_floor
from .complaints import floor as complaints_floor
from .meetings import floor as meetings_floor
from .satisfaction import floor as satisfaction_floor

# The API's viewsets run without a view savepoint (brm.api.viewsets); so do their floors.
api = transaction.non_atomic_requests

urlpatterns = [
    path("api/floor/customers/", api(floor.api_customer_list_floor)),
    path("api/floor/action-items/", api(floor.api_open_action_item_list_floor)),
    path("t/<slug:tenant_slug>/floor/customers/", floor.customer_list_page_floor),
    path("t/<slug:tenant_slug>/floor/customers/<int:pk>/", floor.customer_page_floor),
    path("api/floor/sla-measurements/", api(agreements_floor.api_sla_measurement_create_floor)),
    path("t/<slug:tenant_slug>/floor/agreements/", agreements_floor.agreement_list_page_floor),
    path("t/<slug:tenant_slug>/floor/agreements/<int:pk>/", agreements_floor.agreement_page_floor),
    path("t/<slug:tenant_slug>/floor/meetings/", meetings_floor.meeting_list_page_floor),
    path("t/<slug:tenant_slug>/floor/meetings/<int:pk>/", meetings_floor.meeting_page_floor),
    path("t/<slug:tenant_slug>/floor/complaints/", complaints_floor.complaint_list_page_floor),
    path("t/<slug:tenant_slug>/floor/complaints/<int:pk>/", complaints_floor.complaint_page_floor),
    path(
        "t/<slug:tenant_slug>/floor/satisfaction/campaigns/<int:pk>/results/",
        satisfaction_floor.campaign_results_page_floor,
    ),
    *app_urlpatterns,
]
