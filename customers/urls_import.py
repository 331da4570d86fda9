"""import pages of the customers area (routes under /t/<slug>/)."""

from django.urls import path

from . import import_views as views

urlpatterns: list = [
    path("customers/import/", views.import_upload, name="import_upload"),
    path("customers/import/preview/", views.import_preview, name="import_preview"),
    path("customers/import/template.csv", views.import_template, name="import_template"),
    path("customers/export.csv", views.export_csv, name="export"),
]
