"""/api/v1/ endpoints of the complaints area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
