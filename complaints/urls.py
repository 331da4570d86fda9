"""Complaints pages: staff (/t/<slug>/complaints/) and portal (/t/<slug>/portal/complaints/)."""

from django.urls import path

from . import portal_views, views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/steering/", views.steering_view, name="steering"),
    path("complaints/policy/", views.policy_edit, name="policy"),
    path("complaints/categories/", views.category_list, name="category_list"),
    path("complaints/categories/new/", views.category_create, name="category_create"),
    path("complaints/categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("complaints/files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/acknowledge/", views.complaint_acknowledge, name="acknowledge"),
    path("complaints/<int:pk>/assign/", views.complaint_assign, name="assign"),
    path("complaints/<int:pk>/severity/", views.complaint_severity, name="severity"),
    path("complaints/<int:pk>/wait/", views.complaint_wait, name="wait"),
    path("complaints/<int:pk>/resume/", views.complaint_resume, name="resume"),
    path("complaints/<int:pk>/reply/", views.complaint_reply, name="reply"),
    path("complaints/<int:pk>/note/", views.complaint_note, name="note"),
    path("complaints/<int:pk>/attach/", views.complaint_attach, name="attach"),
    path("complaints/<int:pk>/escalate/", views.complaint_escalate, name="escalate"),
    path("complaints/<int:pk>/resolve/", views.complaint_resolve, name="resolve"),
    # Portal
    path("portal/complaints/", portal_views.complaint_list, name="portal_complaint_list"),
    path("portal/complaints/new/", portal_views.complaint_create, name="portal_complaint_create"),
    path("portal/complaints/procedure/", portal_views.procedure, name="portal_procedure"),
    path(
        "portal/complaints/files/<int:pk>/",
        portal_views.attachment_download,
        name="portal_attachment_download",
    ),
    path("portal/complaints/<int:pk>/", portal_views.complaint_detail, name="portal_complaint"),
    path("portal/complaints/<int:pk>/reply/", portal_views.complaint_reply, name="portal_reply"),
    path(
        "portal/complaints/<int:pk>/escalate/",
        portal_views.complaint_escalation_request,
        name="portal_escalate",
    ),
    path(
        "portal/complaints/<int:pk>/confirm/",
        portal_views.complaint_confirm,
        name="portal_confirm",
    ),
    path("portal/complaints/<int:pk>/reject/", portal_views.complaint_reject, name="portal_reject"),
]
