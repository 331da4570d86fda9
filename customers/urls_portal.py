"""portal pages of the customers area (routes under /t/<slug>/)."""

from django.urls import path

from . import portal_views as views

urlpatterns: list = [
    path("portal/customer/", views.organisation, name="portal_organisation"),
    path("portal/purchasers/<int:pk>/", views.purchaser_detail, name="portal_purchaser"),
    path("portal/expectations/", views.expectation_list, name="portal_expectation_list"),
    path("portal/expectations/<int:pk>/", views.expectation_detail, name="portal_expectation"),
    path(
        "portal/expectations/<int:pk>/agree/",
        views.expectation_agree,
        name="portal_expectation_agree",
    ),
    path("portal/action-items/", views.action_item_list, name="portal_action_item_list"),
    path("portal/action-items/<int:pk>/", views.action_item_detail, name="portal_action_item"),
    path(
        "portal/action-items/<int:pk>/done/",
        views.action_item_done,
        name="portal_action_item_done",
    ),
]
