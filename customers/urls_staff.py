"""staff pages of the customers area (routes under /t/<slug>/)."""

from django.urls import path

from . import catalogue_views, views

urlpatterns: list = [
    path("services/", catalogue_views.service_list, name="service_list"),
    path("services/new/", catalogue_views.service_create, name="service_create"),
    path("services/<int:pk>/", catalogue_views.service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", catalogue_views.service_edit, name="service_edit"),
    path("services/<int:pk>/delete/", catalogue_views.service_delete, name="service_delete"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/mine/", views.customer_mine, name="customer_mine"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/delete/", views.customer_delete, name="customer_delete"),
    # Records of one customer: created under it, then edited and deleted by their own id.
    path("customers/<int:pk>/purchasers/new/", views.purchaser_create, name="purchaser_create"),
    path("purchasers/<int:pk>/edit/", views.purchaser_edit, name="purchaser_edit"),
    path("purchasers/<int:pk>/delete/", views.purchaser_delete, name="purchaser_delete"),
    path("customers/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:pk>/invite/", views.contact_invite, name="contact_invite"),
    path(
        "customers/<int:pk>/expectations/new/",
        views.expectation_create,
        name="expectation_create",
    ),
    path("expectations/<int:pk>/edit/", views.expectation_edit, name="expectation_edit"),
    path("expectations/<int:pk>/delete/", views.expectation_delete, name="expectation_delete"),
    path(
        "customers/<int:pk>/register-items/new/",
        views.register_item_create,
        name="register_item_create",
    ),
    path("register-items/<int:pk>/edit/", views.register_item_edit, name="register_item_edit"),
    path(
        "register-items/<int:pk>/delete/", views.register_item_delete, name="register_item_delete"
    ),
    path(
        "customers/<int:pk>/action-items/new/",
        views.action_item_create,
        name="action_item_create",
    ),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action_item_detail"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("action-items/<int:pk>/delete/", views.action_item_delete, name="action_item_delete"),
    path("action-items/<int:pk>/done/", views.action_item_done, name="action_item_done"),
    path("coverage/", views.coverage, name="coverage"),
]
