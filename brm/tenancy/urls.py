"""Pages under /t/<tenant_slug>/ (staff) and /t/<tenant_slug>/portal/ (business portal)."""

from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("portal/", views.portal_home, name="portal_home"),
    path("settings/", views.tenant_settings, name="tenant_settings"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("invitations/", views.invitation_list_view, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
