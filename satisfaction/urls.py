"""Satisfaction pages under /t/<slug>/: staff (satisfaction/...), the results pages
(results_urls) and the portal's (portal_urls), all in the "satisfaction" namespace."""

from django.urls import include, path

from . import views

app_name = "satisfaction"

urlpatterns = [
    path("satisfaction/surveys/", views.survey_list, name="survey_list"),
    path("satisfaction/surveys/new/", views.survey_create, name="survey_create"),
    path("satisfaction/surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("satisfaction/surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path(
        "satisfaction/surveys/<int:pk>/new-version/",
        views.survey_new_version,
        name="survey_new_version",
    ),
    path(
        "satisfaction/surveys/<int:pk>/questions/new/",
        views.question_create,
        name="question_create",
    ),
    path(
        "satisfaction/surveys/<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "satisfaction/surveys/<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path(
        "satisfaction/surveys/<int:pk>/questions/<int:question_pk>/move/",
        views.question_move,
        name="question_move",
    ),
    path("satisfaction/campaigns/", views.campaign_list, name="campaign_list"),
    path("satisfaction/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("satisfaction/campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("satisfaction/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path(
        "satisfaction/campaigns/<int:pk>/schedule/",
        views.campaign_schedule,
        name="campaign_schedule",
    ),
    path("satisfaction/campaigns/<int:pk>/cancel/", views.campaign_cancel, name="campaign_cancel"),
    path("satisfaction/settings/", views.settings_edit, name="settings"),
    path("", include("satisfaction.results_urls")),
    path("", include("satisfaction.portal_urls")),
]
