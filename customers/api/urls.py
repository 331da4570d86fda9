"""/api/v1/ endpoints of the customers area (brm.api.urls mounts every area's api/urls.py)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("purchasers", views.PurchaserViewSet, basename="purchaser")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("expectations", views.ExpectationViewSet, basename="expectation")
router.register("register-items", views.RegisterItemViewSet, basename="register-item")
router.register("services", views.ServiceCatalogueViewSet, basename="service")
router.register("customer-services", views.CustomerServiceViewSet, basename="customer-service")
router.register("action-items", views.ActionItemViewSet, basename="action-item")

urlpatterns = router.urls
