"""The results pages (included by satisfaction/urls.py, in the "satisfaction" namespace)."""

from django.urls import path

from . import results_views

urlpatterns = [
    path("satisfaction/results/", results_views.results_overview, name="results_overview"),
    path(
        "satisfaction/campaigns/<int:pk>/results/",
        results_views.campaign_results,
        name="campaign_results",
    ),
    path(
        "satisfaction/campaigns/<int:pk>/publish/",
        results_views.campaign_publish,
        name="campaign_publish",
    ),
    path("portal/satisfaction/results/", results_views.portal_results, name="portal_results"),
]
