from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(AdminSite):
    """/admin/ is for operators (superusers) only, never for a tenant's staff."""

    site_header = "BRM Office operations"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class BrmAdminConfig(AdminConfig):
    default_site = "brm.admin.SuperuserAdminSite"
