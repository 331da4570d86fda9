"""Partnership Agreements pages: staff (under /t/<slug>/agreements/) and portal
(/t/<slug>/portal/agreement/)."""

from django.urls import path

from . import portal_views, views

app_name = "agreements"

SECTION = "<slug:section>"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path(
        "customers/<int:pk>/agreement/new/",
        views.agreement_create_for_customer,
        name="agreement_create_for_customer",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/compare/", views.agreement_compare, name="agreement_compare"),
    path("agreements/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("agreements/versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path(f"agreements/versions/<int:pk>/{SECTION}/new/", views.row_create, name="row_create"),
    path(
        f"agreements/versions/<int:pk>/{SECTION}/reorder/",
        views.rows_reorder,
        name="rows_reorder",
    ),
    path("agreements/versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("agreements/versions/<int:pk>/withdraw/", views.version_withdraw, name="version_withdraw"),
    path("agreements/versions/<int:pk>/revise/", views.version_revise, name="version_revise"),
    path(f"agreements/rows/{SECTION}/<int:pk>/edit/", views.row_edit, name="row_edit"),
    path(f"agreements/rows/{SECTION}/<int:pk>/delete/", views.row_delete, name="row_delete"),
    path("agreements/signatures/<int:pk>/sign/", views.signature_sign, name="signature_sign"),
    path(
        "agreements/signatures/<int:pk>/decline/",
        views.signature_decline,
        name="signature_decline",
    ),
    # Portal
    path("portal/agreement/", portal_views.agreement, name="portal_agreement"),
    path("portal/agreement/compare/", portal_views.agreement_compare, name="portal_compare"),
    path(
        "portal/agreement/versions/<int:pk>/",
        portal_views.version_detail,
        name="portal_version",
    ),
    path(
        "portal/agreement/signatures/<int:pk>/sign/",
        portal_views.signature_sign,
        name="portal_signature_sign",
    ),
    path(
        "portal/agreement/signatures/<int:pk>/decline/",
        portal_views.signature_decline,
        name="portal_signature_decline",
    ),
]
