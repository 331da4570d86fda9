"""Staff pages of an agreement's SLA appendix, under /t/<slug>/agreements/<agreement_pk>/sla/."""

from django.urls import path

from . import sla_views as views

app_name = "sla"

urlpatterns = [
    path("", views.sla_table, name="sla_table"),
    path("measurements/new/", views.sla_measurement_create, name="sla_measurement_create"),
    path("measurements/<int:pk>/edit/", views.sla_measurement_edit, name="sla_measurement_edit"),
    path("import/", views.sla_import_upload, name="sla_import_upload"),
    path("import/preview/", views.sla_import_preview, name="sla_import_preview"),
    path("import/template.csv", views.sla_import_template, name="sla_import_template"),
]
