from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.staff_search, name="staff"),
    path("portal/search/", views.portal_search, name="portal"),
]
