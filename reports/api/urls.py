"""/api/v1/ endpoints of the reports area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("kpis", views.MetricSnapshotViewSet, basename="kpi")

urlpatterns = router.urls
