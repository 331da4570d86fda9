"""Pages of communications (routes under /t/<slug>/, in the "meetings" namespace)."""

from django.urls import path

from . import communication_portal_views as portal
from . import communication_views as views

P = "meetings/communications/"

urlpatterns: list = [
    path(f"{P}", views.notice_list, name="notice_list"),
    path(f"{P}new/", views.notice_create, name="notice_create"),
    path(f"{P}<int:pk>/", views.notice_detail, name="notice_detail"),
    path(f"{P}<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path(f"{P}<int:pk>/delete/", views.notice_delete, name="notice_delete"),
    path(f"{P}<int:pk>/send/", views.notice_send, name="notice_send"),
    path(f"{P}<int:pk>/updates/new/", views.notice_update_add, name="notice_update_add"),
    path(f"{P}plan/", views.communication_plan, name="communication_plan"),
    path(f"{P}plan/customers/<int:pk>/new/", views.plan_entry_create, name="plan_entry_create"),
    path(f"{P}plan/<int:pk>/edit/", views.plan_entry_edit, name="plan_entry_edit"),
    path(f"{P}plan/<int:pk>/delete/", views.plan_entry_delete, name="plan_entry_delete"),
    path(f"{P}plan/<int:pk>/deliver/", views.plan_entry_deliver, name="plan_entry_deliver"),
    path("portal/news/", portal.news_list, name="portal_news"),
    path("portal/news/<int:pk>/", portal.news_detail, name="portal_notice"),
    path("portal/news/<int:pk>/maintenance.ics", portal.news_ics, name="portal_notice_ics"),
    path("portal/communications/preferences/", portal.preferences, name="portal_preferences"),
]
