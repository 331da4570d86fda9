from django.urls import path

from brm.urls import urlpatterns as app_urlpatterns

from .floor import customer_page_floor

urlpatterns = [path("bench/floor/<slug:slug>/customers/", customer_page_floor), *app_urlpatterns]
