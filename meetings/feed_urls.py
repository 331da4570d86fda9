"""The calendar feed's pages under /t/<tenant_slug>/ (staff and portal)."""

from django.urls import path

from . import feed_views

app_name = "calendar_feeds"

urlpatterns = [
    path("meetings/calendar-feed/", feed_views.staff_feed, name="feed"),
    path("meetings/calendar-feed/new/", feed_views.staff_create, name="create"),
    path("meetings/calendar-feed/revoke/", feed_views.staff_revoke, name="revoke"),
    path("portal/calendar-feed/", feed_views.portal_feed, name="portal_feed"),
    path("portal/calendar-feed/new/", feed_views.portal_create, name="portal_create"),
    path("portal/calendar-feed/revoke/", feed_views.portal_revoke, name="portal_revoke"),
]
