"""Meetings pages: portal (urls_portal)."""

from . import urls_portal

app_name = "meetings"

urlpatterns = [*urls_portal.urlpatterns]
