from django.contrib import admin

from .models import Tenant


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    """Tenants are global; what they own is seen through the office itself, never here."""

    list_display = [
        "name",
        "slug",
        "time_zone",
        "language",
        "mfa_policy",
        "is_active",
        "created_at",
    ]
    search_fields = ["name", "slug"]
    list_filter = ["is_active", "mfa_policy"]

    def has_delete_permission(self, request, obj=None):
        # An office's records sit behind row-level security in their own tenant: deleting the
        # tenant here could not reach them. Deactivate it (is_active) instead.
        return False
