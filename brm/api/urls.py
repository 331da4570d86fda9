"""/api/v1/: the REST API. Areas add their viewsets to `router` (see brm/api/viewsets.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("members", views.MembershipViewSet, basename="member")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("tenant/", views.TenantView.as_view(), name="api-tenant"),
    *router.urls,
    # Last: every other path under /api/v1/ answers 404 in the API's error shape.
    re_path(r"^.*$", views.NotFoundView.as_view()),
]
