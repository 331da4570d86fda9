"""Pages of the meetings area under /t/<slug>/: the staff pages and the portal's (urls_portal)."""

from django.urls import path

from . import urls_communications, urls_portal, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:pk>/attendees/add/", views.attendees_add, name="attendees_add"),
    path("meetings/attendees/<int:pk>/remove/", views.attendee_remove, name="attendee_remove"),
    path("meetings/<int:pk>/agenda/add/", views.agenda_item_add, name="agenda_item_add"),
    path("meetings/agenda/<int:pk>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path("meetings/agenda/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/publish/", views.minutes_publish, name="minutes_publish"),
    path("meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("meetings/<int:pk>/actions/new/", views.action_item_create, name="action_item_create"),
    path("meetings/cadences/", views.cadence_list, name="cadence_list"),
    path("meetings/cadences/new/", views.cadence_create, name="cadence_create"),
    path("meetings/cadences/<int:pk>/", views.cadence_detail, name="cadence_detail"),
    path("meetings/cadences/<int:pk>/edit/", views.cadence_edit, name="cadence_edit"),
    path("meetings/cadences/<int:pk>/pause/", views.cadence_pause, name="cadence_pause"),
    path(
        "meetings/agreements/<int:pk>/cadences/",
        views.cadences_from_agreement,
        name="cadences_from_agreement",
    ),
    path("meetings/decisions/", views.decision_log, name="decision_log"),
    path("meetings/decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("meetings/decisions/<int:pk>/decide/", views.decision_decide, name="decision_decide"),
    *urls_portal.urlpatterns,
    *urls_communications.urlpatterns,
]
