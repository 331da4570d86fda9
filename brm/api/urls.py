"""/api/v1/: the REST API.

An area mounts its endpoints by having an `api/urls.py` with `urlpatterns` (usually a router's
`urls`): every installed app's is included here, in INSTALLED_APPS order, before the catch-all.
The core names no area, so a later area adds endpoints without touching brm/.
"""

from importlib import import_module

from django.apps import apps
from django.urls import include, path, re_path
from django.utils.module_loading import module_has_submodule
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("members", views.MembershipViewSet, basename="member")

AREA_URLS_MODULE = "api.urls"


def area_urlpatterns(app_configs) -> list:
    """An include of `<app>.api.urls` for every app that has one (this app excepted)."""
    package, _dot, module = AREA_URLS_MODULE.partition(".")
    patterns = []
    for app_config in app_configs:
        if app_config.name == __package__ or not module_has_submodule(app_config.module, package):
            continue
        if module_has_submodule(import_module(f"{app_config.name}.{package}"), module):
            patterns.append(path("", include(f"{app_config.name}.{AREA_URLS_MODULE}")))
    return patterns


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's starting script as a file of its own (?script): the CSP
    # runs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("tenant/", views.TenantView.as_view(), name="api-tenant"),
    *router.urls,
    *area_urlpatterns(apps.get_app_configs()),
    # Last: every other path under /api/v1/ answers 404 in the API's error shape.
    re_path(r"^.*$", views.NotFoundView.as_view()),
]
