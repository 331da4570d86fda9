"""/api/v1/ endpoints of the satisfaction area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("responses", views.ResponseViewSet, basename="response")

urlpatterns = router.urls
