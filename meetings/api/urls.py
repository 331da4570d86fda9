"""/api/v1/ endpoints of the meetings area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cadences", views.CadenceViewSet, basename="cadence")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns = router.urls
