"""/api/v1/ endpoints of the meetings area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import communication_views, views

router = SimpleRouter()
router.register("cadences", views.CadenceViewSet, basename="cadence")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register(
    "communication-plan",
    communication_views.CommunicationPlanEntryViewSet,
    basename="communication-plan-entry",
)
router.register("notices", communication_views.NoticeViewSet, basename="notice")

urlpatterns = router.urls
