"""The business calendar's admin pages, beside the office settings (/t/<office>/settings/)."""

from django.urls import path

from . import views

app_name = "hours"

urlpatterns = [
    path("settings/business-calendar/", views.calendar_edit, name="calendar"),
    path("settings/business-calendar/holidays/", views.holiday_list, name="holiday_list"),
    path("settings/business-calendar/holidays/new/", views.holiday_create, name="holiday_create"),
    path("settings/business-calendar/holidays/seed/", views.holidays_seed, name="holidays_seed"),
    path("settings/business-calendar/holidays/<int:pk>/", views.holiday_edit, name="holiday_edit"),
    path(
        "settings/business-calendar/holidays/<int:pk>/delete/",
        views.holiday_delete,
        name="holiday_delete",
    ),
]
