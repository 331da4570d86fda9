"""The application's URLs, and beside them each customers endpoint's floor (bench/floor.py).

The floors sit under the same prefixes as their endpoints, so the same middleware handles them:
/api/ (the key lookup and the office's transaction) and /t/<slug>/ (session, membership, office).
"""

from django.db import transaction
from django.urls import path

from brm.urls import urlpatterns as app_urlpatterns

from . import floor

# The API's viewsets run without a view savepoint (brm.api.viewsets); so do their floors.
api = transaction.non_atomic_requests

urlpatterns = [
    path("api/floor/customers/", api(floor.api_customer_list_floor)),
    path("api/floor/action-items/", api(floor.api_open_action_item_list_floor)),
    path("t/<slug:tenant_slug>/floor/customers/", floor.customer_list_page_floor),
    path("t/<slug:tenant_slug>/floor/customers/<int:pk>/", floor.customer_page_floor),
    *app_urlpatterns,
]
