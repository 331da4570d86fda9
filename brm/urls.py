from django.contrib import admin
from django.urls import include, path

from brm import health
from brm.tenancy import views as tenancy_views

tenant_patterns = [
    path("", include("brm.tenancy.urls")),
    path("", include("brm.audit.urls")),
    path("", include("brm.api.staff_urls")),
    path("", include("customers.urls")),
    path("", include("agreements.urls")),
    path("agreements/<int:agreement_pk>/sla/", include("agreements.sla_urls")),
    path("", include("brm.outbox.urls")),
    path("", include("brm.hours.urls")),
    path("", include("agreements.pdf_urls")),
    path("portal/agreements/", include("agreements.pdf_urls_portal")),
    path("", include("meetings.feed_urls")),
    path("", include("meetings.urls")),
    path("", include("complaints.urls")),
    path("", include("satisfaction.urls")),
    path("", include("brm.search.urls")),
]

urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("t/<slug:tenant_slug>/", include(tenant_patterns)),
    # A personal calendar feed: its secret token chooses the office (meetings.feeds).
    path("calendar/", include("meetings.feed_public_urls")),
    # A survey's answer link: its secret token chooses the office (satisfaction.responses).
    path("s/", include("satisfaction.public_urls")),
    path("api/v1/", include("brm.api.urls")),  # with every area's api/urls.py
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
