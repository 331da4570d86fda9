"""Staff routes of the agreement PDF (under /t/<slug>/, included by brm.urls)."""

from django.urls import path

from . import pdf_views

app_name = "agreement_pdf"

urlpatterns = [
    path("agreements/verify/", pdf_views.verify, name="verify"),
    path("agreements/versions/<int:pk>/pdf/", pdf_views.version_pdf, name="version_pdf"),
]
