"""The answer link, /s/<token>/, and its opt-out page: outside /t/<office>/, no sign-in; the
token chooses the office (satisfaction.responses.invitation_find)."""

from django.urls import path

from . import answer_views

app_name = "survey_link"

urlpatterns = [
    # Any text up to a slash: a malformed token gets the same not-found page as an unknown one.
    path("<str:token>/", answer_views.answer, name="answer"),
    path("<str:token>/opt-out/", answer_views.opt_out, name="opt_out"),
]
