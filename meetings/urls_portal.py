"""Portal pages of the meetings area (routes under /t/<slug>/, in the "meetings" namespace)."""

from django.urls import path

from . import portal_views as views

urlpatterns: list = [
    path("portal/meetings/", views.meeting_list, name="portal_meeting_list"),
    path("portal/meetings/<int:pk>/", views.meeting_detail, name="portal_meeting"),
    path("portal/meetings/decisions/", views.decision_list, name="portal_decision_list"),
    path("portal/meetings/decisions/<int:pk>/", views.decision_detail, name="portal_decision"),
    path(
        "portal/meetings/decisions/<int:pk>/approve/",
        views.decision_approve,
        name="portal_decision_approve",
    ),
    path(
        "portal/meetings/decisions/<int:pk>/reject/",
        views.decision_reject,
        name="portal_decision_reject",
    ),
]
