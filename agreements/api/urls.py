"""/api/v1/ endpoints of the agreements area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import sla_views, views

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("agreement-versions", views.AgreementVersionViewSet, basename="agreement-version")
router.register("sla-lines", sla_views.SlaLineViewSet, basename="sla-line")
router.register("sla-measurements", sla_views.SlaMeasurementViewSet, basename="sla-measurement")

urlpatterns = router.urls
