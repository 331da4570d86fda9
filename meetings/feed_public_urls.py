"""The calendar feed itself, /calendar/<token>.ics: outside /t/<office>/, so a renamed office
keeps its members' subscriptions; the token chooses the office (meetings.feeds)."""

from django.urls import path

from . import feed_views

urlpatterns = [
    path("<slug:token>.ics", feed_views.feed_ics, name="calendar_feed_ics"),
]
