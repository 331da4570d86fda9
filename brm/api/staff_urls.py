"""Staff pages under /t/<tenant_slug>/ for the office's API keys (admins only)."""

from django.urls import path

from . import staff_views

app_name = "api_keys"

urlpatterns = [
    path("api-keys/", staff_views.api_key_list, name="list"),
    path("api-keys/new/", staff_views.api_key_create_view, name="create"),
    path("api-keys/<int:pk>/revoke/", staff_views.api_key_revoke_view, name="revoke"),
]
