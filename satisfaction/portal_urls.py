"""The portal's survey pages (/t/<office>/portal/surveys/...), in the "satisfaction" namespace."""

from django.urls import path

from . import answer_views

urlpatterns = [
    path("portal/surveys/", answer_views.portal_survey_list, name="portal_surveys"),
    path(
        "portal/surveys/<int:invitation_pk>/",
        answer_views.portal_survey_answer,
        name="portal_survey_answer",
    ),
]
