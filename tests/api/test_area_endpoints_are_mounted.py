"""An area mounts its API by having an `api/urls.py`; the API core finds it, naming no area."""

import ast
from pathlib import Path

from django.apps import apps
from django.urls import resolve

import brm
from brm.api.urls import area_urlpatterns


def test_every_installed_app_with_api_urls_is_mounted_before_the_catch_all():
    mounted = [p.urlconf_name.__name__ for p in area_urlpatterns(apps.get_app_configs())]
    assert "customers.api.urls" in mounted
    assert "brm.api.urls" not in mounted
    assert resolve("/api/v1/customers/").func.cls.__name__ == "CustomerViewSet"
    assert resolve("/api/v1/no-such-thing/").func.view_class.__name__ == "NotFoundView"


def test_an_app_without_api_urls_adds_nothing():
    assert area_urlpatterns([apps.get_app_config("audit")]) == []


def test_the_api_core_imports_no_area():
    areas = {"customers", "agreements", "meetings", "complaints", "satisfaction", "reports"}
    offenders = []
    for source in (Path(brm.__file__).parent / "api").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{source}: {n}" for n in names if n.split(".")[0] in areas]
    assert offenders == []
