"""Portal routes of the agreement PDF (under /t/<slug>/portal/, included by brm.urls)."""

from django.urls import path

from . import pdf_views

app_name = "agreement_pdf_portal"

urlpatterns = [
    path("versions/<int:pk>/pdf/", pdf_views.portal_version_pdf, name="version_pdf"),
]
