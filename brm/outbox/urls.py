from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("outbox/", views.message_list, name="message_list"),
    path("outbox/<int:pk>/", views.message_detail, name="message_detail"),
    path("outbox/<int:pk>/retry/", views.message_retry, name="message_retry"),
]
