"""Customers pages: staff (urls_staff), CSV import/export (urls_import) and portal (urls_portal)."""

from . import urls_import, urls_portal, urls_staff

app_name = "customers"

urlpatterns = [*urls_staff.urlpatterns, *urls_import.urlpatterns, *urls_portal.urlpatterns]
